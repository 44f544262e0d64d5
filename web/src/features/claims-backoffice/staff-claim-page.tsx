import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import {
  CLAIM_ADJUST_REASON_LABELS,
  CLAIM_STATE_LABELS,
  DOCUMENT_KIND_LABELS,
  type DocumentKind,
} from '#contracts/claims.codes.js';
import { FormStatus } from '../../components/form-alert';
import { LoadError } from '../../components/load-error';
import { PendingButton } from '../../components/submit-button';
import { api } from '../../lib/api';
import { formatDate, formatDateTime } from '../../lib/format';
import { formatEuro } from '../../lib/money';
import { useApiQuery } from '../../lib/query';
import { useDocumentTitle } from '../../lib/use-document-title';
import { memberRoute } from '../registry/registry-api';
import {
  CLAIMS_QUEUE_ROUTE,
  type StaffClaimDetail,
  staffClaimDocumentPath,
  staffClaimError,
  staffClaimPath,
  staffClaimRoute,
} from './claims-backoffice-api';
import { DecisionPanel } from './decision-panel';
import { PlainTextArea } from './plain-fields';
import { lang, useStaffClaimChange } from './staff-claim-shared';

/**
 * `/backoffice/pratiche/:id`: a claim for the back office. The member and beneficiary, the plan
 * version, the invoices with the engine's proposal, the documents opened in the page, probable
 * duplicates, the thread and the timeline; for the operator who holds it, the decision and the
 * request for documents; for a second operator, the approval of a pending decision.
 */
export function StaffClaimPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const claim = useApiQuery<StaffClaimDetail>(staffClaimPath(id));
  useDocumentTitle(
    claim.data
      ? t('staffClaim.documentTitle', { number: claim.data.number })
      : t('claimsQueue.documentTitle'),
  );
  return (
    <div className="staff-page staff-claim">
      {claim.isPending && (
        <>
          <h1>{t('claimsQueue.heading')}</h1>
          <p role="status" className="muted">
            {t('staffClaim.loading')}
          </p>
        </>
      )}
      {claim.isError && (
        <>
          <h1>{t('claimsQueue.heading')}</h1>
          <div className="panel">
            <LoadError error={claim.error} onRetry={() => void claim.refetch()} />
          </div>
        </>
      )}
      {claim.data && <ClaimView claim={claim.data} />}
      <p>
        <Link href={CLAIMS_QUEUE_ROUTE}>{t('staffClaim.toQueue')}</Link>
      </p>
    </div>
  );
}

