import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '#contracts/auth.js';
import type {
  AccessLogEntry,
  DataExportView,
  ProfileView,
  SessionView,
  TotpConfirmResponse,
  TotpStartResponse,
} from '#contracts/profile.js';
import { FormAlert } from '../../components/form-alert';
import { FormTextField } from '../../components/form-field';
import { LoadError } from '../../components/load-error';
import { NewPasswordFields, newPasswordLabels, readNewPassword } from '../../components/new-password-fields';
import { PendingButton, SubmitButton } from '../../components/submit-button';
import { changeLanguage, isLanguage } from '../../i18n';
import { api, apiRequest } from '../../lib/api';
import { compactErrors, formText } from '../../lib/form-data';
import { formatDate, formatDateTime } from '../../lib/format';
import { apiKey, useApiQuery } from '../../lib/query';
import { useSession } from '../../lib/session';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useFormSubmit } from '../../lib/use-form-submit';
import {
  PROFILE_ACCESS_LOG_PATH,
  PROFILE_EXPORT_PATH,
  PROFILE_PATH,
  PROFILE_SESSIONS_PATH,
  spacedIban,
} from './profile-api';

function Done({ text }: { text: string | null }) {
  return (
    <p role="status" className="form-status">
      {text}
    </p>
  );
}

function ContactsSection({ profile }: { profile: ProfileView }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState<string | null>(null);
  const languageId = useId();
  const contacts = useFormSubmit({
    labels: { phone: t('profile.contacts.phone'), locale: t('profile.contacts.language') },
    read: (data) => {
      const phone = formText(data, 'phone').trim();
      const locale = formText(data, 'locale') === 'en' ? 'en' : 'it';
      return { value: { phone: phone === '' ? null : phone, locale }, errors: {} };
    },
    onStart: () => setSaved(null),
    send: async (value) => {
      await api.put(`${PROFILE_PATH}/contacts`, value);
      if (isLanguage(value.locale)) void changeLanguage(value.locale);
      await queryClient.invalidateQueries({ queryKey: apiKey(PROFILE_PATH) });
      setSaved(t('profile.contacts.saved'));
    },
  });
  const [emailSent, setEmailSent] = useState<string | null>(null);
  const email = useFormSubmit({
    labels: { email: t('profile.contacts.newEmail') },
    read: (data) => {
      const value = formText(data, 'email').trim();
      return {
        value: { email: value },
        errors: compactErrors({
          email: value === '' && t('form.required', { field: t('profile.contacts.newEmail') }),
        }),
      };
    },
    onStart: () => setEmailSent(null),
    send: async (value) => {
      await api.post(`${PROFILE_PATH}/email`, value);
      await queryClient.invalidateQueries({ queryKey: apiKey(PROFILE_PATH) });
      setEmailSent(t('profile.contacts.emailSent'));
    },
  });
  return (
    <section className="panel">
      <h2 id="contacts-heading">{t('profile.contacts.heading')}</h2>
      <dl className="facts">
        <div>
          <dt>{t('profile.contacts.email')}</dt>
          <dd>{profile.email}</dd>
        </div>
      </dl>
      {profile.pendingEmail && (
        <p className="muted">{t('profile.contacts.pendingEmail', { email: profile.pendingEmail })}</p>
      )}
      <FormAlert problem={email.feedback.problem} />
      <Form {...email.formProps}>
        <FormTextField
          name="email"
          type="email"
          label={t('profile.contacts.newEmail')}
          autoComplete="email"
        />
        <SubmitButton pending={email.pending}>{t('profile.contacts.emailSubmit')}</SubmitButton>
      </Form>
      <Done text={emailSent} />
      <FormAlert problem={contacts.feedback.problem} />
      <Form {...contacts.formProps}>
        <FormTextField
          name="phone"
          type="tel"
          label={t('profile.contacts.phone')}
          autoComplete="tel"
          defaultValue={profile.phone ?? ''}
        />
        <div className="field">
          <span className="field__label-row">
            <label className="field__label" htmlFor={languageId}>
              {t('profile.contacts.language')}
            </label>
          </span>
          <select id={languageId} name="locale" className="field__input" defaultValue={profile.locale}>
            <option value="it">{t('profile.contacts.languages.it')}</option>
            <option value="en">{t('profile.contacts.languages.en')}</option>
          </select>
        </div>
        <SubmitButton pending={contacts.pending}>{t('profile.contacts.submit')}</SubmitButton>
      </Form>
      <Done text={saved} />
    </section>
  );
}

