import { useEffect, useId, useRef, useState } from 'react';
import { Button, Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { FormAlert, FormStatus } from '../../components/form-alert';
import { FormTextField } from '../../components/form-field';
import { SubmitButton } from '../../components/submit-button';
import { api, errorMessage } from '../../lib/api';
import { formText } from '../../lib/form-data';
import type { FieldErrors } from '../../lib/form-feedback';
import { formatDateTime } from '../../lib/format';
import { useStaffSession } from '../../lib/staff-session';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useFormSubmit } from '../../lib/use-form-submit';
import {
  CATEGORY_ORDER,
  type CategoryCode,
  CHANNEL_ORDER,
  type ChannelCode,
  canEditPlans,
  formatEuro,
  formatHundredths,
  formatPercent,
  PLANS_ROUTE,
  type PlanRules,
  type PlanView,
  parseHundredths,
  parseWhole,
  planPath,
} from './plans-api';

type Load = { status: 'loading' } | { status: 'ready'; plan: PlanView } | { status: 'error'; error: unknown };
type Category = NonNullable<PlanRules['categories'][CategoryCode]>;

/** The plan's categories, in the booklet's order, with their label in the interface language. */
function useCategories(rules: PlanRules): { code: CategoryCode; label: string; rules: Category }[] {
  const { i18n } = useTranslation();
  const en = (i18n.resolvedLanguage ?? 'it').startsWith('en');
  return CATEGORY_ORDER.flatMap((code) => {
    const category = rules.categories[code];
    return category ? [{ code, label: en ? category.label.en : category.label.it, rules: category }] : [];
  });
}

function useLanguage(): string {
  const { i18n } = useTranslation();
  return i18n.resolvedLanguage ?? 'it';
}

