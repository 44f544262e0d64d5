import { useId } from 'react';
import { Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { FormAlert } from '../../components/form-alert';
import { FormTextField } from '../../components/form-field';
import { LoadError } from '../../components/load-error';
import { SubmitButton } from '../../components/submit-button';
import { api } from '../../lib/api';
import { formText } from '../../lib/form-data';
import type { FieldErrors } from '../../lib/form-feedback';
import { apiKey, queryClient, useApiQuery } from '../../lib/query';
import { useStaffSession } from '../../lib/staff-session';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useFormSubmit } from '../../lib/use-form-submit';
import {
  type CreatePlanBody,
  canEditPlans,
  PLANS_PATH,
  type PlanSummary,
  type PlanView,
  parseWhole,
  planRoute,
} from './plans-api';

const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$/;

/**
 * Administrators: a new plan (code, name, year), starting from a copy of another plan's rules in
 * force or from the demo rules; then its page opens, where the rules are edited.
 */
function NewPlanForm({ plans }: { plans: PlanSummary[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const headingId = useId();
  const sourceId = useId();
  const labels = {
    code: t('backoffice.plans.create.code'),
    name: t('backoffice.plans.create.name'),
    year: t('backoffice.plans.create.year'),
    copyFrom: t('backoffice.plans.create.source'),
  };
  const form = useFormSubmit<CreatePlanBody>({
    labels,
    read: (data) => {
      const errors: FieldErrors = {};
      const code = formText(data, 'code').trim();
      const name = formText(data, 'name').trim();
      const year = parseWhole(formText(data, 'year'), 2000, 2100);
      const copyFrom = formText(data, 'copyFrom');
      if (!CODE_PATTERN.test(code)) errors.code = t('backoffice.plans.create.codeInvalid');
      if (!name) errors.name = t('backoffice.plans.editor.nameRequired');
      if (year === null) errors.year = t('backoffice.plans.wholeInvalid', { min: 2000, max: 2100 });
      return {
        value: { code, name, year: year ?? 2000, ...(copyFrom ? { copyFrom } : {}) },
        errors,
      };
    },
    send: async (body) => {
      const created = await api.post<PlanView>(PLANS_PATH, body);
      void queryClient.invalidateQueries({ queryKey: apiKey(PLANS_PATH) });
      navigate(planRoute(created.code), { state: { created: true } });
    },
  });

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('backoffice.plans.create.heading')}</h2>
      <p>{t('backoffice.plans.create.intro')}</p>
      <FormAlert problem={form.feedback.problem} />
      <Form {...form.formProps}>
        <div className="plan-group__fields plan-group__fields--top">
          <FormTextField
            name="code"
            label={labels.code}
            isRequired
            maxLength={40}
            description={t('backoffice.plans.create.codeHint')}
            inputProps={{ autoCapitalize: 'characters', spellCheck: false, className: 'uppercase' }}
          />
          <FormTextField name="name" label={labels.name} isRequired maxLength={120} />
          <FormTextField
            name="year"
            label={labels.year}
            isRequired
            defaultValue={String(new Date().getFullYear())}
            inputProps={{ inputMode: 'numeric' }}
          />
          <div className="field">
            <span className="field__label-row">
              <label className="field__label" htmlFor={sourceId}>
                {labels.copyFrom}
              </label>
            </span>
            <select id={sourceId} name="copyFrom" className="field__input" defaultValue="">
              <option value="">{t('backoffice.plans.create.sourceDemo')}</option>
              {plans
                .filter((plan) => plan.currentVersion !== null)
                .map((plan) => (
                  <option key={plan.code} value={plan.code}>
                    {t('backoffice.plans.create.sourceCopy', {
                      code: plan.code,
                      name: plan.name,
                      version: plan.currentVersion,
                    })}
                  </option>
                ))}
            </select>
          </div>
        </div>
        <div className="form__actions">
          <SubmitButton pending={form.pending}>{t('backoffice.plans.create.submit')}</SubmitButton>
        </div>
      </Form>
    </section>
  );
}

/** `/backoffice/piani`: the plans (code, name, version in force), each linking to its rules; administrators add plans. */
export function PlansPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('backoffice.plans.documentTitle'));
  const captionId = useId();
  const { state } = useStaffSession();
  const admin = state.status === 'active' && canEditPlans(state.info.role);
  const load = useApiQuery<{ plans: PlanSummary[] }>(PLANS_PATH);

  return (
    <div className="staff-page">
      <h1>{t('backoffice.plans.heading')}</h1>
      <p>{t('backoffice.plans.intro')}</p>
      {load.isPending && (
        <p role="status" className="muted">
          {t('backoffice.plans.loading')}
        </p>
      )}
      {load.isError && (
        <div className="panel">
          <LoadError error={load.error} onRetry={() => void load.refetch()} />
        </div>
      )}
      {load.data &&
        (load.data.plans.length === 0 ? (
          <p className="muted">{t('backoffice.plans.none')}</p>
        ) : (
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
          <section className="table-wrap" aria-labelledby={captionId} tabIndex={0}>
            <table className="data-table">
              <caption id={captionId}>{t('backoffice.plans.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('backoffice.plans.code')}</th>
                  <th scope="col">{t('backoffice.plans.name')}</th>
                  <th scope="col">{t('backoffice.plans.version')}</th>
                </tr>
              </thead>
              <tbody>
                {load.data.plans.map((plan) => (
                  <tr key={plan.code}>
                    <td className="nowrap">
                      <Link href={planRoute(plan.code)}>{plan.code}</Link>
                    </td>
                    <td>{plan.name}</td>
                    <td>{plan.currentVersion ?? t('backoffice.plans.noVersion')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      {admin && load.data && <NewPlanForm plans={load.data.plans} />}
    </div>
  );
}
