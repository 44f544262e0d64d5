import { useEffect, useState } from 'react';
import { Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import type { LoginRequest, SessionInfo } from '#contracts/auth.js';
import type { LoginSecondStep } from '#contracts/profile.js';
import { Captcha } from '../../components/captcha';
import { FormAlert } from '../../components/form-alert';
import { FormTextField } from '../../components/form-field';
import { SubmitButton } from '../../components/submit-button';
import { ApiError, api } from '../../lib/api';
import { compactErrors, formText } from '../../lib/form-data';
import { rateLimitMessage } from '../../lib/rate-limit-message';
import { LOGIN_PATH, type LoginNotice, parseLoginNotice, useSession } from '../../lib/session';
import { useAnnouncedValue } from '../../lib/use-announced-value';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useFormSubmit } from '../../lib/use-form-submit';

export { LOGIN_PATH };

function NoticeText({ notice }: { notice: LoginNotice }) {
  const { t } = useTranslation();
  switch (notice.kind) {
    case 'passwordRecovery':
      return <p>{t('login.notices.passwordRecovery', { email: notice.email })}</p>;
    case 'usernameRecovery':
      return <p>{t('login.notices.usernameRecovery', { email: notice.email })}</p>;
    default:
      return <p>{t(`login.notices.${notice.kind}`)}</p>;
  }
}

export function LoginPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('login.documentTitle'));
  const location = useLocation();
  const navigate = useNavigate();
  const { signIn } = useSession();
  const [captchaShown, setCaptchaShown] = useState(false);
  const [pendingToken, setPendingToken] = useState<string | null>(null);
  const [codeExpired, setCodeExpired] = useState(false);
  const codeForm = useFormSubmit({
    labels: { code: t('login.code') },
    read: (data) => {
      const code = formText(data, 'code').trim();
      return { value: { code }, errors: compactErrors({ code: code === '' && t('login.codeRequired') }) };
    },
    send: async ({ code }) => {
      const info = await api.post<SessionInfo>(`${LOGIN_PATH}/code`, { pendingToken, code });
      signIn(info);
      void navigate(info.mustChangePassword ? '/cambio-password' : '/area-riservata');
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'LINK_INVALID') {
        setPendingToken(null);
        setCodeExpired(true);
        return true;
      }
      return rateLimitMessage(t, i18n.resolvedLanguage, error, 'login.rateLimited');
    },
  });
  const form = useFormSubmit({
    labels: { username: t('login.username'), password: t('login.password'), altcha: t('captcha.label') },
    read: (data) => {
      const username = formText(data, 'username').trim();
      const password = formText(data, 'password');
      const errors = compactErrors({
        username: username === '' && t('login.usernameRequired'),
        password: password === '' && t('login.passwordRequired'),
      });
      return { value: { username, password }, errors };
    },
    captcha: captchaShown,
    onStart: () => setCodeExpired(false),
    send: async (credentials, altcha) => {
      const body: LoginRequest = { ...credentials };
      if (altcha !== undefined) body.altcha = altcha;
      const answer = await api.post<SessionInfo | LoginSecondStep>(LOGIN_PATH, body);
      // Two-step verification on: the password only opens the code step (decision 049).
      if ('twoFactorRequired' in answer) {
        setPendingToken(answer.pendingToken);
        return;
      }
      const info = answer;
      signIn(info);
      void navigate(info.mustChangePassword ? '/cambio-password' : '/area-riservata');
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'CAPTCHA_REQUIRED') {
        setCaptchaShown(true);
        return t('errors.CAPTCHA_REQUIRED');
      }
      return rateLimitMessage(t, i18n.resolvedLanguage, error, 'login.rateLimited');
    },
  });

  // A message from the previous page (recovery requested, session expired, …), in router state:
  // read once, then dropped from the history entry so a reload does not show it again.
  const [notice] = useState(() => parseLoginNotice(location.state));
  const shownNotice = useAnnouncedValue(notice);
  useEffect(() => {
    if (location.state !== null) {
      void navigate(`${location.pathname}${location.search}`, { replace: true, state: null });
    }
  }, [location.state, location.pathname, location.search, navigate]);

  return (
    <section className="card login" aria-labelledby="login-heading">
      <hgroup className="login__titles">
        <h1 id="login-heading">{t('login.heading')}</h1>
        <p className="login__subheading">{t('login.subheading')}</p>
      </hgroup>

      <div
        role="status"
        className={
          shownNotice?.kind === 'expired' || shownNotice?.kind === 'unauthenticated'
            ? 'form-status form-status--info'
            : 'form-status'
        }
      >
        {shownNotice && <NoticeText notice={shownNotice} />}
      </div>

      {codeExpired && <p className="form-status form-status--info">{t('login.codeExpired')}</p>}

      {pendingToken !== null ? (
        <>
          <p>{t('login.codeIntro')}</p>
          <FormAlert problem={codeForm.feedback.problem} />
          <Form {...codeForm.formProps}>
            <FormTextField
              name="code"
              label={t('login.code')}
              description={t('login.codeHint')}
              isRequired
              showRequiredMark={false}
              autoComplete="one-time-code"
              autoFocus
              inputProps={{ autoCapitalize: 'characters', spellCheck: false }}
            />
            <SubmitButton pending={codeForm.pending} block>
              {t('login.codeSubmit')}
            </SubmitButton>
          </Form>
        </>
      ) : (
        <>
          <FormAlert problem={form.feedback.problem} />

          <Form {...form.formProps}>
            <FormTextField
              name="username"
              label={t('login.username')}
              isRequired
              showRequiredMark={false}
              autoComplete="username"
              inputProps={{ autoCapitalize: 'none', spellCheck: false }}
            />
            <FormTextField
              name="password"
              label={t('login.password')}
              type="password"
              isRequired
              showRequiredMark={false}
              autoComplete="current-password"
            />

            <p className="login__recover">
              <Link href="/recupero-password">{t('login.forgotPassword')}</Link>
              <Link href="/recupero-username">{t('login.forgotUsername')}</Link>
            </p>

            {captchaShown && (
              <>
                <p className="muted">{t('login.captchaNeeded')}</p>
                <Captcha {...form.captchaProps} autoFocus />
              </>
            )}

            <SubmitButton pending={form.pending} block>
              {t('login.submit')}
            </SubmitButton>
          </Form>
        </>
      )}

      <div className="login__register">
        <p>{t('login.noAccount')}</p>
        <Link href="/registrazione" className="button button--secondary button--block">
          {t('login.register')}
        </Link>
        <Link href="/istruzioni">{t('login.instructions')}</Link>
      </div>
    </section>
  );
}
