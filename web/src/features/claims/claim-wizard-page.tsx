import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Button, Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { CLAIM_LIMITS, DOCUMENT_CHECKLIST } from '#contracts/claims.codes.js';
import { FormAlert } from '../../components/form-alert';
import { FormTextField } from '../../components/form-field';
import { LoadError } from '../../components/load-error';
import { PendingButton } from '../../components/submit-button';
import { ApiError, api, apiRequest, errorMessage } from '../../lib/api';
import { type FieldErrors, useFormFeedback } from '../../lib/form-feedback';
import { formatDate } from '../../lib/format';
import { formatEuro, parseAmount } from '../../lib/money';
import { useApiQuery } from '../../lib/query';
import { useDocumentTitle } from '../../lib/use-document-title';
import { claimActionError, claimFieldErrors } from './claim-errors';
import { RadioList, SelectField } from './claim-fields';
import {
  CLAIM_OPTIONS_PATH,
  CLAIMS_ROUTE,
  type ClaimOptions,
  type ClaimWarning,
  claimRoute,
  DRAFTS_PATH,
  type Draft,
  draftDocumentsPath,
  draftPath,
  type Estimate,
  isClaimsQueryKey,
  type Submitted,
} from './claims-api';
import { DocumentUpload } from './document-upload';
import { FacilityPicker } from './facility-picker';
import {
  checkInvoices,
  draftToForm,
  emptyInvoice,
  formToDraftBody,
  groupIban,
  type InvoiceForm,
  ibanLooksValid,
  invoiceField,
  missingDocumentKinds,
  requiredDocumentKinds,
  resumeStep,
  stepOfField,
  WIZARD_STEPS,
  type WizardForm,
  type WizardStep,
} from './wizard-model';

const OPEN_DRAFT_KEY = ['claims', 'open-draft'] as const;

const newUuid = () => crypto.randomUUID();

/** Moves focus to `selector` once React has drawn the change that creates it. */
function focusLater(selector: string): void {
  setTimeout(() => document.querySelector<HTMLElement>(selector)?.focus());
}
const lang = (language: string | undefined): 'it' | 'en' => (language === 'en' ? 'en' : 'it');

/** `/rimborsi`: "Richiedi un rimborso", resuming the open draft where it was left. */
export function ClaimWizardPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('claims.documentTitle'));
  const [submitted, setSubmitted] = useState<Submitted | null>(null);
  const options = useApiQuery<ClaimOptions>(CLAIM_OPTIONS_PATH);
  // The server answers with the open draft, or starts one: asked once per visit of the page.
  const draft = useQuery({
    queryKey: OPEN_DRAFT_KEY,
    queryFn: () => api.post<Draft>(DRAFTS_PATH),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
  });

  return (
    <div className="dashboard claim-wizard">
      <div className="dashboard__intro">
        <h1>{t('claims.heading')}</h1>
        <p>{t('claims.intro')}</p>
      </div>
      {(options.isPending || draft.isPending) && !options.isError && !draft.isError && (
        <p role="status" className="muted">
          {t('claims.loading')}
        </p>
      )}
      {(options.isError || draft.isError) && (
        <div className="panel">
          {/* A plan without rules is a conflict worded by its code ("no_plan"). */}
          <div role="alert" className="form-alert">
            <p>{claimActionError(t, options.error ?? draft.error)}</p>
          </div>
          <Button
            className="button button--secondary"
            onPress={() => {
              if (options.isError) void options.refetch();
              if (draft.isError) void draft.refetch();
            }}
          >
            {t('form.retry')}
          </Button>
        </div>
      )}
      {submitted && <Success submitted={submitted} />}
      {!submitted && options.data && draft.data && (
        <Wizard key={draft.data.id} options={options.data} initial={draft.data} onSubmitted={setSubmitted} />
      )}
    </div>
  );
}

