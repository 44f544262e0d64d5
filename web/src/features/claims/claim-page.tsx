import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Button, FieldError, Form, Label, Link, TextArea, TextField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import {
  CLAIM_ADJUST_REASON_LABELS,
  CLAIM_LIMITS,
  CLAIM_STATE_LABELS,
  DOCUMENT_KIND_LABELS,
} from '#contracts/claims.codes.js';
import { FormAlert, FormStatus } from '../../components/form-alert';
import { LoadError } from '../../components/load-error';
import { PendingButton } from '../../components/submit-button';
import { api } from '../../lib/api';
import { fieldErrorsOf, useFormFeedback } from '../../lib/form-feedback';
import { formatDate, formatDateTime } from '../../lib/format';
import { formatEuro } from '../../lib/money';
import { useApiQuery } from '../../lib/query';
import { useDocumentTitle } from '../../lib/use-document-title';
import { claimActionError } from './claim-errors';
import {
  CLAIMS_ROUTE,
  type ClaimDetail,
  type ClaimDocument,
  claimDocumentPath,
  claimLetterPath,
  claimPath,
  isClaimsQueryKey,
} from './claims-api';
import { DocumentUpload } from './document-upload';

const lang = (language: string | undefined): 'it' | 'en' => (language === 'en' ? 'en' : 'it');

const KNOWN_REASONS = [
  'member_submitted',
  'member_cancelled',
  'documents_requested',
  'documents_sent',
  'integration_expired',
  'review_started',
  'decided',
  'auto_decided',
  'payment_ordered',
] as const;
const isKnownReason = (code: string | null): code is (typeof KNOWN_REASONS)[number] =>
  code !== null && (KNOWN_REASONS as readonly string[]).includes(code);

/** `/pratiche/:id`: a claim, its timeline, invoices, documents, messages and what the member can do. */
export function ClaimPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const claim = useApiQuery<ClaimDetail>(claimPath(id));
  useDocumentTitle(
    claim.data
      ? t('claims.detail.documentTitle', { number: claim.data.number })
      : t('claimsList.documentTitle'),
  );

  return (
    <div className="dashboard claim-page">
      {claim.isPending && (
        <>
          <h1>{t('claimsList.heading')}</h1>
          <p role="status" className="muted">
            {t('claims.detail.loading')}
          </p>
        </>
      )}
      {claim.isError && (
        <>
          <h1>{t('claimsList.heading')}</h1>
          <div className="panel">
            <LoadError error={claim.error} onRetry={() => void claim.refetch()} />
          </div>
        </>
      )}
      {claim.data && <ClaimView claim={claim.data} />}
      <p>
        <Link href={CLAIMS_ROUTE}>{t('claims.toClaims')}</Link>
      </p>
    </div>
  );
}

/** After a change: the claim and every list showing it are read again. */
function useClaimChange() {
  const queryClient = useQueryClient();
  return async () => {
    await queryClient.invalidateQueries({ predicate: (q) => isClaimsQueryKey(q.queryKey) });
  };
}