function IbanSection({ profile }: { profile: ProfileView }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState<string | null>(null);
  const twoFactor = profile.twoFactor.enabled;
  const secretField = twoFactor ? 'code' : 'password';
  const form = useFormSubmit({
    labels: {
      iban: t('profile.iban.newIban'),
      holder: t('profile.iban.holder'),
      [secretField]: twoFactor ? t('profile.iban.code') : t('profile.iban.password'),
    },
    read: (data) => {
      const iban = formText(data, 'iban').trim();
      const holder = formText(data, 'holder').trim();
      const secret = formText(data, secretField);
      const errors = compactErrors({
        iban: iban === '' && t('form.required', { field: t('profile.iban.newIban') }),
        holder: holder === '' && t('form.required', { field: t('profile.iban.holder') }),
        [secretField]:
          secret === '' &&
          t('form.required', { field: twoFactor ? t('profile.iban.code') : t('profile.iban.password') }),
      });
      return { value: { iban, holder, [secretField]: secret }, errors };
    },
    onStart: () => setSaved(null),
    send: async (value) => {
      await api.put(`${PROFILE_PATH}/iban`, value);
      await queryClient.invalidateQueries({ queryKey: apiKey(PROFILE_PATH) });
      setSaved(t('profile.iban.saved'));
    },
  });
  return (
    <section className="panel">
      <h2 id="iban-heading">{t('profile.iban.heading')}</h2>
      <dl className="facts">
        <div>
          <dt>{t('profile.iban.current')}</dt>
          <dd>
            {profile.iban ? (
              <>
                <span className="iban">{spacedIban(profile.iban)}</span> — {profile.ibanHolder}
                {profile.ibanChangedAt && (
                  <span className="muted">
                    {' '}
                    ({t('profile.iban.changedAt', { date: formatDate(profile.ibanChangedAt.slice(0, 10)) })})
                  </span>
                )}
              </>
            ) : (
              t('profile.iban.none')
            )}
          </dd>
        </div>
      </dl>
      {profile.ibanFrozen ? (
        <p className="form-status form-status--info">{t('profile.iban.frozen')}</p>
      ) : (
        <>
          <p className="muted">{t('profile.iban.intro')}</p>
          <FormAlert problem={form.feedback.problem} />
          <Form {...form.formProps}>
            <FormTextField
              name="iban"
              label={t('profile.iban.newIban')}
              isRequired
              inputProps={{ autoCapitalize: 'characters', spellCheck: false }}
            />
            <FormTextField
              name="holder"
              label={t('profile.iban.holder')}
              isRequired
              autoComplete="name"
              defaultValue={profile.ibanHolder ?? ''}
            />
            {twoFactor ? (
              <FormTextField
                name="code"
                label={t('profile.iban.code')}
                isRequired
                autoComplete="one-time-code"
                inputProps={{ inputMode: 'numeric' }}
              />
            ) : (
              <FormTextField
                name="password"
                type="password"
                label={t('profile.iban.password')}
                isRequired
                autoComplete="current-password"
              />
            )}
            <SubmitButton pending={form.pending}>{t('profile.iban.submit')}</SubmitButton>
          </Form>
        </>
      )}
      <Done text={saved} />
    </section>
  );
}

function PasswordSection() {
  const { t } = useTranslation();
  const { signIn } = useSession();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);
  const form = useFormSubmit({
    labels: { currentPassword: t('profile.password.current'), ...newPasswordLabels(t) },
    read: (data) => {
      const reading = readNewPassword(data, t);
      const currentPassword = formText(data, 'currentPassword');
      const errors = {
        ...compactErrors({
          currentPassword:
            currentPassword === '' && t('form.required', { field: t('profile.password.current') }),
        }),
        ...reading.errors,
      };
      return { value: { currentPassword, ...reading.value }, errors };
    },
    onStart: () => setSaved(null),
    send: async (value) => {
      signIn(await api.post<SessionInfo>('/api/v1/auth/password', value));
      await queryClient.invalidateQueries({ queryKey: apiKey(PROFILE_SESSIONS_PATH) });
      setFormKey((k) => k + 1);
      setSaved(t('profile.password.saved'));
    },
  });
  return (
    <section className="panel">
      <h2 id="password-heading">{t('profile.password.heading')}</h2>
      <FormAlert problem={form.feedback.problem} />
      <Form key={formKey} {...form.formProps}>
        <FormTextField
          name="currentPassword"
          type="password"
          label={t('profile.password.current')}
          isRequired
          autoComplete="current-password"
        />
        <NewPasswordFields />
        <SubmitButton pending={form.pending}>{t('profile.password.submit')}</SubmitButton>
      </Form>
      <Done text={saved} />
    </section>
  );
}

