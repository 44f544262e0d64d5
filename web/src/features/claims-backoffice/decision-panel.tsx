import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CLAIM_ADJUST_REASON_LABELS,
  CLAIM_ADJUST_REASONS,
  CLAIM_STATE_LABELS,
  type ClaimAdjustReason,
} from '#contracts/claims.codes.js';
import { PendingButton } from '../../components/submit-button';
import { ApiError, api, detailText } from '../../lib/api';
import { formatEuro, formatHundredths, parseAmount } from '../../lib/money';
import {
  type DecisionBody,
  type DecisionResult,
  type StaffClaimDetail,
  staffClaimError,
  staffClaimPath,
} from './claims-backoffice-api';
import { PlainTextArea } from './plain-fields';
import { lang, useStaffClaimChange } from './staff-claim-shared';

type Line = DecisionBody['lines'][number];

/**
 * The decision on a claim the operator holds: "APPROVA" accepts every line as the engine
 * proposes; an amount changed in the table needs its reason (closed list) and is saved with
 * "SALVA DECISIONE"; "RESPINGI" refuses every line with one reason. Above the proposal or the
 * threshold, the decision waits for a second operator.
 */
export function DecisionPanel({ claim, onDone }: { claim: StaffClaimDetail; onDone(message: string): void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'it';
  const l = lang(language);
  const id = useId();
  const changed = useStaffClaimChange();
  const proposed = (invoiceId: string) =>
    claim.invoices.find((i) => i.id === invoiceId)?.proposal?.acceptedCents ?? 0;
  const [amounts, setAmounts] = useState<Record<string, string>>(() =>
    Object.fromEntries(claim.invoices.map((i) => [i.id, formatHundredths(proposed(i.id), language)])),
  );
  const [reasons, setReasons] = useState<Record<string, ClaimAdjustReason | ''>>({});
  const [rejectReason, setRejectReason] = useState<ClaimAdjustReason | ''>('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<string[]>([]);

  const decide = useMutation({
    mutationFn: (lines: Line[]) =>
      api.post<DecisionResult>(`${staffClaimPath(claim.id)}/decision`, {
        lines,
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    onSuccess: async (result) => {
      await changed();
      onDone(
        result.pending
          ? t('staffClaim.decisionPending')
          : t('staffClaim.decisionSaved', { state: CLAIM_STATE_LABELS[result.state][l] }),
      );
    },
    onError: async (e) => {
      setErrors(
        e instanceof ApiError && e.code === 'VALIDATION_FAILED' && e.details.length > 0
          ? e.details.map((d) => detailText(t, d))
          : [staffClaimError(t, e)],
      );
      if (e instanceof ApiError && e.code === 'CONFLICT') await changed();
    },
  });

  const send = (lines: Line[]) => {
    if (decide.isPending) return;
    setErrors([]);
    decide.mutate(lines);
  };

  function approve(): void {
    send(claim.invoices.map((i) => ({ invoiceId: i.id, acceptedCents: proposed(i.id) })));
  }

  function saveEdited(): void {
    const problems: string[] = [];
    const lines = claim.invoices.map((invoice, index) => {
      const cents = parseAmount(amounts[invoice.id] ?? '', language);
      const n = index + 1;
      if (cents === null) problems.push(t('staffClaim.lineAmountInvalid', { n }));
      else if (cents > invoice.amountCents) problems.push(t('staffClaim.lineAmountTooHigh', { n }));
      const reason = reasons[invoice.id] ?? '';
      if (cents !== null && cents !== proposed(invoice.id) && !reason)
        problems.push(t('staffClaim.lineReasonRequired', { n }));
      return {
        invoiceId: invoice.id,
        acceptedCents: cents ?? 0,
        ...(reason ? { adjustReason: reason } : {}),
      };
    });
    if (problems.length > 0) {
      setErrors(problems);
      return;
    }
    send(lines);
  }

  function reject(): void {
    if (!rejectReason) {
      setErrors([t('staffClaim.rejectReasonRequired')]);
      return;
    }
    send(claim.invoices.map((i) => ({ invoiceId: i.id, acceptedCents: 0, adjustReason: rejectReason })));
  }

  const reasonChoices = CLAIM_ADJUST_REASONS.map((r) => ({
    value: r,
    label: CLAIM_ADJUST_REASON_LABELS[r][l],
  }));

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('staffClaim.decisionHeading')}</h2>
      <p className="field__hint">{t('staffClaim.decisionHint')}</p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard. */}
      <section className="table-wrap" aria-labelledby={`${id}-caption`} tabIndex={0}>
        <table className="data-table">
          <caption id={`${id}-caption`}>{t('staffClaim.decisionCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('staffClaim.columns.invoice')}</th>
              <th scope="col">{t('staffClaim.columns.amount')}</th>
              <th scope="col">{t('staffClaim.columns.proposal')}</th>
              <th scope="col">{t('staffClaim.columns.accepted')}</th>
              <th scope="col">{t('staffClaim.columns.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {claim.invoices.map((invoice, index) => (
              <tr key={invoice.id}>
                <th scope="row">{invoice.invoiceNumber}</th>
                <td className="nowrap">{formatEuro(invoice.amountCents, language)}</td>
                <td className="nowrap">{formatEuro(proposed(invoice.id), language)}</td>
                <td>
                  <label className="visually-hidden" htmlFor={`${id}-amount-${index}`}>
                    {t('staffClaim.acceptedFor', { number: invoice.invoiceNumber })}
                  </label>
                  <input
                    id={`${id}-amount-${index}`}
                    className="field__input field__input--short"
                    inputMode="decimal"
                    value={amounts[invoice.id] ?? ''}
                    onChange={(e) => setAmounts((a) => ({ ...a, [invoice.id]: e.target.value }))}
                  />
                </td>
                <td>
                  <label className="visually-hidden" htmlFor={`${id}-reason-${index}`}>
                    {t('staffClaim.reasonFor', { number: invoice.invoiceNumber })}
                  </label>
                  <select
                    id={`${id}-reason-${index}`}
                    className="field__input"
                    value={reasons[invoice.id] ?? ''}
                    onChange={(e) =>
                      setReasons((r) => ({ ...r, [invoice.id]: e.target.value as ClaimAdjustReason | '' }))
                    }
                  >
                    <option value="">{t('staffClaim.noReason')}</option>
                    {reasonChoices.map((c) => (
                      <option key={c.value} value={c.value}>
                        {c.label}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <PlainTextArea label={t('staffClaim.decisionNote')} value={note} onChange={setNote} />
      <div role="alert" className="form-alert">
        {errors.length > 0 && (
          <ul>
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        )}
      </div>
      <div className="form__actions">
        <PendingButton pending={decide.isPending} onPress={approve}>
          {t('staffClaim.approve')}
        </PendingButton>
        <PendingButton className="button button--secondary" pending={decide.isPending} onPress={saveEdited}>
          {t('staffClaim.saveDecision')}
        </PendingButton>
      </div>
      <div className="field">
        <label htmlFor={`${id}-reject`} className="field__label">
          {t('staffClaim.rejectReason')}
        </label>
        <select
          id={`${id}-reject`}
          className="field__input"
          value={rejectReason}
          onChange={(e) => setRejectReason(e.target.value as ClaimAdjustReason | '')}
        >
          <option value="">{t('staffClaim.chooseReason')}</option>
          {reasonChoices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <div className="form__actions">
        <PendingButton className="button button--secondary" pending={decide.isPending} onPress={reject}>
          {t('staffClaim.reject')}
        </PendingButton>
      </div>
    </section>
  );
}
