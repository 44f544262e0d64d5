import { useCallback, useEffect, useState } from 'react';
import { Button, Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type {
  EnrolmentCompleteRequest,
  EnrolmentCompleteResponse,
  EnrolmentStartResponse,
} from '#contracts/staff.js';
import { FormAlert, FormStatus } from '../../components/form-alert';
import { RequiredLegend } from '../../components/form-field';
import { NewPasswordFields, newPasswordLabels, readNewPassword } from '../../components/new-password-fields';
import { SubmitButton } from '../../components/submit-button';
import { ApiError, api, errorMessage } from '../../lib/api';
import { type FieldErrors, fieldErrorsOf } from '../../lib/form-feedback';
import { groupByFour } from '../../lib/format';
import { ENROLMENT_COMPLETE_PATH, ENROLMENT_START_PATH } from '../../lib/staff-session';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useFormSubmit } from '../../lib/use-form-submit';
import { useSecretQueryParam } from '../../lib/use-secret-query-param';
import { BACKOFFICE_HOME, useRoleName } from './backoffice-layout';
import { normaliseCode, VerificationCodeField } from './staff-login-page';

type Stage =
  | { name: 'checking' }
  | { name: 'invalid' }
  | { name: 'unreachable'; error: unknown }
  | { name: 'ready'; account: EnrolmentStartResponse }
  | { name: 'done'; username: string; codes: string[] };

/** The SVG document as a `data:` address for an `<img>`: never parsed into our page (CSP, safety). */
export function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** The server names the fields `password` and `passwordConfirmation`; the shared fields do not. */
const SERVER_FIELDS: Record<string, string> = {
  password: 'newPassword',
  passwordConfirmation: 'newPasswordConfirmation',
};

function renameServerFields(errors: FieldErrors): FieldErrors {
  return Object.fromEntries(
    Object.entries(errors).map(([field, message]) => [
      Object.hasOwn(SERVER_FIELDS, field) ? (SERVER_FIELDS[field] ?? field) : field,
      message,
    ]),
  );
}

function isLinkInvalid(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'LINK_INVALID' || error.code === 'NOT_FOUND');
}

/** Offers the codes as a text file: a Blob behind an object address, no inline script. */
function downloadText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function RecoveryCodes({ username, codes }: { username: string; codes: string[] }) {
  const { t } = useTranslation();
  const download = () => {
    const text = [
      t('backoffice.enrolment.fileTitle', { username }),
      t('backoffice.enrolment.fileNote'),
      '',
      ...codes,
      '',
    ].join('\n');
    downloadText(`onecare-recovery-codes-${username}.txt`, text);
  };
  return (
    <section className="panel" aria-labelledby="recovery-codes-heading">
      <h2 id="recovery-codes-heading">{t('backoffice.enrolment.codesHeading')}</h2>
      <p className="staff-warning">{t('backoffice.enrolment.codesIntro')}</p>
      <ol className="recovery-codes" aria-label={t('backoffice.enrolment.codesList')}>
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="form__actions">
        <Button className="button button--secondary" onPress={download}>
          {t('backoffice.enrolment.download')}
        </Button>
        <Link href={BACKOFFICE_HOME} className="button button--primary">
          {t('backoffice.enrolment.toLogin')}
        </Link>
      </div>
    </section>
  );
}

function AccountSetup({ account }: { account: EnrolmentStartResponse }) {
  const { t } = useTranslation();
  const roleName = useRoleName();
  return (
    <>
      <section className="panel" aria-labelledby="enrolment-account-heading">
        <h2 id="enrolment-account-heading">{t('backoffice.enrolment.accountHeading')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('backoffice.enrolment.username')}</dt>
            <dd>{account.username}</dd>
          </div>
          <div>
            <dt>{t('backoffice.enrolment.role')}</dt>
            <dd>{roleName(account.role)}</dd>
          </div>
        </dl>
      </section>
      <section className="panel" aria-labelledby="enrolment-app-heading">
        <h2 id="enrolment-app-heading">{t('backoffice.enrolment.appHeading')}</h2>
        <p>{t('backoffice.enrolment.appIntro')}</p>
        <img
          className="qr-code"
          src={svgDataUrl(account.qrCodeSvg)}
          alt={t('backoffice.enrolment.qrAlt', { username: account.username })}
          width="200"
          height="200"
        />
        <dl className="facts">
          <div>
            <dt>{t('backoffice.enrolment.key')}</dt>
            <dd>
              <code className="secret-key">{groupByFour(account.secret)}</code>
            </dd>
          </div>
        </dl>
      </section>
    </>
  );
}