function SessionsSection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const sessions = useApiQuery<{ sessions: SessionView[] }>(PROFILE_SESSIONS_PATH);
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: apiKey(PROFILE_SESSIONS_PATH) });
  const end = async (id: string) => {
    setBusy(id);
    try {
      await apiRequest(`${PROFILE_SESSIONS_PATH}/${encodeURIComponent(id)}`, { method: 'DELETE' });
      await refresh();
    } finally {
      setBusy(null);
    }
  };
  const endOthers = async () => {
    setBusy('others');
    try {
      const { ended } = await api.post<{ ended: number }>(`${PROFILE_SESSIONS_PATH}/end-others`);
      setDone(t('profile.sessions.othersEnded', { count: ended }));
      await refresh();
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="panel">
      <h2 id="sessions-heading">{t('profile.sessions.heading')}</h2>
      {sessions.isError && <LoadError error={sessions.error} onRetry={() => void sessions.refetch()} />}
      {sessions.data && (
        <div className="table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('profile.sessions.device')}</th>
                <th scope="col">{t('profile.sessions.lastSeen')}</th>
                <th scope="col">{t('profile.sessions.since')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('profile.sessions.signOut')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.data.sessions.map((s) => (
                <tr key={s.id}>
                  <td>
                    {s.device}
                    {s.current && <strong> — {t('profile.sessions.current')}</strong>}
                  </td>
                  <td>{formatDateTime(s.lastSeenAt)}</td>
                  <td>{formatDateTime(s.createdAt)}</td>
                  <td>
                    {!s.current && (
                      <PendingButton
                        pending={busy === s.id}
                        className="button button--secondary"
                        aria-label={t('profile.sessions.signOutLabel', { device: s.device })}
                        onPress={() => void end(s.id)}
                      >
                        {t('profile.sessions.signOut')}
                      </PendingButton>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <PendingButton
        pending={busy === 'others'}
        className="button button--secondary"
        onPress={() => void endOthers()}
      >
        {t('profile.sessions.signOutOthers')}
      </PendingButton>
      <Done text={done} />
    </section>
  );
}

function TwoFactorSection({ profile }: { profile: ProfileView }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [enrolment, setEnrolment] = useState<TotpStartResponse | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: apiKey(PROFILE_PATH) });
  const start = useFormSubmit({
    labels: { password: t('profile.twoFactor.password') },
    read: (data) => {
      const password = formText(data, 'password');
      return {
        value: { password },
        errors: compactErrors({
          password: password === '' && t('form.required', { field: t('profile.twoFactor.password') }),
        }),
      };
    },
    onStart: () => setDone(null),
    send: async (value) =>
      setEnrolment(await api.post<TotpStartResponse>(`${PROFILE_PATH}/two-factor/start`, value)),
  });
  const confirm = useFormSubmit({
    labels: { code: t('profile.twoFactor.code') },
    read: (data) => {
      const code = formText(data, 'code').trim();
      return {
        value: { code },
        errors: compactErrors({
          code: code === '' && t('form.required', { field: t('profile.twoFactor.code') }),
        }),
      };
    },
    send: async (value) => {
      const answer = await api.post<TotpConfirmResponse>(`${PROFILE_PATH}/two-factor/confirm`, value);
      setEnrolment(null);
      setCodes(answer.recoveryCodes);
      await refresh();
    },
  });
  const disable = useFormSubmit({
    labels: { code: t('profile.twoFactor.disableCode') },
    read: (data) => {
      const code = formText(data, 'code').trim();
      return {
        value: { code },
        errors: compactErrors({
          code: code === '' && t('form.required', { field: t('profile.twoFactor.disableCode') }),
        }),
      };
    },
    send: async (value) => {
      await api.post(`${PROFILE_PATH}/two-factor/disable`, value);
      setCodes(null);
      setDone(t('profile.twoFactor.disabled'));
      await refresh();
    },
  });
  const enabled = profile.twoFactor.enabled;
  return (
    <section className="panel">
      <h2 id="two-factor-heading">{t('profile.twoFactor.heading')}</h2>
      <p>{enabled ? t('profile.twoFactor.on') : t('profile.twoFactor.off')}</p>
      {codes && (
        <div className="recovery-codes">
          <h3>{t('profile.twoFactor.recoveryHeading')}</h3>
          <p>{t('profile.twoFactor.recoveryIntro')}</p>
          <ul aria-label={t('profile.twoFactor.recoveryHeading')}>
            {codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {enabled && !codes && (
        <p className="muted">
          {t('profile.twoFactor.codesLeft', { count: profile.twoFactor.recoveryCodesLeft })}
        </p>
      )}
      {!enabled && !enrolment && (
        <>
          <FormAlert problem={start.feedback.problem} />
          <Form {...start.formProps}>
            <FormTextField
              name="password"
              type="password"
              label={t('profile.twoFactor.password')}
              isRequired
              autoComplete="current-password"
            />
            <SubmitButton pending={start.pending}>{t('profile.twoFactor.start')}</SubmitButton>
          </Form>
        </>
      )}
      {!enabled && enrolment && (
        <>
          <p>{t('profile.twoFactor.scan')}</p>
          <img
            className="qr-code"
            src={`data:image/svg+xml;utf8,${encodeURIComponent(enrolment.qrSvg)}`}
            alt={t('profile.twoFactor.qrLabel')}
            width={180}
            height={180}
          />
          <p>
            <code className="totp-key" data-testid="totp-key">
              {enrolment.secret}
            </code>
          </p>
          <FormAlert problem={confirm.feedback.problem} />
          <Form {...confirm.formProps}>
            <FormTextField
              name="code"
              label={t('profile.twoFactor.code')}
              isRequired
              autoComplete="one-time-code"
              inputProps={{ inputMode: 'numeric' }}
            />
            <SubmitButton pending={confirm.pending}>{t('profile.twoFactor.confirm')}</SubmitButton>
          </Form>
        </>
      )}
      {enabled && (
        <>
          <FormAlert problem={disable.feedback.problem} />
          <Form {...disable.formProps}>
            <FormTextField
              name="code"
              label={t('profile.twoFactor.disableCode')}
              isRequired
              autoComplete="one-time-code"
              inputProps={{ inputMode: 'numeric' }}
            />
            <SubmitButton pending={disable.pending}>{t('profile.twoFactor.disable')}</SubmitButton>
          </Form>
        </>
      )}
      <Done text={done} />
    </section>
  );
}

function AccessLogSection() {
  const { t } = useTranslation();
  const log = useApiQuery<{ entries: AccessLogEntry[] }>(PROFILE_ACCESS_LOG_PATH);
  return (
    <section className="panel">
      <h2 id="access-log-heading">{t('profile.accessLog.heading')}</h2>
      <p className="muted">{t('profile.accessLog.intro')}</p>
      {log.isError && <LoadError error={log.error} onRetry={() => void log.refetch()} />}
      {log.data && log.data.entries.length === 0 && <p>{t('profile.accessLog.none')}</p>}
      {log.data && log.data.entries.length > 0 && (
        <div className="table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('profile.accessLog.when')}</th>
                <th scope="col">{t('profile.accessLog.role')}</th>
                <th scope="col">{t('profile.accessLog.what')}</th>
              </tr>
            </thead>
            <tbody>
              {log.data.entries.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.at)}</td>
                  <td>{t(`profile.accessLog.roles.${e.role ?? 'unknown'}`)}</td>
                  <td>{t(`profile.accessLog.whats.${e.what}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ExportSection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const current = useApiQuery<{ export: DataExportView | null }>(PROFILE_EXPORT_PATH, {
    refetchInterval: (query) => {
      const status = query.state.data?.export?.status;
      return status === 'queued' || status === 'running' ? 1000 : false;
    },
  });
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const view = current.data?.export ?? null;
  const working = view?.status === 'queued' || view?.status === 'running';
  const request = async () => {
    setPending(true);
    setError(null);
    try {
      await api.post(PROFILE_EXPORT_PATH);
      await queryClient.invalidateQueries({ queryKey: apiKey(PROFILE_EXPORT_PATH) });
    } catch {
      setError(t('profile.export.status.failed'));
    } finally {
      setPending(false);
    }
  };
  return (
    <section className="panel">
      <h2 id="export-heading">{t('profile.export.heading')}</h2>
      <p className="muted">{t('profile.export.intro')}</p>
      {!working && (
        <PendingButton pending={pending} onPress={() => void request()}>
          {t('profile.export.submit')}
        </PendingButton>
      )}
      {working && view && (
        <progress
          className="export-progress"
          max={100}
          value={view.progress}
          aria-label={t('profile.export.progress')}
        />
      )}
      <p role="status" className="form-status">
        {view &&
          t(`profile.export.status.${view.status}`, {
            progress: view.progress,
            date: view.expiresAt ? formatDateTime(view.expiresAt) : '',
          })}
        {error}
      </p>
    </section>
  );
}

/** "/profilo": the member's own space. */
export function ProfilePage() {
  const { t } = useTranslation();
  useDocumentTitle(t('profile.documentTitle'));
  const profile = useApiQuery<ProfileView>(PROFILE_PATH);
  return (
    <div className="profile">
      <h1>{t('profile.heading')}</h1>
      {profile.isPending && (
        <p role="status" className="muted">
          {t('profile.loading')}
        </p>
      )}
      {profile.isError && (
        <div className="panel">
          <LoadError error={profile.error} onRetry={() => void profile.refetch()} />
        </div>
      )}
      {profile.data && (
        <>
          <ContactsSection profile={profile.data} />
          <IbanSection profile={profile.data} />
          <PasswordSection />
          <SessionsSection />
          <TwoFactorSection profile={profile.data} />
          <AccessLogSection />
          <ExportSection />
        </>
      )}
    </div>
  );
}