function Wizard({
  options,
  initial,
  onSubmitted,
}: {
  options: ClaimOptions;
  initial: Draft;
  onSubmitted(submitted: Submitted): void;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'it';
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(initial);
  const [form, setForm] = useState<WizardForm>(() => draftToForm(initial, options, language, newUuid));
  const [step, setStep] = useState<WizardStep>(() => resumeStep(initial, options));
  const [pending, setPending] = useState(false);
  const [declared, setDeclared] = useState(false);
  const [picking, setPicking] = useState<number | null>(null);
  const [shownWarnings, setShownWarnings] = useState('');
  const [facilityNames, setFacilityNames] = useState<Record<string, string>>({});
  const idempotencyKey = useRef<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const [focusHeading, setFocusHeading] = useState(0);
  const index = WIZARD_STEPS.indexOf(step);

  const category = options.categories.find((c) => c.code === form.category);
  const beneficiary = options.beneficiaries.find((b) => b.id === form.beneficiaryId);

  const labels = useMemo(() => {
    const out: Record<string, string> = {
      beneficiaryId: t('claims.beneficiaryLegend'),
      category: t('claims.categoryLegend'),
    };
    form.invoices.forEach((_, i) => {
      const n = (name: string) => `${t('claims.invoiceHeading', { number: i + 1 })} — ${name}`;
      out[invoiceField(i, 'invoiceDate')] = n(t('claims.invoiceDate'));
      out[invoiceField(i, 'invoiceNumber')] = n(t('claims.invoiceNumber'));
      out[invoiceField(i, 'issuerName')] = n(t('claims.issuerName'));
      out[invoiceField(i, 'issuerTaxId')] = n(t('claims.issuerTaxId'));
      out[invoiceField(i, 'amountCents')] = n(t('claims.amount'));
      out[invoiceField(i, 'channel')] = n(t('claims.channel'));
      out[invoiceField(i, 'facilityId')] = n(t('claims.facility'));
    });
    out.iban = t('claims.iban');
    out.accountHolder = t('claims.accountHolder');
    out.declaration = t('claims.declaration');
    return out;
  }, [t, form.invoices]);
  const feedback = useFormFeedback(t, labels);

  useEffect(() => {
    if (focusHeading > 0) heading.current?.focus();
  }, [focusHeading]);

  function goTo(next: WizardStep): void {
    feedback.clear();
    setPicking(null);
    setStep(next);
    setFocusHeading((n) => n + 1);
  }

  /** Shows errors, on the step of the first field named (the server may name a field of an earlier step). */
  function showErrors(message: string, errors: FieldErrors): void {
    const steps = Object.keys(errors).map(stepOfField);
    const first = WIZARD_STEPS.find((s) => steps.includes(s));
    if (first && first !== step) {
      setPicking(null);
      setStep(first);
    }
    feedback.report(message, errors);
  }

  function updateInvoice(i: number, change: Partial<InvoiceForm>): void {
    setForm((f) => ({ ...f, invoices: f.invoices.map((inv, j) => (j === i ? { ...inv, ...change } : inv)) }));
  }

  async function save(): Promise<Draft> {
    const saved = await api.put<Draft>(draftPath(draft.id), formToDraftBody(form, language));
    setDraft(saved);
    return saved;
  }

  /** The checks of the step being left; empty when it may be left. */
  function checkStep(): FieldErrors {
    const errors: FieldErrors = {};
    if (step === 'beneficiary' && !beneficiary) errors.beneficiaryId = t('fieldErrors.beneficiary_required');
    if (step === 'category' && !category) errors.category = t('fieldErrors.category_required');
    if (step === 'invoices') {
      const problems = checkInvoices(form.invoices, {
        today: options.today,
        language,
        category,
        coverageStart: beneficiary?.coverageStart,
      });
      for (const [field, code] of Object.entries(problems)) {
        errors[field] = t(`fieldErrors.${code}`, { max: formatEuro(CLAIM_LIMITS.maxInvoiceCents, language) });
      }
    }
    if (step === 'payee') {
      if (form.iban.trim() === '') errors.iban = t('fieldErrors.required');
      else if (!ibanLooksValid(form.iban)) errors.iban = t('fieldErrors.iban_invalid');
      if (form.accountHolder.trim() === '') errors.accountHolder = t('fieldErrors.required');
    }
    return errors;
  }

  const required = requiredDocumentKinds(
    category,
    form.invoices.map((i) => i.channel || null),
  );
  const missing = missingDocumentKinds(required, draft.documents);

  async function next(): Promise<void> {
    const errors = checkStep();
    if (Object.keys(errors).length > 0) {
      feedback.report(t('claims.fixStep'), errors);
      return;
    }
    if (step === 'documents' && missing.length > 0) {
      feedback.report(
        t('claims.documentsMissing', { kinds: missing.map((k) => t(`claims.kinds.${k}`)).join(', ') }),
      );
      return;
    }
    feedback.clear();
    setPending(true);
    try {
      const saved = await save();
      // A probable duplicate: shown once beside its invoice before going on.
      const warnings = saved.warnings.map((w) => `${w.code}:${w.field}`).join('|');
      if (step === 'invoices' && warnings !== '' && warnings !== shownWarnings) {
        setShownWarnings(warnings);
        // Read before going on: focus goes to the first warning (AVANTI again goes on).
        focusLater('.invoice .claim-warning');
        return;
      }
      const following = WIZARD_STEPS[index + 1];
      if (following) goTo(following);
    } catch (error) {
      showErrors(errorMessage(t, error), claimFieldErrors(error, t));
    } finally {
      setPending(false);
    }
  }

  async function submit(): Promise<void> {
    if (!declared) {
      feedback.report(t('claims.fixStep'), { declaration: t('fieldErrors.declaration_required') });
      return;
    }
    feedback.clear();
    setPending(true);
    // One key per press of "INVIA RICHIESTA", kept until it succeeds: a retry sends the same one.
    idempotencyKey.current ??= newUuid();
    try {
      const result = await api.post<Submitted>(`${draftPath(draft.id)}/submit`, {
        declaration: true,
        idempotencyKey: idempotencyKey.current,
      });
      idempotencyKey.current = null;
      await queryClient.invalidateQueries({ predicate: (q) => isClaimsQueryKey(q.queryKey) });
      // The open draft is now a claim: the next visit of the page starts a new one (gcTime 0).
      onSubmitted(result);
    } catch (error) {
      showErrors(errorMessage(t, error), claimFieldErrors(error, t));
    } finally {
      setPending(false);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (pending) return;
    void (step === 'summary' ? submit() : next());
  }

  const stepName = t(`claims.steps.${step}`);
  return (
    <>
      <ol className="wizard-steps" aria-label={t('claims.stepsLabel')}>
        {WIZARD_STEPS.map((s, i) => (
          <li
            key={s}
            className="wizard-steps__item"
            aria-current={s === step ? 'step' : undefined}
            data-done={i < index || undefined}
          >
            <span className="wizard-steps__number" aria-hidden="true">
              {i + 1}
            </span>
            <span className="wizard-steps__name">{t(`claims.steps.${s}`)}</span>
            {i < index && <span className="visually-hidden"> {t('claims.stepDone')}</span>}
          </li>
        ))}
      </ol>
      <section className="panel" aria-labelledby="wizard-step-heading">
        <h2 id="wizard-step-heading" ref={heading} tabIndex={-1}>
          {t('claims.stepHeading', { number: index + 1, total: WIZARD_STEPS.length, name: stepName })}
        </h2>
        <FormAlert problem={feedback.problem} />
        <Form
          ref={feedback.formRef}
          className="form"
          validationBehavior="aria"
          validationErrors={feedback.fieldErrors}
          onSubmit={onSubmit}
        >
          {step === 'beneficiary' && (
            <RadioList
              name="beneficiaryId"
              legend={t('claims.beneficiaryLegend')}
              value={form.beneficiaryId}
              onChange={(value) => setForm((f) => ({ ...f, beneficiaryId: value }))}
              error={feedback.fieldErrors.beneficiaryId}
              choices={options.beneficiaries.map((b) => {
                const name = `${b.givenName} ${b.surname}`;
                return {
                  value: b.id,
                  label: b.self ? t('claims.self', { name }) : name,
                  description: t('claims.coveredFrom', { date: formatDate(b.coverageStart) }),
                };
              })}
            />
          )}
          {step === 'category' && (
            <RadioList
              name="category"
              legend={t('claims.categoryLegend')}
              value={form.category}
              onChange={(value) => setForm((f) => ({ ...f, category: value }))}
              error={feedback.fieldErrors.category}
              choices={options.categories.map((c) => ({
                value: c.code,
                label: c.label[lang(language)],
                description:
                  c.deadlineDays === null
                    ? t('claims.noDeadline')
                    : t('claims.deadline', { days: c.deadlineDays }),
              }))}
            />
          )}
          {step === 'invoices' && (
            <InvoicesStep
              form={form}
              options={options}
              warnings={draft.warnings}
              errors={feedback.fieldErrors}
              facilityNames={facilityNames}
              onChange={updateInvoice}
              onAdd={() => {
                const added = form.invoices.length;
                setForm((f) => ({ ...f, invoices: [...f.invoices, emptyInvoice(newUuid())] }));
                // The new invoice's first field, for keyboard and screen reader users.
                focusLater(`[name="${invoiceField(added, 'invoiceDate')}"]`);
              }}
              onRemove={(i) => {
                // Messages are keyed by position: they would land on the wrong invoice.
                feedback.clear();
                setForm((f) => ({ ...f, invoices: f.invoices.filter((_, j) => j !== i) }));
                focusLater('[data-add-invoice]');
              }}
              onPick={(i) => setPicking(i)}
            />
          )}
          {step === 'documents' && (
            <DocumentsStep
              draft={draft}
              checklist={category ? DOCUMENT_CHECKLIST[category.code] : []}
              required={required}
              onDocuments={(documents) => setDraft((d) => ({ ...d, documents }))}
            />
          )}
          {step === 'payee' && (
            <>
              <FormTextField
                name="iban"
                label={t('claims.iban')}
                isRequired
                value={form.iban}
                onChange={(value) => setForm((f) => ({ ...f, iban: value }))}
                description={t('claims.ibanHint')}
                autoComplete="off"
                maxLength={42}
                inputProps={{ spellCheck: false, autoCapitalize: 'characters', className: 'uppercase' }}
              />
              <FormTextField
                name="accountHolder"
                label={t('claims.accountHolder')}
                isRequired
                value={form.accountHolder}
                onChange={(value) => setForm((f) => ({ ...f, accountHolder: value }))}
                autoComplete="name"
                maxLength={CLAIM_LIMITS.accountHolderMaxLength}
              />
            </>
          )}
          {step === 'summary' && (
            <SummaryStep
              form={form}
              draft={draft}
              options={options}
              facilityNames={facilityNames}
              onEdit={goTo}
              declared={declared}
              onDeclared={setDeclared}
              declarationError={feedback.fieldErrors.declaration}
              onEstimateError={(error) => showErrors(errorMessage(t, error), claimFieldErrors(error, t))}
            />
          )}
          <div className="form__actions">
            {index > 0 && (
              <Button
                className="button button--secondary"
                onPress={() => {
                  const previous = WIZARD_STEPS[index - 1];
                  if (previous) goTo(previous);
                }}
              >
                {t('claims.back')}
              </Button>
            )}
            <PendingButton type="submit" pending={pending}>
              {step === 'summary' ? t('claims.submit') : t('claims.next')}
            </PendingButton>
          </div>
        </Form>
      </section>
      {step === 'invoices' && picking !== null && (
        <FacilityPicker
          invoiceNumber={picking + 1}
          onClose={() => setPicking(null)}
          onPick={(facility) => {
            updateInvoice(picking, { facilityId: facility.id, facilityName: facility.name });
            setFacilityNames((names) => ({ ...names, [facility.id]: facility.name }));
            const field = invoiceField(picking, 'facilityId');
            setPicking(null);
            setTimeout(() =>
              document.querySelector<HTMLElement>(`[data-facility-button="${field}"]`)?.focus(),
            );
          }}
        />
      )}
      <p>
        <Link href="/area-riservata">{t('claims.toDashboard')}</Link>
      </p>
    </>
  );
}

function warningText(t: TFunction, warning: ClaimWarning): string {
  return warning.claimNumber
    ? t('claims.duplicate', { number: warning.claimNumber })
    : t('claims.duplicateDraft');
}

function InvoicesStep({
  form,
  options,
  warnings,
  errors,
  facilityNames,
  onChange,
  onAdd,
  onRemove,
  onPick,
}: {
  form: WizardForm;
  options: ClaimOptions;
  warnings: readonly ClaimWarning[];
  errors: FieldErrors;
  facilityNames: Record<string, string>;
  onChange(index: number, change: Partial<InvoiceForm>): void;
  onAdd(): void;
  onRemove(index: number): void;
  onPick(index: number): void;
}) {
  const { t } = useTranslation();
  const category = options.categories.find((c) => c.code === form.category);
  const channels = category?.channels ?? [];
  const deadline = category?.deadlineDays;
  return (
    <>
      {deadline !== null && deadline !== undefined && (
        <p className="field__hint">{t('claims.deadline', { days: deadline })}</p>
      )}
      {form.invoices.map((invoice, i) => {
        const at = (name: string) => invoiceField(i, name);
        const number = i + 1;
        const invoiceWarnings = warnings.filter(
          (w) => w.field === `/invoices/${i}` || w.field.startsWith(`/invoices/${i}/`),
        );
        const facilityName =
          invoice.facilityName ?? (invoice.facilityId ? facilityNames[invoice.facilityId] : undefined);
        return (
          <fieldset key={invoice.id} className="invoice">
            <legend className="invoice__legend">{t('claims.invoiceHeading', { number })}</legend>
            {invoiceWarnings.map((w) => (
              <p key={`${w.code}-${w.field}`} className="notice claim-warning" tabIndex={-1}>
                {warningText(t, w)}
              </p>
            ))}
            <div className="form__grid">
              <FormTextField
                name={at('invoiceDate')}
                label={t('claims.invoiceDate')}
                type="date"
                isRequired
                value={invoice.invoiceDate}
                onChange={(value) => onChange(i, { invoiceDate: value })}
                inputProps={{ max: options.today }}
              />
              <FormTextField
                name={at('invoiceNumber')}
                label={t('claims.invoiceNumber')}
                isRequired
                value={invoice.invoiceNumber}
                onChange={(value) => onChange(i, { invoiceNumber: value })}
                maxLength={CLAIM_LIMITS.invoiceNumberMaxLength}
                inputProps={{ spellCheck: false }}
              />
              <FormTextField
                name={at('issuerName')}
                label={t('claims.issuerName')}
                isRequired
                value={invoice.issuerName}
                onChange={(value) => onChange(i, { issuerName: value })}
                maxLength={CLAIM_LIMITS.issuerNameMaxLength}
                description={t('claims.issuerNameHint')}
              />
              <FormTextField
                name={at('issuerTaxId')}
                label={t('claims.issuerTaxId')}
                value={invoice.issuerTaxId}
                onChange={(value) => onChange(i, { issuerTaxId: value })}
                maxLength={20}
                description={t('claims.issuerTaxIdHint')}
                inputProps={{ spellCheck: false, autoCapitalize: 'characters', className: 'uppercase' }}
              />
              <FormTextField
                name={at('amountCents')}
                label={t('claims.amount')}
                isRequired
                value={invoice.amount}
                onChange={(value) => onChange(i, { amount: value })}
                description={t('claims.amountHint')}
                inputProps={{ inputMode: 'decimal', spellCheck: false }}
              />
              <SelectField
                name={at('channel')}
                label={t('claims.channel')}
                required
                value={invoice.channel}
                placeholder=""
                onChange={(value) =>
                  onChange(i, {
                    channel: value as InvoiceForm['channel'],
                    ...(value === 'network' ? {} : { facilityId: null, facilityName: null }),
                  })
                }
                error={errors[at('channel')]}
                choices={channels.map((c) => ({ value: c, label: t(`claims.channels.${c}`) }))}
              />
            </div>
            {invoice.channel === 'network' && (
              <FacilityChoice
                field={at('facilityId')}
                name={facilityName}
                chosen={Boolean(invoice.facilityId)}
                error={errors[at('facilityId')]}
                onPick={() => onPick(i)}
              />
            )}
            {form.invoices.length > 1 && (
              <Button className="button button--secondary button--small" onPress={() => onRemove(i)}>
                {t('claims.removeInvoice', { number })}
              </Button>
            )}
          </fieldset>
        );
      })}
      {form.invoices.length < CLAIM_LIMITS.maxInvoices ? (
        <Button className="button button--secondary" data-add-invoice onPress={onAdd}>
          {t('claims.addInvoice')}
        </Button>
      ) : (
        <p className="muted">{t('claims.maxInvoices', { max: CLAIM_LIMITS.maxInvoices })}</p>
      )}
    </>
  );
}

function FacilityChoice({
  field,
  name,
  chosen,
  error,
  onPick,
}: {
  field: string;
  name: string | undefined;
  chosen: boolean;
  error: string | undefined;
  onPick(): void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const text = name
    ? t('claims.chosenFacility', { name })
    : chosen
      ? t('claims.chosenFacilityUnknown')
      : t('claims.noFacility');
  return (
    <div className="field facility-choice">
      <p id={`${id}-text`} className="field__label">
        {t('claims.facility')}
      </p>
      <p id={`${id}-value`}>{text}</p>
      <Button
        className="button button--secondary button--small"
        data-facility-button={field}
        aria-describedby={[`${id}-value`, error ? `${id}-error` : ''].filter(Boolean).join(' ')}
        aria-invalid={error ? true : undefined}
        onPress={onPick}
      >
        {chosen ? t('claims.changeFacility') : t('claims.chooseFacility')}
      </Button>
      {error && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

function DocumentsStep({
  draft,
  checklist,
  required,
  onDocuments,
}: {
  draft: Draft;
  checklist: readonly { kind: Draft['documents'][number]['kind']; need: 'required' | 'when_applicable' }[];
  required: readonly string[];
  onDocuments(documents: Draft['documents']): void;
}) {
  const { t } = useTranslation();
  const documents = draft.documents;
  return (
    <>
      <h3>{t('claims.checklistHeading')}</h3>
      <ul className="checklist">
        {checklist.map((item) => {
          const present = documents.some((d) => d.kind === item.kind);
          const need =
            item.need === 'required' && !required.includes(item.kind) ? 'when_applicable' : item.need;
          return (
            <li key={item.kind} className="checklist__item" data-present={present || undefined}>
              <span className="checklist__mark" aria-hidden="true">
                {present ? '✓' : '•'}
              </span>
              {t(`claims.kinds.${item.kind}`)} — {t(`claims.need.${need}`)}
              {present && <> ({t('claims.need.present')})</>}
            </li>
          );
        })}
      </ul>
      <DocumentUpload
        uploadBase={draftDocumentsPath(draft.id)}
        documents={documents}
        defaultKind={
          documents.some((d) => d.kind === 'fattura')
            ? ((required.find((k) => k !== 'fattura' && !documents.some((d) => d.kind === k)) as
                | Draft['documents'][number]['kind']
                | undefined) ?? 'altro')
            : 'fattura'
        }
        listHeading={t('claims.uploadedHeading')}
        onUploaded={(document) => onDocuments([...documents, document])}
        onRemove={async (document) => {
          await apiRequest(`${draftDocumentsPath(draft.id)}/${encodeURIComponent(document.id)}`, {
            method: 'DELETE',
          });
          onDocuments(documents.filter((d) => d.id !== document.id));
        }}
      />
    </>
  );
}

function SummaryStep({
  form,
  draft,
  options,
  facilityNames,
  onEdit,
  declared,
  onDeclared,
  declarationError,
  onEstimateError,
}: {
  form: WizardForm;
  draft: Draft;
  options: ClaimOptions;
  facilityNames: Record<string, string>;
  onEdit(step: WizardStep): void;
  declared: boolean;
  onDeclared(value: boolean): void;
  declarationError: string | undefined;
  onEstimateError(error: unknown): void;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'it';
  const l = lang(language);
  const id = useId();
  const estimate = useQuery({
    queryKey: ['claims', 'estimate', draft.id, draft.updatedAt],
    queryFn: () => api.post<Estimate>(`${draftPath(draft.id)}/estimate`),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const reportedError = useRef<unknown>(null);
  useEffect(() => {
    if (estimate.error && reportedError.current !== estimate.error) {
      reportedError.current = estimate.error;
      if (estimate.error instanceof ApiError && estimate.error.details.length > 0)
        onEstimateError(estimate.error);
    }
  }, [estimate.error, onEstimateError]);

  const beneficiary = options.beneficiaries.find((b) => b.id === form.beneficiaryId);
  const category = options.categories.find((c) => c.code === form.category);
  const euro = (cents: number) => formatEuro(cents, language);
  const euroText = (amount: string) => {
    const cents = parseAmount(amount, language);
    return cents === null ? amount : euro(cents);
  };
  const editButton = (step: WizardStep) => (
    <Button className="button button--secondary button--small" onPress={() => onEdit(step)}>
      {t('claims.edit', { step: t(`claims.steps.${step}`) })}
    </Button>
  );
  const invoiceLabel = (invoiceId: string) => {
    const invoice = form.invoices.find((i) => i.id === invoiceId);
    return invoice
      ? t('claims.invoiceLine', {
          number: invoice.invoiceNumber,
          date: formatDate(invoice.invoiceDate),
          issuer: invoice.issuerName,
        })
      : '';
  };

  return (
    <>
      <p>{t('claims.summaryIntro')}</p>
      <dl className="facts summary-facts">
        <div>
          <dt>{t('claims.steps.beneficiary')}</dt>
          <dd>
            {beneficiary ? `${beneficiary.givenName} ${beneficiary.surname}` : ''} {editButton('beneficiary')}
          </dd>
        </div>
        <div>
          <dt>{t('claims.steps.category')}</dt>
          <dd>
            {category?.label[l]} {editButton('category')}
          </dd>
        </div>
        <div>
          <dt>{t('claims.steps.invoices')}</dt>
          <dd>
            <ul className="summary-list">
              {form.invoices.map((invoice) => (
                <li key={invoice.id}>
                  {invoiceLabel(invoice.id)} —{' '}
                  {invoice.channel ? t(`claims.channels.${invoice.channel}`) : ''}
                  {invoice.channel === 'network' && invoice.facilityId
                    ? ` (${invoice.facilityName ?? facilityNames[invoice.facilityId] ?? ''})`
                    : ''}{' '}
                  — {euroText(invoice.amount)}
                </li>
              ))}
            </ul>
            {editButton('invoices')}
          </dd>
        </div>
        <div>
          <dt>{t('claims.steps.documents')}</dt>
          <dd>
            <ul className="summary-list">
              {draft.documents.map((d) => (
                <li key={d.id}>
                  {d.fileName} ({t(`claims.kinds.${d.kind}`)})
                </li>
              ))}
            </ul>
            {editButton('documents')}
          </dd>
        </div>
        <div>
          <dt>{t('claims.steps.payee')}</dt>
          <dd>
            {t('claims.payeeLine', { iban: groupIban(form.iban), holder: form.accountHolder })}{' '}
            {editButton('payee')}
          </dd>
        </div>
      </dl>
      {draft.warnings.map((w) => (
        <p key={`${w.code}-${w.field}`} className="notice claim-warning">
          {warningText(t, w)}
        </p>
      ))}

      <section aria-labelledby={`${id}-estimate`} className="estimate">
        <h3 id={`${id}-estimate`}>{t('claims.estimateHeading')}</h3>
        {estimate.isPending && (
          <p role="status" className="muted">
            {t('claims.estimateLoading')}
          </p>
        )}
        {estimate.isError && <LoadError error={estimate.error} onRetry={() => void estimate.refetch()} />}
        {estimate.data && (
          <>
            <ul className="estimate-lines">
              {estimate.data.lines.map((line) => (
                <li key={line.invoiceId} className="estimate-line">
                  <p className="estimate-line__title">{invoiceLabel(line.invoiceId)}</p>
                  <dl className="estimate-line__amounts">
                    <div>
                      <dt>{t('claims.columns.amount')}</dt>
                      <dd>{euro(line.amountCents)}</dd>
                    </div>
                    <div>
                      <dt>{t('claims.columns.accepted')}</dt>
                      <dd className="estimate-line__accepted">{euro(line.acceptedCents)}</dd>
                    </div>
                    <div>
                      <dt>{t('claims.columns.memberShare')}</dt>
                      <dd>{euro(line.memberShareCents)}</dd>
                    </div>
                  </dl>
                  <ul className="estimate-line__explanation">
                    {line.explanation[l].map((sentence) => (
                      <li key={sentence}>{sentence}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
            <dl className="facts estimate-totals">
              <div>
                <dt>
                  {t('claims.total')} — {t('claims.columns.amount')}
                </dt>
                <dd>{euro(estimate.data.totals.amountCents)}</dd>
              </div>
              <div>
                <dt>
                  {t('claims.total')} — {t('claims.columns.accepted')}
                </dt>
                <dd className="estimate-total">{euro(estimate.data.totals.acceptedCents)}</dd>
              </div>
              <div>
                <dt>
                  {t('claims.total')} — {t('claims.columns.memberShare')}
                </dt>
                <dd>{euro(estimate.data.totals.memberShareCents)}</dd>
              </div>
            </dl>
            {estimate.data.capsAfter.length > 0 && (
              <>
                <h4>{t('claims.capsHeading')}</h4>
                <ul className="summary-list">
                  {estimate.data.capsAfter.map((cap) => (
                    <li key={`${cap.category ?? 'annual'}-${cap.scope}`}>
                      {cap.category
                        ? (options.categories.find((c) => c.code === cap.category)?.label[l] ?? cap.category)
                        : t('claims.capAnnual')}{' '}
                      ({t(`claims.scope.${cap.scope}`)}):{' '}
                      {t('claims.capLeft', { left: euro(cap.leftCents), cap: euro(cap.capCents) })}
                    </li>
                  ))}
                </ul>
              </>
            )}
            <p className="muted">{t('claims.estimateNote')}</p>
          </>
        )}
      </section>

      <div className="field">
        <label className="checkbox" htmlFor={`${id}-declaration`}>
          <input
            id={`${id}-declaration`}
            type="checkbox"
            name="declaration"
            checked={declared}
            onChange={(event) => onDeclared(event.currentTarget.checked)}
            aria-invalid={declarationError ? true : undefined}
            aria-describedby={declarationError ? `${id}-declaration-error` : undefined}
          />
          {t('claims.declaration')}
        </label>
        {declarationError && (
          <p id={`${id}-declaration-error`} className="field__error">
            {declarationError}
          </p>
        )}
      </div>
    </>
  );
}

function Success({ submitted }: { submitted: Submitted }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <section className="panel claim-success" aria-labelledby="claim-success-heading">
      <h2 id="claim-success-heading" ref={ref} tabIndex={-1}>
        {t('claims.successHeading')}
      </h2>
      <p className="claim-success__number">
        <span className="claim-success__label">{t('claims.successNumber')}</span>{' '}
        <strong>{submitted.number}</strong>
      </p>
      <p role="status">{t('claims.successText', { number: submitted.number })}</p>
      <p>{t('claims.successEmail', { date: formatDate(submitted.expectedDecisionOn) })}</p>
      <p className="form__actions">
        <Link href={claimRoute(submitted.id)} className="button button--primary">
          {t('claims.toClaim', { number: submitted.number })}
        </Link>
        <Link href={CLAIMS_ROUTE} className="button button--secondary">
          {t('claims.toClaims')}
        </Link>
      </p>
    </section>
  );
}
