import { Trans } from 'react-i18next';
import { telHref } from '../lib/contacts';
import { usePublicConfig } from '../lib/public-config';

/**
 * A sentence that names the configured support phone and e-mail as links (`<phoneLink>` and
 * `<emailLink>` in the text); nothing while the configuration is not known (the footer says why).
 */
export function SupportContactsText({
  i18nKey,
}: {
  i18nKey: 'registration.support' | 'instructions.contacts';
}) {
  const config = usePublicConfig();
  if (config.status !== 'ready') return null;
  const { supportPhone: phone, supportEmail: email } = config.config;
  return (
    <p className="support-text">
      <Trans
        i18nKey={i18nKey}
        values={{ phone, email }}
        components={{
          phoneLink: <a href={telHref(phone)}>{phone}</a>,
          emailLink: <a href={`mailto:${email}`}>{email}</a>,
        }}
      />
    </p>
  );
}
