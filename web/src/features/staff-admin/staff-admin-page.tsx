import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { FormAlert, FormStatus } from '../../components/form-alert';
import { FormTextField, RequiredLegend } from '../../components/form-field';
import { LoadError } from '../../components/load-error';
import { PendingButton, SubmitButton } from '../../components/submit-button';
import { ApiError, detailText, errorMessage, requestLanguage } from '../../lib/api';
import { compactErrors, formText } from '../../lib/form-data';
import { formatDateTime, looksLikeEmail } from '../../lib/format';
import { apiKey, queryClient, useApiQuery } from '../../lib/query';
import { STAFF_ROLES, type StaffRole, useStaffSession } from '../../lib/staff-session';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useFormSubmit } from '../../lib/use-form-submit';
import { useRoleName } from '../backoffice/backoffice-layout';
import {
  canManageStaff,
  STAFF_USERS_PATH,
  type StaffUserAction,
  type StaffUserList,
  type StaffUserView,
  staffUsersApi,
} from './staff-admin-api';

/** The text of a failed action: a field detail when the server gave one (e.g. "enable first"), else the code's. */
function actionError(t: ReturnType<typeof useTranslation>['t'], error: unknown): string {
  if (error instanceof ApiError && error.code === 'CONFLICT' && error.details[0])
    return detailText(t, error.details[0]);
  return errorMessage(t, error);
}

/** A labelled native `<select>` (keyboard and screen readers know it best). */
function SelectField({
  name,
  label,
  options,
  defaultValue,
  description,
}: {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  defaultValue: string;
  description?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <span className="field__label-row">
        <label className="field__label" htmlFor={id}>
          {label}
        </label>
      </span>
      <select
        id={id}
        name={name}
        className="field__input"
        defaultValue={defaultValue}
        aria-describedby={description ? `${id}-hint` : undefined}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {description && (
        <span id={`${id}-hint`} className="field__hint">
          {description}
        </span>
      )}
    </div>
  );
}

function useRoleOptions() {
  const roleName = useRoleName();
  return STAFF_ROLES.map((role) => ({ value: role, label: roleName(role) }));
}

/** "Nuovo utente": the link goes by email to the new user; the administrator sees only a confirmation. */
function CreateUserForm({ onCreated }: { onCreated: (user: StaffUserView) => void }) {
  const { t } = useTranslation();
  const roleOptions = useRoleOptions();
  const [done, setDone] = useState<string | null>(null);
  const labels = {
    username: t('staffAdmin.create.username'),
    email: t('staffAdmin.create.email'),
    role: t('staffAdmin.create.role'),
    locale: t('staffAdmin.create.locale'),
  };
  const form = useFormSubmit({
    labels,
    read: (data) => {
      const value = {
        username: formText(data, 'username').trim(),
        email: formText(data, 'email').trim(),
        role: formText(data, 'role'),
        locale: formText(data, 'locale') === 'en' ? ('en' as const) : ('it' as const),
      };
      return {
        value,
        errors: compactErrors({
          username: value.username === '' && t('staffAdmin.create.usernameRequired'),
          email:
            value.email === ''
              ? t('staffAdmin.create.emailRequired')
              : !looksLikeEmail(value.email) && t('form.invalidEmail'),
        }),
      };
    },
    onStart: () => setDone(null),
    send: async (value) => {
      const user = await staffUsersApi.create(value);
      setDone(t('staffAdmin.create.done', { username: user.username, email: user.email }));
      form.formProps.ref.current?.reset();
      onCreated(user);
    },
  });

  return (
    <section className="panel" aria-labelledby="staff-create-heading">
      <h2 id="staff-create-heading">{t('staffAdmin.create.heading')}</h2>
      <RequiredLegend />
      <FormAlert problem={form.feedback.problem} />
      <FormStatus message={done} />
      <Form {...form.formProps}>
        <div className="form__grid">
          <FormTextField
            name="username"
            label={labels.username}
            isRequired
            maxLength={64}
            autoComplete="off"
            description={t('staffAdmin.create.usernameHint')}
            inputProps={{ autoCapitalize: 'none', spellCheck: false }}
          />
          <FormTextField
            name="email"
            label={labels.email}
            type="email"
            isRequired
            maxLength={254}
            autoComplete="off"
            inputProps={{ spellCheck: false }}
          />
          <SelectField name="role" label={labels.role} options={roleOptions} defaultValue="claims_operator" />
          <SelectField
            name="locale"
            label={labels.locale}
            defaultValue={requestLanguage()}
            options={[
              { value: 'it', label: t('staffAdmin.create.localeIt') },
              { value: 'en', label: t('staffAdmin.create.localeEn') },
            ]}
          />
        </div>
        <SubmitButton pending={form.pending}>{t('staffAdmin.create.submit')}</SubmitButton>
      </Form>
    </section>
  );
}

