import { Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { SubmitButton } from './submit-button';

/** The form's footer: "INDIETRO" back to the login page, then the submit button (`children` its text). */
export function FormActions({ pending, children }: { pending: boolean; children: string }) {
  const { t } = useTranslation();
  return (
    <div className="form__actions">
      <Link href="/" className="button button--secondary">
        {t('form.back')}
      </Link>
      <SubmitButton pending={pending}>{children}</SubmitButton>
    </div>
  );
}