/** `/backoffice/attivazione?token=…`: the staff user sets up the authenticator and a password. */
export function EnrolmentPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('backoffice.enrolment.documentTitle'));
  const token = useSecretQueryParam('token');
  const [stage, setStage] = useState<Stage>(token ? { name: 'checking' } : { name: 'invalid' });
  const labels = { ...newPasswordLabels(t), code: t('backoffice.enrolment.code') };
  const form = useFormSubmit({
    labels,
    read: (data) => {
      if (!token || stage.name !== 'ready') return null;
      const password = readNewPassword(data, t);
      const code = normaliseCode(data.get('code')?.toString() ?? '');
      const errors = { ...password.errors };
      if (code === '') errors.code = t('backoffice.enrolment.codeRequired');
      const value: EnrolmentCompleteRequest = {
        token,
        password: password.value.newPassword,
        passwordConfirmation: password.value.newPasswordConfirmation,
        code,
      };
      return { value, errors };
    },
    send: async (body: EnrolmentCompleteRequest) => {
      const { recoveryCodes } = await api.post<EnrolmentCompleteResponse>(ENROLMENT_COMPLETE_PATH, body);
      setStage((current) => ({
        name: 'done',
        username: current.name === 'ready' ? current.account.username : '',
        codes: recoveryCodes,
      }));
    },
    onError: (error) => {
      if (isLinkInvalid(error)) {
        setStage({ name: 'invalid' });
        return true;
      }
      if (error instanceof ApiError && error.details.length > 0) {
        form.feedback.report(errorMessage(t, error), renameServerFields(fieldErrorsOf(error, t)));
        return true;
      }
      return null;
    },
  });

  const start = useCallback(
    (signal?: AbortSignal) => {
      if (!token) return;
      setStage({ name: 'checking' });
      api
        .post<EnrolmentStartResponse>(ENROLMENT_START_PATH, { token }, signal ? { signal } : {})
        .then((account) => setStage({ name: 'ready', account }))
        .catch((error: unknown) => {
          if (signal?.aborted) return;
          setStage(isLinkInvalid(error) ? { name: 'invalid' } : { name: 'unreachable', error });
        });
    },
    [token],
  );

  useEffect(() => {
    const controller = new AbortController();
    start(controller.signal);
    return () => controller.abort();
  }, [start]);

  return (
    <section className="card card--wide">
      <h1>{t('backoffice.enrolment.heading')}</h1>

      <FormStatus message={stage.name === 'done' ? t('backoffice.enrolment.success') : null} focusOnShow />
      {stage.name === 'done' && <RecoveryCodes username={stage.username} codes={stage.codes} />}

      {stage.name === 'checking' && <p role="status">{t('backoffice.enrolment.checking')}</p>}

      {stage.name === 'invalid' && (
        <div className="notice notice--error">
          <p role="alert">{t('backoffice.enrolment.invalid')}</p>
        </div>
      )}

      {stage.name === 'unreachable' && (
        <>
          <div role="alert" className="form-alert">
            <p>{errorMessage(t, stage.error)}</p>
          </div>
          <Button className="button button--primary" onPress={() => start()}>
            {t('form.retry')}
          </Button>
        </>
      )}

      {stage.name === 'ready' && (
        <>
          <AccountSetup account={stage.account} />
          {/* No aria-labelledby: the heading would also name the fields (getByLabel('Codice…')). */}
          <section className="panel">
            <h2>{t('backoffice.enrolment.formHeading')}</h2>
            <FormAlert problem={form.feedback.problem} />
            <Form {...form.formProps}>
              <RequiredLegend />
              <NewPasswordFields />
              <VerificationCodeField label={labels.code} description={t('backoffice.enrolment.codeHint')} />
              <SubmitButton pending={form.pending} block>
                {t('backoffice.enrolment.submit')}
              </SubmitButton>
            </Form>
          </section>
        </>
      )}
    </section>
  );
}