function ClaimView({ claim }: { claim: StaffClaimDetail }) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'it';
  const l = lang(language);
  const [status, setStatus] = useState<string | null>(null);
  const euro = (cents: number | null) => (cents === null ? '—' : formatEuro(cents, language));
  return (
    <>
      <h1>{t('staffClaim.heading', { number: claim.number })}</h1>
      <p className="claim-state claim-state--large" data-state={claim.state}>
        {CLAIM_STATE_LABELS[claim.state][l]}
      </p>
      <FormStatus message={status} focusOnShow />
      <section className="panel" aria-labelledby="staff-claim-facts">
        <h2 id="staff-claim-facts">{t('staffClaim.factsHeading')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('staffClaim.member')}</dt>
            <dd>
              <Link href={memberRoute(claim.member.registryId)}>
                {claim.member.givenName} {claim.member.surname}
              </Link>{' '}
              <span className="nowrap">{claim.member.codiceFiscale}</span>
            </dd>
          </div>
          <div>
            <dt>{t('staffClaim.beneficiary')}</dt>
            <dd>
              <Link href={memberRoute(claim.beneficiary.registryId)}>
                {claim.beneficiary.givenName} {claim.beneficiary.surname}
              </Link>{' '}
              <span className="nowrap">{claim.beneficiary.codiceFiscale}</span>
            </dd>
          </div>
          <div>
            <dt>{t('staffClaim.plan')}</dt>
            <dd>{t('staffClaim.planVersion', { code: claim.plan.code, version: claim.plan.version })}</dd>
          </div>
          <div>
            <dt>{t('staffClaim.category')}</dt>
            <dd>{claim.categoryLabel[l]}</dd>
          </div>
          <div>
            <dt>{t('staffClaim.submitted')}</dt>
            <dd>{formatDateTime(claim.submittedAt)}</dd>
          </div>
          <div>
            <dt>{t('staffClaim.expectedDecision')}</dt>
            <dd>{formatDate(claim.expectedDecisionOn)}</dd>
          </div>
          <div>
            <dt>{t('staffClaim.payee')}</dt>
            <dd>
              {claim.ibanMasked} — {claim.accountHolder}
            </dd>
          </div>
          <div>
            <dt>{t('staffClaim.amounts')}</dt>
            <dd>
              {t('staffClaim.amountsLine', {
                claimed: euro(claim.claimedCents),
                estimated: euro(claim.estimatedCents),
                accepted: euro(claim.acceptedCents),
              })}
            </dd>
          </div>
          <div>
            <dt>{t('staffClaim.holder')}</dt>
            <dd>{claim.holder ? claim.holder.username : t('staffClaim.nobody')}</dd>
          </div>
          {claim.decision && (
            <div>
              <dt>{t('staffClaim.decided')}</dt>
              <dd>
                {claim.decision.by === 'system'
                  ? t('staffClaim.decidedBySystem', { at: formatDateTime(claim.decision.at) })
                  : t('staffClaim.decidedBy', {
                      at: formatDateTime(claim.decision.at),
                      operator: claim.decision.operator ?? '',
                    })}
                {claim.decision.secondApprover &&
                  ` ${t('staffClaim.secondApprover', { operator: claim.decision.secondApprover })}`}
              </dd>
            </div>
          )}
        </dl>
      </section>

      <HoldActions claim={claim} onDone={setStatus} />
      {claim.pendingDecision && <PendingDecision claim={claim} onDone={setStatus} />}

      <section className="panel" aria-labelledby="staff-claim-invoices">
        <h2 id="staff-claim-invoices">{t('staffClaim.invoicesHeading')}</h2>
        {claim.duplicates.length > 0 && (
          <div className="notice claim-warning">
            <p>{t('staffClaim.duplicatesIntro')}</p>
            <ul>
              {claim.duplicates.map((d) => (
                <li key={`${d.invoiceId}-${d.claimId}`}>
                  <Link href={staffClaimRoute(d.claimId)}>{d.number}</Link> — {CLAIM_STATE_LABELS[d.state][l]}
                </li>
              ))}
            </ul>
          </div>
        )}
        <ul className="estimate-lines">
          {claim.invoices.map((invoice) => (
            <li key={invoice.id} className="estimate-line">
              <h3 className="estimate-line__title">
                {t('claims.invoiceLine', {
                  number: invoice.invoiceNumber,
                  date: formatDate(invoice.invoiceDate),
                  issuer: invoice.issuerName,
                })}{' '}
                — {t(`claims.channels.${invoice.channel}`)}
                {invoice.facility ? ` (${invoice.facility.name})` : ''}
              </h3>
              {invoice.probableDuplicate && (
                <p className="notice claim-warning">{t('staffClaim.probableDuplicate')}</p>
              )}
              <dl className="estimate-line__amounts">
                <div>
                  <dt>{t('claims.detail.columns.claimed')}</dt>
                  <dd>{euro(invoice.amountCents)}</dd>
                </div>
                <div>
                  <dt>{t('staffClaim.proposal')}</dt>
                  <dd>{euro(invoice.proposal?.acceptedCents ?? invoice.estimatedCents)}</dd>
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
                <p>
                  {t('claims.detail.adjustReason', {
                    reason: CLAIM_ADJUST_REASON_LABELS[invoice.adjustReason][l],
                  })}
                </p>
              )}
              <ul className="estimate-line__explanation">
                {(invoice.proposal?.explanation ?? invoice.explanation)[l].map((sentence) => (
                  <li key={sentence}>{sentence}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </section>

      {claim.can.decide && <DecisionPanel claim={claim} onDone={setStatus} />}
      {claim.can.requestDocuments && <DocumentRequest claim={claim} onDone={setStatus} />}
      <Documents claim={claim} />
      <Thread claim={claim} />
      <Timeline claim={claim} />
    </>
  );
}

function HoldActions({ claim, onDone }: { claim: StaffClaimDetail; onDone(message: string): void }) {
  const { t } = useTranslation();
  const changed = useStaffClaimChange();
  const [error, setError] = useState<string | null>(null);
  const act = useMutation({
    mutationFn: (action: 'take' | 'release') => api.post<void>(`${staffClaimPath(claim.id)}/${action}`),
    onSuccess: async (_, action) => {
      await changed();
      onDone(t(action === 'take' ? 'staffClaim.taken' : 'staffClaim.released'));
    },
    onError: async (e) => {
      setError(staffClaimError(t, e));
      await changed();
    },
  });
  if (!claim.can.take && !claim.can.release) return null;
  return (
    <section className="panel" aria-labelledby="staff-claim-hold">
      <h2 id="staff-claim-hold">{t('staffClaim.holdHeading')}</h2>
      <div role="alert" className="form-alert">
        {error && <p>{error}</p>}
      </div>
      <div className="form__actions">
        {claim.can.take && (
          <PendingButton
            pending={act.isPending}
            onPress={() => {
              setError(null);
              act.mutate('take');
            }}
          >
            {t('staffClaim.take')}
          </PendingButton>
        )}
        {claim.can.release && (
          <PendingButton
            className="button button--secondary"
            pending={act.isPending}
            onPress={() => {
              setError(null);
              act.mutate('release');
            }}
          >
            {t('staffClaim.release')}
          </PendingButton>
        )}
      </div>
    </section>
  );
}

function PendingDecision({ claim, onDone }: { claim: StaffClaimDetail; onDone(message: string): void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'it';
  const l = lang(language);
  const changed = useStaffClaimChange();
  const [error, setError] = useState<string | null>(null);
  const pending = claim.pendingDecision;
  const act = useMutation({
    mutationFn: (action: 'confirm' | 'discard') =>
      api.post<unknown>(`${staffClaimPath(claim.id)}/decision/${action}`),
    onSuccess: async (_, action) => {
      await changed();
      onDone(t(action === 'confirm' ? 'staffClaim.confirmed' : 'staffClaim.discarded'));
    },
    onError: async (e) => {
      setError(staffClaimError(t, e));
      await changed();
    },
  });
  if (!pending) return null;
  return (
    <section className="panel notice" aria-labelledby="staff-claim-pending">
      <h2 id="staff-claim-pending">{t('staffClaim.pendingHeading')}</h2>
      <p>
        {t('staffClaim.pendingBy', {
          operator: pending.proposedBy,
          at: formatDateTime(pending.proposedAt),
          total: formatEuro(pending.totalCents, language),
        })}
      </p>
      <p>{pending.reasons.map((r) => t(`staffClaim.fourEyes.${r}`)).join(' ')}</p>
      <ul>
        {pending.lines.map((line) => {
          const invoice = claim.invoices.find((i) => i.id === line.invoiceId);
          return (
            <li key={line.invoiceId}>
              {t('staffClaim.pendingLine', {
                number: invoice?.invoiceNumber ?? '',
                amount: formatEuro(line.acceptedCents, language),
              })}
              {line.adjustReason && ` — ${CLAIM_ADJUST_REASON_LABELS[line.adjustReason][l]}`}
            </li>
          );
        })}
      </ul>
      {pending.note && <p>{pending.note}</p>}
      <div role="alert" className="form-alert">
        {error && <p>{error}</p>}
      </div>
      <div className="form__actions">
        {claim.can.confirm && (
          <PendingButton
            pending={act.isPending}
            onPress={() => {
              setError(null);
              act.mutate('confirm');
            }}
          >
            {t('staffClaim.confirm')}
          </PendingButton>
        )}
        {claim.can.discard && (
          <PendingButton
            className="button button--secondary"
            pending={act.isPending}
            onPress={() => {
              setError(null);
              act.mutate('discard');
            }}
          >
            {t('staffClaim.discard')}
          </PendingButton>
        )}
      </div>
    </section>
  );
}

function DocumentRequest({ claim, onDone }: { claim: StaffClaimDetail; onDone(message: string): void }) {
  const { t, i18n } = useTranslation();
  const l = lang(i18n.resolvedLanguage);
  const changed = useStaffClaimChange();
  const _id = useId();
  const [items, setItems] = useState<DocumentKind[]>(
    claim.checklist.filter((c) => c.need === 'required' && !c.present).map((c) => c.kind),
  );
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const send = useMutation({
    mutationFn: () =>
      api.post<void>(`${staffClaimPath(claim.id)}/document-request`, {
        items,
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    onSuccess: async () => {
      await changed();
      onDone(t('staffClaim.requestSent'));
    },
    onError: (e) => setError(staffClaimError(t, e)),
  });
  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (send.isPending) return;
    if (items.length === 0) {
      setError(t('staffClaim.requestItemsRequired'));
      return;
    }
    setError(null);
    send.mutate();
  }
  return (
    <section className="panel" aria-labelledby="staff-claim-request">
      <h2 id="staff-claim-request">{t('staffClaim.requestHeading')}</h2>
      <form className="form" onSubmit={submit} noValidate>
        <fieldset className="field choice-list">
          <legend className="field__label">{t('staffClaim.requestItems')}</legend>
          {claim.checklist.map((item) => (
            <label key={item.kind} className="checkbox">
              <input
                type="checkbox"
                name="items"
                value={item.kind}
                checked={items.includes(item.kind)}
                onChange={(e) =>
                  setItems((list) =>
                    e.target.checked ? [...list, item.kind] : list.filter((k) => k !== item.kind),
                  )
                }
              />
              {t(item.present ? 'staffClaim.checklistPresent' : 'staffClaim.checklistMissing', {
                kind: DOCUMENT_KIND_LABELS[item.kind][l],
                need: t(`claims.need.${item.need}`),
              })}
            </label>
          ))}
        </fieldset>
        <PlainTextArea label={t('staffClaim.requestNote')} value={note} onChange={setNote} />
        <div role="alert" className="form-alert">
          {error && <p>{error}</p>}
        </div>
        <div className="form__actions">
          <PendingButton type="submit" className="button button--secondary" pending={send.isPending}>
            {t('staffClaim.requestSend')}
          </PendingButton>
        </div>
      </form>
    </section>
  );
}

function Documents({ claim }: { claim: StaffClaimDetail }) {
  const { t, i18n } = useTranslation();
  const l = lang(i18n.resolvedLanguage);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section className="panel" aria-labelledby="staff-claim-documents">
      <h2 id="staff-claim-documents">{t('claims.detail.documentsHeading')}</h2>
      <ul className="document-list">
        {claim.checklist.map((item) => (
          <li key={item.kind}>
            {t(item.present ? 'staffClaim.checklistPresent' : 'staffClaim.checklistMissing', {
              kind: DOCUMENT_KIND_LABELS[item.kind][l],
              need: t(`claims.need.${item.need}`),
            })}
          </li>
        ))}
      </ul>
      {claim.documents.length === 0 ? (
        <p className="muted">{t('claims.detail.noDocuments')}</p>
      ) : (
        <ul className="document-list">
          {claim.documents.map((document) => {
            const src = staffClaimDocumentPath(claim.id, document.id);
            const shown = open === document.id;
            return (
              <li key={document.id} className="document-list__item">
                <span>
                  {document.fileName} —{' '}
                  {t('claims.detail.documentMeta', {
                    kind: DOCUMENT_KIND_LABELS[document.kind][l],
                    date: formatDate(document.uploadedAt),
                  })}
                </span>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  aria-expanded={shown}
                  onClick={() => setOpen(shown ? null : document.id)}
                >
                  {t(shown ? 'staffClaim.closeDocument' : 'staffClaim.openDocument', {
                    name: document.fileName,
                  })}
                </button>
                {shown &&
                  (document.mediaType === 'application/pdf' ? (
                    <iframe className="document-viewer" src={src} title={document.fileName} />
                  ) : (
                    <img
                      className="document-viewer"
                      src={src}
                      alt={t('staffClaim.imageAlt', { name: document.fileName })}
                    />
                  ))}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function Thread({ claim }: { claim: StaffClaimDetail }) {
  const { t } = useTranslation();
  const changed = useStaffClaimChange();
  const _id = useId();
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const send = useMutation({
    mutationFn: (text: string) => api.post<unknown>(`${staffClaimPath(claim.id)}/messages`, { body: text }),
    onSuccess: async () => {
      setBody('');
      await changed();
      setSent(t('staffClaim.messageSent'));
    },
    onError: (e) => setError(staffClaimError(t, e)),
  });
  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (send.isPending) return;
    setSent(null);
    if (!body.trim()) {
      setError(t('claims.detail.messageRequired'));
      return;
    }
    setError(null);
    send.mutate(body.trim());
  }
  return (
    <section className="panel" aria-labelledby="staff-claim-messages">
      <h2 id="staff-claim-messages">{t('claims.detail.messagesHeading')}</h2>
      {claim.messages.length === 0 ? (
        <p className="muted">{t('claims.detail.noMessages')}</p>
      ) : (
        <ol className="messages">
          {claim.messages.map((message) => (
            <li key={message.id} className="message" data-author={message.author}>
              <p className="message__meta">
                <strong>{t(`staffClaim.author.${message.author}`)}</strong> — {formatDateTime(message.at)}
              </p>
              <p className="message__body">{message.body}</p>
            </li>
          ))}
        </ol>
      )}
      {claim.can.message && (
        <form className="form" onSubmit={submit} noValidate>
          <PlainTextArea label={t('staffClaim.message')} value={body} onChange={setBody} error={error} />
          <div className="form__actions">
            <PendingButton type="submit" className="button button--secondary" pending={send.isPending}>
              {t('claims.detail.send')}
            </PendingButton>
          </div>
          <FormStatus message={sent} />
        </form>
      )}
    </section>
  );
}

function Timeline({ claim }: { claim: StaffClaimDetail }) {
  const { t, i18n } = useTranslation();
  const l = lang(i18n.resolvedLanguage);
  return (
    <section className="panel" aria-labelledby="staff-claim-timeline">
      <h2 id="staff-claim-timeline">{t('claims.detail.timelineHeading')}</h2>
      <ol className="timeline">
        {claim.events.map((event) => (
          <li key={`${event.at}-${event.to}`} className="timeline__item">
            <p className="timeline__when">{formatDateTime(event.at)}</p>
            <p className="timeline__what">
              <strong>{CLAIM_STATE_LABELS[event.to][l]}</strong> —{' '}
              {event.actorName ?? t(`claims.detail.actor.${event.actor}`)}
              {event.reasonCode && ` (${event.reasonCode})`}
            </p>
            {event.items.length > 0 && (
              <p>
                {t('claims.detail.requestedItems', {
                  items: event.items.map((k) => DOCUMENT_KIND_LABELS[k][l]).join(', '),
                })}
              </p>
            )}
            {event.note && <p className="timeline__note">{event.note}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}
