import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { Button, Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { CLAIM_LIMITS, DOCUMENT_CHECKLIST } from '#contracts/claims.codes.js';
import { FormAlert } from '../../components/form-alert';
import { PendingButton } from '../../components/submit-button';
import { api, errorMessage } from '../../lib/api';
import { type FieldErrors, fieldErrorsOf, useFormFeedback } from '../../lib/form-feedback';
import { formatEuro } from '../../lib/money';
import { useApiQuery } from '../../lib/query';
import { useDocumentTitle } from '../../lib/use-document-title';
import { claimActionError } from './claim-errors';
import {
  CLAIM_OPTIONS_PATH,
  type ClaimOptions,
  DRAFTS_PATH,
  type Draft,
  draftPath,
  isClaimsQueryKey,
  type Submitted,
} from './claims-api';
import { FacilityPicker } from './facility-picker';
import {
  checkInvoices,
  checkPayee,
  draftToForm,
  emptyInvoice,
  formToDraftBody,
  type InvoiceForm,
  invoiceField,
  missingDocumentKinds,
  requiredDocumentKinds,
  resumeStep,
  stepOfField,
  WIZARD_STEPS,
  type WizardForm,
  type WizardStep,
  warningsKey,
} from './wizard-model';
import { BeneficiaryStep } from './wizard-steps/beneficiary-step';
import { CategoryStep } from './wizard-steps/category-step';
import { ClaimSuccess } from './wizard-steps/claim-success';
import { DocumentsStep } from './wizard-steps/documents-step';
import { InvoicesStep } from './wizard-steps/invoices-step';
import { PayeeStep } from './wizard-steps/payee-step';
import { SummaryStep } from './wizard-steps/summary-step';

const OPEN_DRAFT_KEY = ['claims', 'open-draft'] as const;

const newUuid = () => crypto.randomUUID();

/** Moves focus to `selector` once React has drawn the change that creates it. */
function focusLater(selector: string): void {
  setTimeout(() => document.querySelector<HTMLElement>(selector)?.focus());
}

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
      {submitted && <ClaimSuccess submitted={submitted} />}
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
  const [facilityNames, setFacilityNames] = useState<ReadonlyMap<string, string>>(() => new Map());
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
      for (const [field, code] of Object.entries(checkPayee(form))) errors[field] = t(`fieldErrors.${code}`);
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
      const warnings = warningsKey(saved.warnings);
      if (step === 'invoices' && warnings !== '' && warnings !== shownWarnings) {
        setShownWarnings(warnings);
        // Read before going on: focus goes to the first warning (AVANTI again goes on).
        focusLater('.invoice .claim-warning');
        return;
      }
      const following = WIZARD_STEPS[index + 1];
      if (following) goTo(following);
    } catch (error) {
      showErrors(errorMessage(t, error), fieldErrorsOf(error, t));
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
      showErrors(errorMessage(t, error), fieldErrorsOf(error, t));
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
            <BeneficiaryStep
              beneficiaries={options.beneficiaries}
              value={form.beneficiaryId}
              onChange={(value) => setForm((f) => ({ ...f, beneficiaryId: value }))}
              error={feedback.fieldErrors.beneficiaryId}
            />
          )}
          {step === 'category' && (
            <CategoryStep
              categories={options.categories}
              value={form.category}
              onChange={(value) => setForm((f) => ({ ...f, category: value }))}
              error={feedback.fieldErrors.category}
            />
          )}
          {step === 'invoices' && (
            <InvoicesStep
              invoices={form.invoices}
              category={category}
              today={options.today}
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
            <PayeeStep
              iban={form.iban}
              accountHolder={form.accountHolder}
              onChange={(change) => setForm((f) => ({ ...f, ...change }))}
            />
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
              onEstimateError={(error) => showErrors(errorMessage(t, error), fieldErrorsOf(error, t))}
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
            setFacilityNames((names) => new Map(names).set(facility.id, facility.name));
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
