import { useEffect, useId, useRef, useState } from 'react';
import { Button, Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useParams } from 'react-router';
import { FormAlert, FormStatus } from '../../components/form-alert';
import { FormTextField } from '../../components/form-field';
import { LoadError } from '../../components/load-error';
import { SubmitButton } from '../../components/submit-button';
import { ApiError, api, detailText } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { apiKey, queryClient, useApiQuery } from '../../lib/query';
import { useStaffSession } from '../../lib/staff-session';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useFormSubmit } from '../../lib/use-form-submit';
import { categoryPath, channelPath, readPlanForm } from './plan-form';
import {
  CATEGORY_ORDER,
  type CategoryCode,
  CHANNEL_ORDER,
  type ChannelCode,
  canEditPlans,
  DEFAULT_CATEGORY_LABELS,
  formatEuro,
  formatHundredths,
  formatPercent,
  PLANS_PATH,
  PLANS_ROUTE,
  type PlanRules,
  type PlanView,
  planPath,
  type UpdatePlanBody,
  withoutRule,
  withRule,
} from './plans-api';

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

/** A native select with its label, in the look of the text fields. */
function ScopeSelect({ name, label, defaultValue }: { name: string; label: string; defaultValue: string }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="field">
      <span className="field__label-row">
        <label className="field__label" htmlFor={id}>
          {label}
        </label>
      </span>
      <select id={id} name={name} className="field__input" defaultValue={defaultValue}>
        <option value="person">{t('backoffice.plans.capScope.person')}</option>
        <option value="family">{t('backoffice.plans.capScope.family')}</option>
      </select>
    </div>
  );
}

/**
 * Administrators: the whole rules document as fields, named by their JSON path so the server's
 * `details[].field` lands beside them. Rules (category × channel) are added and removed here; the
 * fields keep what was typed (they are uncontrolled, keyed by path). Saved with PUT as the next
 * version of the one opened (`baseVersion`): if another was saved meanwhile, the server refuses.
 */
