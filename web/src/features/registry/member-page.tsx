import { useState } from 'react';
import { Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { FormAlert, FormStatus } from '../../components/form-alert';
import { FormTextField } from '../../components/form-field';
import { LoadError } from '../../components/load-error';
import { PendingButton, SubmitButton } from '../../components/submit-button';
import { ApiError, api, errorMessage } from '../../lib/api';
import { compactErrors, formText } from '../../lib/form-data';
import { formatDate, isIsoDate } from '../../lib/format';
import { apiKey, queryClient, useApiQuery } from '../../lib/query';
import { useStaffSession } from '../../lib/staff-session';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useFormSubmit } from '../../lib/use-form-submit';
import {
  canManageRegistry,
  isMemberRole,
  memberPath,
  REGISTRY_ROUTE,
  type RegistryMemberView,
} from './registry-api';
import { MembersTable, useCoverageText } from './registry-page';

function useRoleText(): (role: string) => string {
  const { t } = useTranslation();
  return (role) => (isMemberRole(role) ? t(`dashboard.roles.${role}`) : role);
}

function Actions({ member, onDone }: { member: RegistryMemberView; onDone: () => void }) {
  const { t } = useTranslation();
  const [pending, setPending] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const labels = { date: t('backoffice.member.endDate') };

  function explain(e: unknown): string {
    return e instanceof ApiError && e.status === 409
      ? t('backoffice.member.notApplicable')
      : errorMessage(t, e);
  }

  async function run(kind: 'resend-activation' | 'unlock'): Promise<void> {
    if (pending) return;
    setPending(kind);
    setStatus(null);
    setError(null);
    try {
      await api.post<void>(`${memberPath(member.id)}/${kind}`);
      setStatus(t(kind === 'unlock' ? 'backoffice.member.unlocked' : 'backoffice.member.resent'));
      onDone();
    } catch (e) {
      setError(explain(e));
    } finally {
      setPending(null);
    }
  }

  const form = useFormSubmit({
    labels,
    read: (data) => {
      const date = formText(data, 'date');
      return {
        value: date,
        errors: compactErrors({ date: date !== '' && !isIsoDate(date) && t('backoffice.audit.dateInvalid') }),
      };
    },
    onStart: () => {
      setStatus(null);
      setError(null);
    },
    send: async (date) => {
      await api.post<void>(`${memberPath(member.id)}/end-coverage`, date ? { date } : {});
      setStatus(t('backoffice.member.coverageEnded'));
      onDone();
    },
    onError: (e) => (e instanceof ApiError && e.status === 409 ? t('backoffice.member.notApplicable') : null),
  });

  return (
    <section className="panel" aria-labelledby="member-actions-heading">
      <h2 id="member-actions-heading">{t('backoffice.member.actionsHeading')}</h2>
      <FormStatus message={status} />
      <div role="alert" className="form-alert">
        {error && <p>{error}</p>}
      </div>
      <div className="form__actions member-actions">
        <PendingButton
          className="button button--secondary"
          pending={pending === 'resend-activation'}
          onPress={() => void run('resend-activation')}
        >
          {t('backoffice.member.resend')}
        </PendingButton>
        {member.accountState === 'locked' && (
          <PendingButton
            className="button button--secondary"
            pending={pending === 'unlock'}
            onPress={() => void run('unlock')}
          >
            {t('backoffice.member.unlock')}
          </PendingButton>
        )}
      </div>
      <h3>{t('backoffice.member.endHeading')}</h3>
      <FormAlert problem={form.feedback.problem} />
      <Form {...form.formProps}>
        <FormTextField
          name="date"
          label={labels.date}
          type="date"
          description={t('backoffice.member.endHint')}
        />
        <SubmitButton pending={form.pending}>{t('backoffice.member.end')}</SubmitButton>
      </Form>
    </section>
  );
}

/** `/backoffice/anagrafica/:id`: a member's data, family and (administrators) account actions. */
export function MemberPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('backoffice.member.documentTitle'));
  const { id = '' } = useParams();
  const { state } = useStaffSession();
  const path = memberPath(id);
  const load = useApiQuery<{ member: RegistryMemberView; family: RegistryMemberView[] }>(path);
  const coverageText = useCoverageText();
  const roleText = useRoleText();

  const admin = state.status === 'active' && canManageRegistry(state.info.role);

  if (load.isError || load.isPending) {
    return (
      <div className="staff-page">
        <h1>{t('backoffice.member.heading')}</h1>
        {load.isPending ? (
          <p role="status" className="muted">
            {t('backoffice.registry.loading')}
          </p>
        ) : (
          <div className="panel">
            <LoadError error={load.error} onRetry={() => void load.refetch()} />
          </div>
        )}
        <p>
          <Link href={REGISTRY_ROUTE}>{t('backoffice.member.back')}</Link>
        </p>
      </div>
    );
  }

  const { member, family } = load.data;
  const facts: [string, string][] = [
    [t('backoffice.registry.codiceFiscale'), member.codiceFiscale],
    [t('backoffice.member.birthDate'), formatDate(member.birthDate)],
    [t('backoffice.member.email'), member.email ?? '—'],
    [
      t('backoffice.member.cardNumber'),
      t(member.hasCardNumber ? 'backoffice.member.cardOnFile' : 'backoffice.member.cardMissing'),
    ],
    [t('dashboard.role'), roleText(member.role)],
    [t('backoffice.member.holder'), member.holderCf ?? '—'],
    [
      t('backoffice.registry.plan'),
      member.plan.name === member.plan.code ? member.plan.name : `${member.plan.name} (${member.plan.code})`,
    ],
    [t('backoffice.registry.coverage'), coverageText(member.coverage)],
    [t('dashboard.username'), member.username ?? '—'],
    [t('backoffice.registry.accountState'), t(`backoffice.registry.accountStates.${member.accountState}`)],
  ];

  return (
    <div className="staff-page">
      <h1>
        {member.surname} {member.name}
      </h1>
      <p>
        <Link href={REGISTRY_ROUTE}>{t('backoffice.member.back')}</Link>
      </p>
      <section className="panel" aria-labelledby="member-data-heading">
        <h2 id="member-data-heading">{t('backoffice.member.dataHeading')}</h2>
        <dl className="facts">
          {facts.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="panel" aria-labelledby="member-family-heading">
        <h2 id="member-family-heading">{t('backoffice.member.familyHeading')}</h2>
        {family.length === 0 ? (
          <p className="muted">{t('backoffice.member.noFamily')}</p>
        ) : (
          <MembersTable members={family} caption={t('backoffice.member.familyCaption')} />
        )}
      </section>
      {admin && (
        <Actions
          member={member}
          // The account state and the coverage have changed: read the record again.
          onDone={() => void queryClient.invalidateQueries({ queryKey: apiKey(path) })}
        />
      )}
    </div>
  );
}