function ClaimView({ claim }: { claim: ClaimDetail }) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'it';
  const l = lang(language);
  const euro = (cents: number | null) =>
    cents === null ? t('claims.detail.notYet') : formatEuro(cents, language);
  const [status, setStatus] = useState<string | null>(null);

  return (
    <>
      <div className="dashboard__intro">
        <h1>{t('claims.detail.heading', { number: claim.number })}</h1>
        <p className="claim-state claim-state--large" data-state={claim.state}>
          {CLAIM_STATE_LABELS[claim.state][l]}
        </p>
      </div>
      <FormStatus message={status} focusOnShow />

      <section className="panel" aria-labelledby="claim-summary-heading">
        <h2 id="claim-summary-heading" className="visually-hidden">
          {t('claims.detail.state')}
        </h2>
        <dl className="facts">
          <div>
            <dt>{t('claims.detail.state')}</dt>
            <dd>{CLAIM_STATE_LABELS[claim.state][l]}</dd>
          </div>
          <div>
            <dt>{t('claims.detail.category')}</dt>
            <dd>{claim.categoryLabel[l]}</dd>
          </div>
          <div>
            <dt>{t('claims.detail.beneficiary')}</dt>
            <dd>
              {claim.beneficiary.givenName} {claim.beneficiary.surname}
            </dd>
          </div>
          <div>
            <dt>{t('claims.detail.submittedAt')}</dt>
            <dd>{formatDateTime(claim.submittedAt)}</dd>
          </div>
          <div>
            <dt>{t('claims.detail.expectedDecision')}</dt>
            <dd>{formatDate(claim.expectedDecisionOn)}</dd>
          </div>
          <div>
            <dt>{t('claims.detail.payee')}</dt>
            <dd>{t('claims.payeeLine', { iban: claim.ibanMasked, holder: claim.accountHolder })}</dd>
          </div>
          {claim.state === 'paid' && claim.paidOn && (
            <>
              <div>
                <dt>{t('settlementLetter.paidCents')}</dt>
                <dd>{euro(claim.paidCents)}</dd>
              </div>
              <div>
                <dt>{t('settlementLetter.valueDate')}</dt>
                <dd>{formatDate(claim.paidOn)}</dd>
              </div>
            </>
          )}
        </dl>
        {claim.state === 'paid' && claim.paidOn && (
          <p>
            <a href={claimLetterPath(claim.id)} download>
              {t('settlementLetter.download')}
            </a>
          </p>
        )}
      </section>

      {claim.state === 'needs_documents' && <IntegrationSection claim={claim} onDone={setStatus} />}

      <Actions claim={claim} onDone={setStatus} />

      <section className="panel" aria-labelledby="claim-timeline-heading">
        <h2 id="claim-timeline-heading">{t('claims.detail.timelineHeading')}</h2>
        <ol className="timeline">
          {claim.events.map((event) => (
            <li key={`${event.at}-${event.to}`} className="timeline__item">
              <p className="timeline__when">{formatDateTime(event.at)}</p>
              <p className="timeline__what">
                <strong>{CLAIM_STATE_LABELS[event.to][l]}</strong> — {t(`claims.detail.actor.${event.actor}`)}
              </p>
              {isKnownReason(event.reasonCode) && (
                <p className="timeline__why">{t(`claims.detail.reasons.${event.reasonCode}`)}</p>
              )}
              {event.note && <p className="timeline__note">{event.note}</p>}
            </li>
          ))}
        </ol>
      </section>

      <section className="panel" aria-labelledby="claim-invoices-heading">
        <h2 id="claim-invoices-heading">{t('claims.detail.invoicesHeading')}</h2>
        <ul className="estimate-lines">
          {claim.invoices.map((invoice) => (
            <li key={invoice.id} className="estimate-line">
              <p className="estimate-line__title">
                {t('claims.invoiceLine', {
                  number: invoice.invoiceNumber,
                  date: formatDate(invoice.invoiceDate),
                  issuer: invoice.issuerName,
                })}{' '}
                — {t(`claims.channels.${invoice.channel}`)}
                {invoice.facility ? ` (${invoice.facility.name})` : ''}
              </p>
              {invoice.probableDuplicate && (
                <p className="notice claim-warning">{t('claims.detail.probableDuplicate')}</p>
              )}
              <dl className="estimate-line__amounts">
                <div>
                  <dt>{t('claims.detail.columns.claimed')}</dt>
                  <dd>{euro(invoice.amountCents)}</dd>
                </div>
                <div>
                  <dt>{t('claims.detail.columns.estimated')}</dt>
                  <dd>{euro(invoice.estimatedCents)}</dd>
                </div>
                <div>
                  <dt>{t('claims.detail.columns.accepted')}</dt>
                  <dd>{euro(invoice.acceptedCents)}</dd>
                </div>
                <div>
                  <dt>{t('claims.detail.columns.paid')}</dt>
                  <dd>{euro(invoice.paidCents)}</dd>
                </div>
              </dl>
              {invoice.adjustReason && (
                <p className="estimate-line__reason">
                  {t('claims.detail.adjustReason', {
                    reason: CLAIM_ADJUST_REASON_LABELS[invoice.adjustReason][l],
                  })}
                </p>
              )}
              {invoice.explanation[l].length > 0 && (
                <ul className="estimate-line__explanation">
                  {invoice.explanation[l].map((sentence) => (
                    <li key={sentence}>{sentence}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      </section>

      <section className="panel" aria-labelledby="claim-documents-heading">
        <h2 id="claim-documents-heading">{t('claims.detail.documentsHeading')}</h2>
        {claim.documents.length === 0 ? (
          <p className="muted">{t('claims.detail.noDocuments')}</p>
        ) : (
          <ul className="document-list">
            {claim.documents.map((document) => (
              <li key={document.id} className="document-list__item">
                <a href={claimDocumentPath(claim.id, document.id)} download={document.fileName}>
                  {t('claims.detail.download', { name: document.fileName })}
                </a>
                <span className="muted">
                  {t('claims.detail.documentMeta', {
                    kind: t(`claims.kinds.${document.kind}`),
                    date: formatDate(document.uploadedAt),
                  })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <Messages claim={claim} />
    </>
  );
}

function Actions({ claim, onDone }: { claim: ClaimDetail; onDone(message: string): void }) {
  const { t } = useTranslation();
  const changed = useClaimChange();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirmText = useRef<HTMLParagraphElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmText.current?.focus();
  }, [confirming]);

  const cancel = useMutation({
    mutationFn: () => api.post<unknown>(`${claimPath(claim.id)}/cancel`),
    onSuccess: async () => {
      setConfirming(false);
      await changed();
      onDone(t('claims.detail.cancelled'));
    },
    onError: (e) => setError(claimActionError(t, e)),
  });
  const remind = useMutation({
    mutationFn: () => api.post<unknown>(`${claimPath(claim.id)}/reminder`),
    onSuccess: async () => {
      await changed();
      onDone(t('claims.detail.reminded'));
    },
    onError: (e) => setError(claimActionError(t, e)),
  });

  if (!claim.canCancel && !claim.canRemind && !claim.reminderAvailableOn) return null;
  return (
    <section className="panel" aria-labelledby="claim-actions-heading">
      <h2 id="claim-actions-heading">{t('claims.detail.actionsHeading')}</h2>
      <div role="alert" className="form-alert">
        {error && <p>{error}</p>}
      </div>
      {claim.canRemind && (
        <PendingButton
          className="button button--secondary"
          pending={remind.isPending}
          onPress={() => {
            setError(null);
            remind.mutate();
          }}
        >
          {t('claims.detail.remind')}
        </PendingButton>
      )}
      {!claim.canRemind && claim.reminderAvailableOn && (
        <p className="muted">
          {t('claims.detail.remindFrom', { date: formatDate(claim.reminderAvailableOn) })}
        </p>
      )}
      {claim.canCancel && !confirming && (
        <PendingButton
          ref={cancelButton}
          className="button button--secondary"
          pending={false}
          onPress={() => {
            setError(null);
            setConfirming(true);
          }}
        >
          {t('claims.detail.cancel')}
        </PendingButton>
      )}
      {claim.canCancel && confirming && (
        <div className="confirm notice">
          <p ref={confirmText} tabIndex={-1}>
            {t('claims.detail.cancelConfirm', { number: claim.number })}
          </p>
          <div className="form__actions">
            <Button
              className="button button--secondary"
              onPress={() => {
                setConfirming(false);
                setTimeout(() => cancelButton.current?.focus());
              }}
            >
              {t('claims.detail.cancelNo')}
            </Button>
            <PendingButton pending={cancel.isPending} onPress={() => cancel.mutate()}>
              {t('claims.detail.cancelYes')}
            </PendingButton>
          </div>
        </div>
      )}
    </section>
  );
}

function IntegrationSection({ claim, onDone }: { claim: ClaimDetail; onDone(message: string): void }) {
  const { t, i18n } = useTranslation();
  const l = lang(i18n.resolvedLanguage);
  const changed = useClaimChange();
  const [error, setError] = useState<string | null>(null);
  const [uploaded, setUploaded] = useState<ClaimDocument[]>([]);
  const pendingDocuments = [
    ...claim.documents.filter((d) => d.phase === 'integration' && !d.sent),
    ...uploaded.filter((u) => !claim.documents.some((d) => d.id === u.id)),
  ];
  const send = useMutation({
    mutationFn: () => api.post<unknown>(`${claimPath(claim.id)}/integration`),
    onSuccess: async () => {
      setUploaded([]);
      await changed();
      onDone(t('claims.detail.integrationSent'));
    },
    onError: (e) => setError(claimActionError(t, e)),
  });

  return (
    <section className="panel integration" aria-labelledby="claim-integration-heading">
      <h2 id="claim-integration-heading">{t('claims.detail.integrationHeading')}</h2>
      {claim.documentRequest && (
        <blockquote className="integration__request">
          <p className="muted">
            {t('claims.detail.requestedOn', { date: formatDate(claim.documentRequest.at) })}
          </p>
          {claim.documentRequest.items.length > 0 && (
            <p>
              {t('claims.detail.requestedItems', {
                items: claim.documentRequest.items.map((k) => DOCUMENT_KIND_LABELS[k][l]).join(', '),
              })}
            </p>
          )}
          {claim.documentRequest.note && <p>{claim.documentRequest.note}</p>}
        </blockquote>
      )}
      <DocumentUpload
        uploadBase={`${claimPath(claim.id)}/documents`}
        documents={pendingDocuments}
        defaultKind="altro"
        listHeading={t('claims.detail.integrationFiles')}
        onUploaded={(document) => setUploaded((list) => [...list, document])}
      />
      <div role="alert" className="form-alert">
        {error && <p>{error}</p>}
      </div>
      <PendingButton
        pending={send.isPending}
        onPress={() => {
          if (pendingDocuments.length === 0) {
            setError(t('claims.detail.integrationNoFiles'));
            return;
          }
          setError(null);
          send.mutate();
        }}
      >
        {t('claims.detail.sendIntegration')}
      </PendingButton>
    </section>
  );
}

function Messages({ claim }: { claim: ClaimDetail }) {
  const { t } = useTranslation();
  const changed = useClaimChange();
  const id = useId();
  const [body, setBody] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const feedback = useFormFeedback(t, { body: t('claims.detail.message') });
  const send = useMutation({
    mutationFn: (text: string) => api.post<unknown>(`${claimPath(claim.id)}/messages`, { body: text }),
    onSuccess: async () => {
      setBody('');
      await changed();
      setSent(t('claims.detail.messageSent'));
    },
    onError: (e) => feedback.report(claimActionError(t, e), fieldErrorsOf(e, t)),
  });

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (send.isPending) return;
    setSent(null);
    if (body.trim() === '') {
      feedback.report(t('claims.fixStep'), { body: t('claims.detail.messageRequired') });
      return;
    }
    feedback.clear();
    send.mutate(body.trim());
  }

  return (
    <section className="panel" aria-labelledby="claim-messages-heading">
      <h2 id="claim-messages-heading">{t('claims.detail.messagesHeading')}</h2>
      {claim.messages.length === 0 ? (
        <p className="muted">{t('claims.detail.noMessages')}</p>
      ) : (
        <ol className="messages">
          {claim.messages.map((message) => (
            <li key={message.id} className="message" data-author={message.author}>
              <p className="message__meta">
                <strong>{t(`claims.detail.author.${message.author}`)}</strong> — {formatDateTime(message.at)}
              </p>
              <p className="message__body">{message.body}</p>
            </li>
          ))}
        </ol>
      )}
      <FormAlert problem={feedback.problem} />
      <Form
        ref={feedback.formRef}
        className="form"
        validationBehavior="aria"
        validationErrors={feedback.fieldErrors}
        onSubmit={submit}
      >
        <TextField
          name="body"
          className="field"
          value={body}
          onChange={setBody}
          maxLength={CLAIM_LIMITS.messageMaxLength}
          isRequired
        >
          <Label className="field__label" id={`${id}-label`}>
            {t('claims.detail.message')}
          </Label>
          <TextArea className="field__input field__textarea" rows={4} />
          <FieldError className="field__error" />
        </TextField>
        <div className="form__actions">
          <PendingButton type="submit" pending={send.isPending}>
            {t('claims.detail.send')}
          </PendingButton>
        </div>
      </Form>
      <FormStatus message={sent} />
    </section>
  );
}