/** One table per category: a row per channel, "Non coperto" where the channel is absent. */
function RulesView({ rules }: { rules: PlanRules }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const categories = useCategories(rules);
  const baseId = useId();
  return (
    <section className="panel" aria-labelledby={`${baseId}-heading`}>
      <h2 id={`${baseId}-heading`}>{t('backoffice.plans.rulesHeading')}</h2>
      {categories.map(({ code, label, rules: category }) => {
        const captionId = `${baseId}-${code}`;
        return (
          <div key={code} className="plan-category">
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard. */}
            <section className="table-wrap" aria-labelledby={captionId} tabIndex={0}>
              <table className="data-table">
                <caption id={captionId}>{label}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('backoffice.plans.channel')}</th>
                    <th scope="col">{t('backoffice.plans.coinsurance')}</th>
                    <th scope="col">{t('backoffice.plans.minimum')}</th>
                    <th scope="col">{t('backoffice.plans.deductible')}</th>
                    <th scope="col">{t('backoffice.plans.prescription')}</th>
                    <th scope="col">{t('backoffice.plans.deadline')}</th>
                  </tr>
                </thead>
                <tbody>
                  {CHANNEL_ORDER.map((channel) => {
                    const rule = category.channels[channel];
                    return (
                      <tr key={channel}>
                        <th scope="row">{t(`backoffice.plans.channels.${channel}`)}</th>
                        {rule ? (
                          <>
                            <td className="nowrap">{formatPercent(rule.coinsuranceBasisPoints, language)}</td>
                            <td className="nowrap">{formatEuro(rule.minimumPerInvoiceCents, language)}</td>
                            <td className="nowrap">{formatEuro(rule.deductiblePerVisitCents, language)}</td>
                            <td>
                              {t(rule.prescriptionRequired ? 'backoffice.plans.yes' : 'backoffice.plans.no')}
                            </td>
                            <td>{rule.submissionDeadlineDays}</td>
                          </>
                        ) : (
                          <td colSpan={5} className="muted">
                            {t('backoffice.plans.notCovered')}
                          </td>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </section>
            {category.subCap && (
              <p className="plan-note">
                {t('backoffice.plans.subCap', {
                  amount: formatEuro(category.subCap.cents, language),
                  scope: t(`backoffice.plans.capScope.${category.subCap.scope}`),
                })}
              </p>
            )}
            {category.frequency && (
              <p className="plan-note">
                {t('backoffice.plans.frequency', {
                  times: category.frequency.times,
                  years: category.frequency.everyYears,
                })}
              </p>
            )}
          </div>
        );
      })}
    </section>
  );
}

const channelPath = (code: CategoryCode, channel: ChannelCode, field: string) =>
  `rules/categories/${code}/channels/${channel}/${field}`;

/**
 * Administrators: the numbers of the rules as fields (named by their JSON path, so the server's
 * `details[].field` lands beside them), saved as a new version with PUT.
 */
function RulesEditor({
  plan,
  onSaved,
  onCancel,
}: {
  plan: PlanView;
  onSaved: (plan: PlanView) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const rules = plan.rules;
  const categories = useCategories(rules);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const headingId = useId();

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const field = {
    coinsuranceBasisPoints: t('backoffice.plans.coinsurance'),
    minimumPerInvoiceCents: t('backoffice.plans.minimum'),
    deductiblePerVisitCents: t('backoffice.plans.deductible'),
    submissionDeadlineDays: t('backoffice.plans.deadline'),
    prescriptionRequired: t('backoffice.plans.prescription'),
  } as const;
  const labels: Record<string, string> = { 'rules/annualCap/cents': t('backoffice.plans.annualCap') };
  for (const { code, label, rules: category } of categories) {
    for (const channel of CHANNEL_ORDER) {
      if (!category.channels[channel]) continue;
      for (const [name, fieldLabel] of Object.entries(field)) {
        labels[channelPath(code, channel, name)] = t('backoffice.plans.fieldLabel', {
          category: label,
          channel: t(`backoffice.plans.channels.${channel}`),
          field: fieldLabel,
        });
      }
    }
    if (category.subCap) {
      labels[`rules/categories/${code}/subCap/cents`] = `${label} · ${t('backoffice.plans.subCapField')}`;
    }
    if (category.frequency) {
      labels[`rules/categories/${code}/frequency/times`] =
        `${label} · ${t('backoffice.plans.frequencyTimes')}`;
      labels[`rules/categories/${code}/frequency/everyYears`] =
        `${label} · ${t('backoffice.plans.frequencyYears')}`;
    }
  }

  const form = useFormSubmit<PlanRules>({
    labels,
    read: (data) => {
      const errors: FieldErrors = {};
      const euro = (name: string): number => {
        const value = parseHundredths(formText(data, name), language);
        if (value === null || value > 1_000_000_000) errors[name] = t('backoffice.plans.euroInvalid');
        return value ?? 0;
      };
      const percent = (name: string): number => {
        const value = parseHundredths(formText(data, name), language);
        if (value === null || value > 10_000) errors[name] = t('backoffice.plans.percentInvalid');
        return value ?? 0;
      };
      const whole = (name: string, min: number, max: number): number => {
        const value = parseWhole(formText(data, name), min, max);
        if (value === null) errors[name] = t('backoffice.plans.wholeInvalid', { min, max });
        return value ?? min;
      };

      const next: PlanRules = structuredClone(rules);
      next.annualCap.cents = euro('rules/annualCap/cents');
      for (const code of CATEGORY_ORDER) {
        const category = next.categories[code];
        if (!category) continue;
        for (const channel of CHANNEL_ORDER) {
          const rule = category.channels[channel];
          if (!rule) continue;
          const path = (name: string) => channelPath(code, channel, name);
          rule.coinsuranceBasisPoints = percent(path('coinsuranceBasisPoints'));
          rule.minimumPerInvoiceCents = euro(path('minimumPerInvoiceCents'));
          rule.deductiblePerVisitCents = euro(path('deductiblePerVisitCents'));
          rule.submissionDeadlineDays = whole(path('submissionDeadlineDays'), 1, 3650);
          rule.prescriptionRequired = data.get(path('prescriptionRequired')) === 'on';
        }
        if (category.subCap) category.subCap.cents = euro(`rules/categories/${code}/subCap/cents`);
        if (category.frequency) {
          category.frequency.times = whole(`rules/categories/${code}/frequency/times`, 1, 100);
          category.frequency.everyYears = whole(`rules/categories/${code}/frequency/everyYears`, 1, 10);
        }
      }
      return { value: next, errors };
    },
    send: async (next) => {
      onSaved(await api.put<PlanView>(planPath(plan.code), { rules: next }));
    },
  });

  const euroText = (cents: number) => formatHundredths(cents, language);
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId} ref={headingRef} tabIndex={-1}>
        {t('backoffice.plans.editHeading')}
      </h2>
      <p className="field__hint">{t('backoffice.plans.editHint')}</p>
      <FormAlert problem={form.feedback.problem} />
      <Form {...form.formProps}>
        <FormTextField
          name="rules/annualCap/cents"
          label={t('backoffice.plans.annualCap')}
          defaultValue={euroText(rules.annualCap.cents)}
          description={t(`backoffice.plans.capScope.${rules.annualCap.scope}`)}
          inputProps={{ inputMode: 'decimal' }}
        />
        {categories.map(({ code, label, rules: category }) => (
          <div key={code} className="plan-edit-category">
            <h3>{label}</h3>
            {CHANNEL_ORDER.map((channel) => {
              const rule = category.channels[channel];
              if (!rule) return null;
              const path = (name: string) => channelPath(code, channel, name);
              return (
                <fieldset key={channel} className="plan-group">
                  <legend>
                    {t('backoffice.plans.groupLabel', {
                      category: label,
                      channel: t(`backoffice.plans.channels.${channel}`),
                    })}
                  </legend>
                  <div className="plan-group__fields">
                    <FormTextField
                      name={path('coinsuranceBasisPoints')}
                      label={field.coinsuranceBasisPoints}
                      defaultValue={formatHundredths(rule.coinsuranceBasisPoints, language, true)}
                      inputProps={{ inputMode: 'decimal' }}
                    />
                    <FormTextField
                      name={path('minimumPerInvoiceCents')}
                      label={field.minimumPerInvoiceCents}
                      defaultValue={euroText(rule.minimumPerInvoiceCents)}
                      inputProps={{ inputMode: 'decimal' }}
                    />
                    <FormTextField
                      name={path('deductiblePerVisitCents')}
                      label={field.deductiblePerVisitCents}
                      defaultValue={euroText(rule.deductiblePerVisitCents)}
                      inputProps={{ inputMode: 'decimal' }}
                    />
                    <FormTextField
                      name={path('submissionDeadlineDays')}
                      label={field.submissionDeadlineDays}
                      defaultValue={String(rule.submissionDeadlineDays)}
                      inputProps={{ inputMode: 'numeric' }}
                    />
                    <label className="checkbox">
                      <input
                        type="checkbox"
                        name={path('prescriptionRequired')}
                        defaultChecked={rule.prescriptionRequired}
                      />
                      {field.prescriptionRequired}
                    </label>
                  </div>
                </fieldset>
              );
            })}
            {(category.subCap || category.frequency) && (
              <div className="plan-group__fields">
                {category.subCap && (
                  <FormTextField
                    name={`rules/categories/${code}/subCap/cents`}
                    label={t('backoffice.plans.subCapField')}
                    defaultValue={euroText(category.subCap.cents)}
                    inputProps={{ inputMode: 'decimal' }}
                  />
                )}
                {category.frequency && (
                  <>
                    <FormTextField
                      name={`rules/categories/${code}/frequency/times`}
                      label={t('backoffice.plans.frequencyTimes')}
                      defaultValue={String(category.frequency.times)}
                      inputProps={{ inputMode: 'numeric' }}
                    />
                    <FormTextField
                      name={`rules/categories/${code}/frequency/everyYears`}
                      label={t('backoffice.plans.frequencyYears')}
                      defaultValue={String(category.frequency.everyYears)}
                      inputProps={{ inputMode: 'numeric' }}
                    />
                  </>
                )}
              </div>
            )}
          </div>
        ))}
        <div className="form__actions">
          <Button className="button button--secondary" onPress={onCancel}>
            {t('backoffice.plans.cancel')}
          </Button>
          <SubmitButton pending={form.pending}>{t('backoffice.plans.save')}</SubmitButton>
        </div>
      </Form>
    </section>
  );
}

function History({ versions }: { versions: PlanView['versions'] }) {
  const { t } = useTranslation();
  const captionId = useId();
  return (
    <section className="panel" aria-labelledby={`${captionId}-h`}>
      <h2 id={`${captionId}-h`}>{t('backoffice.plans.historyHeading')}</h2>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard. */}
      <section className="table-wrap" aria-labelledby={captionId} tabIndex={0}>
        <table className="data-table">
          <caption id={captionId}>{t('backoffice.plans.historyCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('backoffice.plans.version')}</th>
              <th scope="col">{t('backoffice.plans.createdAt')}</th>
              <th scope="col">{t('backoffice.plans.createdBy')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version}>
                <td>{v.version}</td>
                <td className="nowrap">
                  <time dateTime={v.createdAt}>{formatDateTime(v.createdAt)}</time>
                </td>
                <td>{v.createdBy ?? t('backoffice.plans.system')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </section>
  );
}

/** `/backoffice/piani/:code`: a plan's rules in force, its history and (administrators) a new version. */
export function PlanPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('backoffice.plans.planDocumentTitle'));
  const language = useLanguage();
  const { code = '' } = useParams();
  const { state } = useStaffSession();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const [refocusEdit, setRefocusEdit] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: "RIPROVA" loads again.
  useEffect(() => {
    const controller = new AbortController();
    api
      .get<PlanView>(planPath(code), { signal: controller.signal })
      .then((plan) => setLoad({ status: 'ready', plan }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setLoad({ status: 'error', error });
      });
    return () => controller.abort();
  }, [code, attempt]);

  useEffect(() => {
    if (refocusEdit && !editing) {
      editButton.current?.focus();
      setRefocusEdit(false);
    }
  }, [refocusEdit, editing]);

  const admin = state.status === 'active' && canEditPlans(state.info.role);
  const back = (
    <p>
      <Link href={PLANS_ROUTE}>{t('backoffice.plans.back')}</Link>
    </p>
  );

  if (load.status !== 'ready') {
    return (
      <div className="staff-page">
        <h1>{t('backoffice.plans.planDocumentTitle')}</h1>
        {load.status === 'loading' ? (
          <p role="status" className="muted">
            {t('backoffice.plans.loading')}
          </p>
        ) : (
          <div className="panel">
            <div role="alert" className="form-alert">
              <p>{errorMessage(t, load.error)}</p>
            </div>
            <Button className="button button--secondary" onPress={() => setAttempt((n) => n + 1)}>
              {t('form.retry')}
            </Button>
          </div>
        )}
        {back}
      </div>
    );
  }

  const { plan } = load;
  const facts: [string, string][] = [
    [t('backoffice.plans.code'), plan.code],
    [t('backoffice.plans.version'), plan.currentVersion === null ? '—' : String(plan.currentVersion)],
    [
      t('backoffice.plans.annualCap'),
      t('backoffice.plans.capValue', {
        amount: formatEuro(plan.rules.annualCap.cents, language),
        scope: t(`backoffice.plans.capScope.${plan.rules.annualCap.scope}`),
      }),
    ],
  ];

  return (
    <div className="staff-page">
      <h1>{t('backoffice.plans.planHeading', { name: plan.name, code: plan.code })}</h1>
      {back}
      <FormStatus message={saved} focusOnShow />
      <section className="panel" aria-labelledby="plan-summary-heading">
        <h2 id="plan-summary-heading">
          {t('backoffice.plans.currentVersion', {
            version: plan.currentVersion ?? '—',
            year: plan.rules.year,
          })}
        </h2>
        <dl className="facts">
          {facts.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        {admin && !editing && (
          <div className="form__actions">
            <Button
              ref={editButton}
              className="button button--primary"
              onPress={() => {
                setSaved(null);
                setEditing(true);
              }}
            >
              {t('backoffice.plans.edit')}
            </Button>
          </div>
        )}
      </section>
      {editing ? (
        <RulesEditor
          plan={plan}
          onCancel={() => {
            setEditing(false);
            setRefocusEdit(true);
          }}
          onSaved={(next) => {
            setLoad({ status: 'ready', plan: next });
            setEditing(false);
            setSaved(t('backoffice.plans.saved', { version: next.currentVersion ?? '—' }));
          }}
        />
      ) : (
        <RulesView rules={plan.rules} />
      )}
      <History versions={plan.versions} />
    </div>
  );
}
