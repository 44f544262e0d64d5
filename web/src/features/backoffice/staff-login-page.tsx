import { useRef, useState } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { StaffLoginRequest, StaffSessionInfo } from '#contracts/staff.js';
import { Captcha } from '../../components/captcha';
import { FormAlert } from '../../components/form-alert';
import { FormTextField } from '../../components/form-field';
import { SubmitButton } from '../../components/submit-button';
import { ApiError, api } from '../../lib/api';
import { compactErrors, formText } from '../../lib/form-data';
import { rateLimitMessage } from '../../lib/rate-limit-message';
import type { SignedOutReason } from '../../lib/session';
import { STAFF_LOGIN_PATH, useStaffSession } from '../../lib/staff-session';
import { useAnnouncedValue } from '../../lib/use-announced-value';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useFormSubmit } from '../../lib/use-form-submit';
import { useFocusIfLost } from './use-focus-if-lost';

/** A code as typed → as sent: no spaces (the app shows "123 456", recovery codes may be grouped). */
export function normaliseCode(value: string): string {
  return value.replace(/\s+/g, '');
}

/** The verification code field: 6 digits from the app, or a recovery code (letters too). */
export function VerificationCodeField({ label, description }: { label: string; description: string }) {
  return (
    <FormTextField
      name="code"
      label={label}
      isRequired
      autoComplete="one-time-code"
      maxLength={20}
      description={description}
      inputProps={{ inputMode: 'text', autoCapitalize: 'none', spellCheck: false }}
    />
  );
}

/** "Accesso back office": username, password and the authenticator's code. */
export function StaffLoginPage({ reason }: { reason: SignedOutReason | null }) {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('backoffice.login.documentTitle'));
  const heading = useRef<HTMLHeadingElement>(null);
  useFocusIfLost(heading);
  const { signIn } = useStaffSession();
  const [captchaShown, setCaptchaShown] = useState(false);
  const labels = {
    username: t('backoffice.login.username'),
    password: t('backoffice.login.password'),
    code: t('backoffice.login.code'),
    altcha: t('captcha.label'),
  };
  const form = useFormSubmit({
    labels,
    read: (data) => {
      const username = formText(data, 'username').trim();
      const password = formText(data, 'password');
      const code = normaliseCode(formText(data, 'code'));
      const errors = compactErrors({
        username: username === '' && t('backoffice.login.usernameRequired'),
        password: password === '' && t('backoffice.login.passwordRequired'),
        code: code === '' && t('backoffice.login.codeRequired'),
      });
      return { value: { username, password, code }, errors };
    },
    captcha: captchaShown,
    send: async (credentials, altcha) => {
      const body: StaffLoginRequest = { ...credentials };
      if (altcha !== undefined) body.altcha = altcha;
      signIn(await api.post<StaffSessionInfo>(STAFF_LOGIN_PATH, body));
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'CAPTCHA_REQUIRED') {
        setCaptchaShown(true);
        return t('errors.CAPTCHA_REQUIRED');
      }
      // Which of the three was wrong is not told (nor guessable from the answer).
      if (error instanceof ApiError && (error.code === 'INVALID_CREDENTIALS' || error.status === 401)) {
        return t('backoffice.login.failed');
      }
      return rateLimitMessage(t, i18n.resolvedLanguage, error, 'login.rateLimited');
    },
  });
  // Shown once: the next visit to the page (after a failed login, say) does not repeat it.
  const [notice] = useState(reason);
  const shownNotice = useAnnouncedValue(notice);

  return (
    <section className="card login">
      <h1 ref={heading}>{t('backoffice.login.heading')}</h1>
      <p>{t('backoffice.login.intro')}</p>

      <div
        role="status"
        className={shownNotice === 'loggedOut' ? 'form-status' : 'form-status form-status--info'}
      >
        {shownNotice && <p>{t(`backoffice.login.notices.${shownNotice}`)}</p>}
      </div>

      <FormAlert problem={form.feedback.problem} />

      <Form {...form.formProps}>
        <FormTextField
          name="username"
          label={labels.username}
          isRequired
          showRequiredMark={false}
          autoComplete="username"
          maxLength={200}
          inputProps={{ autoCapitalize: 'none', spellCheck: false }}
        />
        <FormTextField
          name="password"
          label={labels.password}
          type="password"
          isRequired
          showRequiredMark={false}
          autoComplete="current-password"
        />
        <VerificationCodeField label={labels.code} description={t('backoffice.login.codeHint')} />

        {captchaShown && (
          <>
            <p className="muted">{t('backoffice.login.captchaNeeded')}</p>
            <Captcha {...form.captchaProps} autoFocus />
          </>
        )}

        <SubmitButton pending={form.pending} block>
          {t('backoffice.login.submit')}
        </SubmitButton>
      </Form>
    </section>
  );
}