type Pending = StaffUserAction | 'role' | null;

/** The actions on one user: role, disable or enable, reset two-factor (the last two confirmed first). */
function ManagePanel({
  user,
  onChanged,
  onClose,
}: {
  user: StaffUserView;
  onChanged: (user: StaffUserView) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const roleName = useRoleName();
  const roleOptions = useRoleOptions();
  const heading = useRef<HTMLHeadingElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [confirming, setConfirming] = useState<'disable' | 'reset-two-factor' | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  // Opening the panel (or switching user) takes the keyboard to it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when another user is chosen.
  useEffect(() => {
    heading.current?.focus();
    setConfirming(null);
    setStatus(null);
    setError(null);
  }, [user.id]);

  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  async function run(kind: Exclude<Pending, null>, call: () => Promise<StaffUserView>, done: string) {
    if (pending) return;
    setPending(kind);
    setStatus(null);
    setError(null);
    try {
      const updated = await call();
      setConfirming(null);
      setStatus(done);
      onChanged(updated);
    } catch (e) {
      setConfirming(null);
      setError(actionError(t, e));
    } finally {
      setPending(null);
    }
  }

  function changeRole(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const role = formText(new FormData(event.currentTarget), 'role') as StaffRole;
    if (role === user.role) {
      setError(null);
      setStatus(t('staffAdmin.manage.sameRole', { username: user.username }));
      return;
    }
    void run(
      'role',
      () => staffUsersApi.changeRole(user.id, role),
      t('staffAdmin.manage.roleChanged', { username: user.username, role: roleName(role) }),
    );
  }

  const disabled = user.state === 'disabled';
  return (
    <section className="panel" aria-labelledby="staff-manage-heading">
      <h2 id="staff-manage-heading" ref={heading} tabIndex={-1}>
        {t('staffAdmin.manage.heading', { username: user.username })}
      </h2>
      <p>
        {t('staffAdmin.manage.summary', {
          role: roleName(user.role),
          state: t(`staffAdmin.states.${user.state}`),
        })}
      </p>
      <FormStatus message={status} />
      <div role="alert" className="form-alert">
        {error && <p>{error}</p>}
      </div>

      <h3>{t('staffAdmin.manage.roleHeading')}</h3>
      <Form className="form" onSubmit={changeRole}>
        <SelectField
          key={`${user.id}-${user.role}`}
          name="role"
          label={t('staffAdmin.manage.roleLabel')}
          options={roleOptions}
          defaultValue={user.role}
          description={t('staffAdmin.manage.roleHint')}
        />
        <PendingButton type="submit" className="button button--secondary" pending={pending === 'role'}>
          {t('staffAdmin.manage.changeRole')}
        </PendingButton>
      </Form>

      <h3>{t('staffAdmin.manage.accessHeading')}</h3>
      {confirming ? (
        // The question names the group, so a screen reader says it when focus reaches "CONFERMA".
        <fieldset className="plan-group">
          <legend>
            {t(
              confirming === 'disable'
                ? 'staffAdmin.manage.confirmDisable'
                : 'staffAdmin.manage.confirmReset',
              {
                username: user.username,
              },
            )}
          </legend>
          <div className="form__actions member-actions">
            <PendingButton
              ref={confirmButton}
              className="button button--primary"
              pending={pending === confirming}
              onPress={() =>
                void run(
                  confirming,
                  () => staffUsersApi.act(user.id, confirming),
                  t(confirming === 'disable' ? 'staffAdmin.manage.disabled' : 'staffAdmin.manage.resetDone', {
                    username: user.username,
                  }),
                )
              }
            >
              {t('staffAdmin.manage.confirm')}
            </PendingButton>
            <Button className="button button--secondary" onPress={() => setConfirming(null)}>
              {t('staffAdmin.manage.cancel')}
            </Button>
          </div>
        </fieldset>
      ) : (
        <>
          <p className="muted">
            {t(disabled ? 'staffAdmin.manage.enableHint' : 'staffAdmin.manage.disableHint')}
          </p>
          {!disabled && <p className="muted">{t('staffAdmin.manage.resetHint')}</p>}
          <div className="form__actions member-actions">
            {disabled ? (
              <PendingButton
                className="button button--secondary"
                pending={pending === 'enable'}
                onPress={() =>
                  void run(
                    'enable',
                    () => staffUsersApi.act(user.id, 'enable'),
                    t('staffAdmin.manage.enabled', { username: user.username }),
                  )
                }
              >
                {t('staffAdmin.manage.enable')}
              </PendingButton>
            ) : (
              <>
                <Button className="button button--secondary" onPress={() => setConfirming('disable')}>
                  {t('staffAdmin.manage.disable')}
                </Button>
                <Button
                  className="button button--secondary"
                  onPress={() => setConfirming('reset-two-factor')}
                >
                  {t('staffAdmin.manage.reset')}
                </Button>
              </>
            )}
          </div>
        </>
      )}
      <div className="form__actions">
        <Button className="button button--secondary button--small" onPress={onClose}>
          {t('staffAdmin.manage.close')}
        </Button>
      </div>
    </section>
  );
}

function UsersTable({
  users,
  me,
  onManage,
  buttons,
}: {
  users: StaffUserView[];
  me: string;
  onManage: (id: string) => void;
  buttons: Map<string, HTMLButtonElement>;
}) {
  const { t } = useTranslation();
  const roleName = useRoleName();
  const captionId = useId();
  return (
    // Scrolls sideways on narrow screens: focusable so the keyboard can scroll it too.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="table-wrap" aria-labelledby={captionId} tabIndex={0}>
      <table className="data-table">
        <caption id={captionId}>{t('staffAdmin.caption', { count: users.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('staffAdmin.columns.username')}</th>
            <th scope="col">{t('staffAdmin.columns.email')}</th>
            <th scope="col">{t('staffAdmin.columns.role')}</th>
            <th scope="col">{t('staffAdmin.columns.state')}</th>
            <th scope="col">{t('staffAdmin.columns.createdAt')}</th>
            <th scope="col">{t('staffAdmin.columns.lastLogin')}</th>
            <th scope="col">{t('staffAdmin.columns.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id}>
              <th scope="row" className="nowrap">
                {user.username}
              </th>
              <td className="nowrap">{user.email}</td>
              <td className="nowrap">{roleName(user.role)}</td>
              <td className="nowrap">{t(`staffAdmin.states.${user.state}`)}</td>
              <td className="nowrap">
                <time dateTime={user.createdAt}>{formatDateTime(user.createdAt)}</time>
              </td>
              <td className="nowrap">
                {user.lastLoginAt ? (
                  <time dateTime={user.lastLoginAt}>{formatDateTime(user.lastLoginAt)}</time>
                ) : (
                  t('staffAdmin.never')
                )}
              </td>
              <td className="nowrap">
                {user.username === me ? (
                  <span className="muted">{t('staffAdmin.you')}</span>
                ) : (
                  <Button
                    className="button button--secondary button--small"
                    ref={(el) => {
                      if (el) buttons.set(user.id, el);
                      else buttons.delete(user.id);
                    }}
                    onPress={() => onManage(user.id)}
                  >
                    {t('staffAdmin.manageButton')}
                    <span className="visually-hidden"> {user.username}</span>
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** `/backoffice/personale`: administrators list, create and manage the back-office users. */
export function StaffAdminPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('staffAdmin.documentTitle'));
  const { state } = useStaffSession();
  const admin = state.status === 'active' && canManageStaff(state.info.role);
  const me = state.status === 'active' ? state.info.username : '';
  const load = useApiQuery<StaffUserList>(STAFF_USERS_PATH, { enabled: admin });
  const [selected, setSelected] = useState<string | null>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement>());

  if (!admin) {
    return (
      <div className="staff-page">
        <h1>{t('staffAdmin.heading')}</h1>
        <p role="alert">{t('staffAdmin.adminsOnly')}</p>
      </div>
    );
  }

  const replace = (user: StaffUserView) =>
    queryClient.setQueryData<StaffUserList>(apiKey(STAFF_USERS_PATH), (current) =>
      current ? { users: current.users.map((u) => (u.id === user.id ? user : u)) } : current,
    );
  const close = () => {
    const id = selected;
    setSelected(null);
    if (id) buttons.current.get(id)?.focus();
  };
  const chosen = load.data?.users.find((u) => u.id === selected);

  return (
    <div className="staff-page">
      <h1>{t('staffAdmin.heading')}</h1>
      <p>{t('staffAdmin.intro')}</p>
      <CreateUserForm onCreated={() => void load.refetch()} />
      <section className="panel" aria-labelledby="staff-users-heading">
        <h2 id="staff-users-heading">{t('staffAdmin.listHeading')}</h2>
        {load.isPending && (
          <p role="status" className="muted">
            {t('staffAdmin.loading')}
          </p>
        )}
        {load.isError && <LoadError error={load.error} onRetry={() => void load.refetch()} />}
        {load.data && (
          <UsersTable users={load.data.users} me={me} onManage={setSelected} buttons={buttons.current} />
        )}
      </section>
      {chosen && <ManagePanel user={chosen} onChanged={replace} onClose={close} />}
    </div>
  );
}