function RulesEditor({
  plan,
  onSaved,
  onCancel,
  onReload,
}: {
  plan: PlanView;
  onSaved: (plan: PlanView) => void;
  onCancel: () => void;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [draft, setDraft] = useState<PlanRules>(() => structuredClone(plan.rules));
  const categories = useCategories(draft);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const headingId = useId();
  const addCategoryId = useId();
  const addChannelId = useId();
  const addErrorId = useId();
  const [addCategory, setAddCategory] = useState<CategoryCode>(CATEGORY_ORDER[0] ?? 'visite_specialistiche');
  const [addChannel, setAddChannel] = useState<ChannelCode>('network');
  const [addError, setAddError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const [focusName, setFocusName] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const en = language.startsWith('en');

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
  const categoryField = {
    'label/it': t('backoffice.plans.editor.labelIt'),
    'label/en': t('backoffice.plans.editor.labelEn'),
    'subCap/cents': t('backoffice.plans.subCapField'),
    'subCap/scope': t('backoffice.plans.editor.subCapScope'),
    'frequency/times': t('backoffice.plans.frequencyTimes'),
    'frequency/everyYears': t('backoffice.plans.frequencyYears'),
  } as const;
  const channelName = (channel: ChannelCode) => t(`backoffice.plans.channels.${channel}`);
  const categoryName = (code: CategoryCode) => {
    const label = draft.categories[code]?.label ?? DEFAULT_CATEGORY_LABELS[code];
    return en ? label.en : label.it;
  };

  const labels: Record<string, string> = {
    name: t('backoffice.plans.editor.planName'),
    'rules/year': t('backoffice.plans.editor.year'),
    'rules/annualCap/cents': t('backoffice.plans.annualCap'),
    'rules/annualCap/scope': t('backoffice.plans.editor.capScope'),
    'rules/autoDecision/maxTotalCents': t('backoffice.plans.editor.autoDecisionMax'),
  };
  for (const { code, label, rules: category } of categories) {
    for (const [name, fieldLabel] of Object.entries(categoryField)) {
      labels[categoryPath(code, name)] = `${label} · ${fieldLabel}`;
    }
    for (const channel of CHANNEL_ORDER) {
      if (!category.channels[channel]) continue;
      for (const [name, fieldLabel] of Object.entries(field)) {
        labels[channelPath(code, channel, name)] = t('backoffice.plans.fieldLabel', {
          category: label,
          channel: channelName(channel),
          field: fieldLabel,
        });
      }
    }
  }

  const form = useFormSubmit<{ name: string; rules: PlanRules }>({
    labels,
    read: (data) =>
      readPlanForm(data, draft, language, {
        euroInvalid: t('backoffice.plans.euroInvalid'),
        percentInvalid: t('backoffice.plans.percentInvalid'),
        wholeInvalid: (min, max) => t('backoffice.plans.wholeInvalid', { min, max }),
        nameRequired: t('backoffice.plans.editor.nameRequired'),
        labelRequired: t('backoffice.plans.editor.labelRequired'),
        frequencyIncomplete: t('backoffice.plans.editor.frequencyIncomplete'),
      }),
    onStart: () => setConflict(false),
    send: async ({ name, rules }) => {
      const body: UpdatePlanBody = { baseVersion: plan.currentVersion ?? 0, name, rules };
      onSaved(await api.put<PlanView>(planPath(plan.code), body));
    },
    onError: (error) => {
      if (!(error instanceof ApiError) || error.code !== 'CONFLICT') return null;
      setConflict(true);
      const detail = error.details[0];
      return detail ? detailText(t, detail) : t('backoffice.plans.editor.conflict');
    },
  });

  // After a rule is added, its first field takes the focus.
  const formRef = form.formProps.ref;
  useEffect(() => {
    if (!focusName) return;
    formRef.current?.querySelector<HTMLElement>(`[name="${CSS.escape(focusName)}"]`)?.focus();
    setFocusName(null);
  }, [focusName, formRef]);

  const addRule = () => {
    if (draft.categories[addCategory]?.channels[addChannel]) {
      setAddError(t('backoffice.plans.editor.duplicate'));
      document.getElementById(addCategoryId)?.focus();
      return;
    }
    setAddError(null);
    setDraft(withRule(draft, addCategory, addChannel));
    setAnnouncement(
      t('backoffice.plans.editor.added', {
        category: categoryName(addCategory),
        channel: channelName(addChannel),
      }),
    );
    setFocusName(channelPath(addCategory, addChannel, 'coinsuranceBasisPoints'));
  };
  const removeRule = (code: CategoryCode, channel: ChannelCode) => {
    setDraft(withoutRule(draft, code, channel));
    setAnnouncement(
      t('backoffice.plans.editor.removed', { category: categoryName(code), channel: channelName(channel) }),
    );
    document.getElementById(addCategoryId)?.focus();
  };

  const euroText = (cents: number) => formatHundredths(cents, language);
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId} ref={headingRef} tabIndex={-1}>
        {t('backoffice.plans.editHeading')}
      </h2>
      <p className="field__hint">{t('backoffice.plans.editHint')}</p>
      <FormAlert problem={form.feedback.problem} />
      {conflict && (
        <div className="form__actions">
          <Button className="button button--secondary" onPress={onReload}>
            {t('backoffice.plans.editor.reload')}
          </Button>
        </div>
      )}
      <Form {...form.formProps}>
        <div className="plan-group__fields">
          <FormTextField name="name" label={labels.name ?? ''} defaultValue={plan.name} maxLength={120} />
          <FormTextField
            name="rules/year"
            label={labels['rules/year'] ?? ''}
            defaultValue={String(draft.year)}
            inputProps={{ inputMode: 'numeric' }}
          />
          <FormTextField
            name="rules/annualCap/cents"
            label={t('backoffice.plans.annualCap')}
            defaultValue={euroText(plan.rules.annualCap.cents)}
            inputProps={{ inputMode: 'decimal' }}
          />
          <ScopeSelect
            name="rules/annualCap/scope"
            label={t('backoffice.plans.editor.capScope')}
            defaultValue={plan.rules.annualCap.scope}
          />
        </div>
        <fieldset className="plan-group">
          <legend>{t('backoffice.plans.editor.autoDecision')}</legend>
          <p className="field__hint">{t('backoffice.plans.editor.autoDecisionHint')}</p>
          <div className="plan-group__fields">
            <label className="checkbox">
              <input
                type="checkbox"
                name="rules/autoDecision/enabled"
                defaultChecked={plan.rules.autoDecision?.enabled ?? false}
              />
              {t('backoffice.plans.editor.autoDecisionEnabled')}
            </label>
            <FormTextField
              name="rules/autoDecision/maxTotalCents"
              label={t('backoffice.plans.editor.autoDecisionMax')}
              defaultValue={euroText(plan.rules.autoDecision?.maxTotalCents ?? 30_000)}
              inputProps={{ inputMode: 'decimal' }}
            />
          </div>
        </fieldset>
        {categories.length === 0 && <p className="muted">{t('backoffice.plans.editor.noRules')}</p>}
        {categories.map(({ code, label, rules: category }) => (
          <div key={code} className="plan-edit-category">
            <h3>{label}</h3>
            <fieldset className="plan-group">
              <legend>{t('backoffice.plans.editor.categoryRules', { category: label })}</legend>
              <div className="plan-group__fields">
                <FormTextField
                  name={categoryPath(code, 'label/it')}
                  label={categoryField['label/it']}
                  defaultValue={category.label.it}
                  maxLength={200}
                />
                <FormTextField
                  name={categoryPath(code, 'label/en')}
                  label={categoryField['label/en']}
                  defaultValue={category.label.en}
                  maxLength={200}
                />
                <FormTextField
                  name={categoryPath(code, 'subCap/cents')}
                  label={categoryField['subCap/cents']}
                  defaultValue={category.subCap ? euroText(category.subCap.cents) : ''}
                  description={t('backoffice.plans.editor.subCapHint')}
                  inputProps={{ inputMode: 'decimal' }}
                />
                <ScopeSelect
                  name={categoryPath(code, 'subCap/scope')}
                  label={categoryField['subCap/scope']}
                  defaultValue={category.subCap?.scope ?? 'person'}
                />
                <FormTextField
                  name={categoryPath(code, 'frequency/times')}
                  label={categoryField['frequency/times']}
                  defaultValue={category.frequency ? String(category.frequency.times) : ''}
                  description={t('backoffice.plans.editor.frequencyHint')}
                  inputProps={{ inputMode: 'numeric' }}
                />
                <FormTextField
                  name={categoryPath(code, 'frequency/everyYears')}
                  label={categoryField['frequency/everyYears']}
                  defaultValue={category.frequency ? String(category.frequency.everyYears) : ''}
                  inputProps={{ inputMode: 'numeric' }}
                />
              </div>
            </fieldset>
            {CHANNEL_ORDER.map((channel) => {
              const rule = category.channels[channel];
              if (!rule) return null;
              const path = (name: string) => channelPath(code, channel, name);
              return (
                <fieldset key={channel} className="plan-group">
                  <legend>
                    {t('backoffice.plans.groupLabel', { category: label, channel: channelName(channel) })}
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
                    <Button className="button button--secondary" onPress={() => removeRule(code, channel)}>
                      {t('backoffice.plans.editor.removeRule')}
                    </Button>
                  </div>
                </fieldset>
              );
            })}
          </div>
        ))}
        <fieldset className="plan-group">
          <legend>{t('backoffice.plans.editor.addHeading')}</legend>
          <p className="field__hint">{t('backoffice.plans.editor.addHint')}</p>
          <div className="plan-group__fields">
            <div className="field">
              <span className="field__label-row">
                <label className="field__label" htmlFor={addCategoryId}>
                  {t('backoffice.plans.editor.addCategory')}
                </label>
              </span>
              <select
                id={addCategoryId}
                className="field__input"
                value={addCategory}
                aria-invalid={addError ? true : undefined}
                aria-describedby={addError ? addErrorId : undefined}
                onChange={(event) => {
                  setAddCategory(event.target.value as CategoryCode);
                  setAddError(null);
                }}
              >
                {CATEGORY_ORDER.map((code) => (
                  <option key={code} value={code}>
                    {categoryName(code)}
                  </option>
                ))}
              </select>
              {addError && (
                <span id={addErrorId} className="field__error">
                  {addError}
                </span>
              )}
            </div>
            <div className="field">
              <span className="field__label-row">
                <label className="field__label" htmlFor={addChannelId}>
                  {t('backoffice.plans.editor.addChannel')}
                </label>
              </span>
              <select
                id={addChannelId}
                className="field__input"
                value={addChannel}
                aria-invalid={addError ? true : undefined}
                aria-describedby={addError ? addErrorId : undefined}
                onChange={(event) => {
                  setAddChannel(event.target.value as ChannelCode);
                  setAddError(null);
                }}
              >
                {CHANNEL_ORDER.map((channel) => (
                  <option key={channel} value={channel}>
                    {channelName(channel)}
                  </option>
                ))}
              </select>
            </div>
            <Button className="button button--secondary" onPress={addRule}>
              {t('backoffice.plans.editor.add')}
            </Button>
          </div>
        </fieldset>
        <p role="status" className="muted">
          {announcement}
        </p>
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
  const location = useLocation();
  const load = useApiQuery<PlanView>(planPath(code));
  const [editing, setEditing] = useState(false);
  // Arriving from "Nuovo piano": say it was created (the status region takes the focus).
  const [saved, setSaved] = useState<string | null>(() =>
    (location.state as { created?: boolean } | null)?.created ? t('backoffice.plans.create.created') : null,
  );
  const navigate = useNavigate();
  useEffect(() => {
    // Said once: a reload of the page does not say it again.
    if ((location.state as { created?: boolean } | null)?.created) {
      navigate(location.pathname, { replace: true, state: null });
    }
  }, [location, navigate]);
  const editButton = useRef<HTMLButtonElement>(null);
  const [refocusEdit, setRefocusEdit] = useState(false);

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

  if (!load.data) {
    return (
      <div className="staff-page">
        <h1>{t('backoffice.plans.planDocumentTitle')}</h1>
        {load.isPending ? (
          <p role="status" className="muted">
            {t('backoffice.plans.loading')}
          </p>
        ) : (
          <div className="panel">
            <LoadError error={load.error} onRetry={() => void load.refetch()} />
          </div>
        )}
        {back}
      </div>
    );
  }

  const plan = load.data;
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
        {admin && !editing && plan.currentVersion !== null && (
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
          onReload={() => {
            setEditing(false);
            setRefocusEdit(true);
            void load.refetch();
          }}
          onSaved={(next) => {
            queryClient.setQueryData(apiKey(planPath(code)), next);
            void queryClient.invalidateQueries({ queryKey: apiKey(PLANS_PATH) });
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
