import { CLAIM_ADJUST_REASON_LABELS, type ClaimAdjustReason } from '#contracts/claims.codes.js';
import type { ReasonCode } from '#contracts/plans.codes.js';

/**
 * The words of the settlement letter, in Italian (the letter is the fund's, in the fund's
 * language). Pure lookups: a code not worded here is printed as it is.
 */

/** Why an invoice line got what it got (the engine's reason, or the operator's once decided). */
export const REASON_WORDS: Record<ReasonCode, string> = {
  not_covered: 'spesa non coperta dal piano',
  outside_plan_year: "spesa di un anno diverso da quello del piano: va chiesta sul piano di quell'anno",
  invoice_after_submission: "data della fattura successiva all'invio della richiesta",
  deadline_passed: 'fattura inviata oltre il termine previsto dal piano',
  prescription_missing: 'manca la prescrizione medica richiesta dal piano',
  frequency_limit: 'il piano rimborsa questa prestazione solo un numero limitato di volte',
  zero_after_minimum: 'importo entro il minimo non indennizzabile per fattura',
  zero_after_deductible: 'importo entro la franchigia',
  paid_by_other_fund: 'spesa già pagata da un altro fondo',
  cap_reached: 'massimale annuo raggiunto',
  subcap_reached: 'massimale annuo della categoria raggiunto',
  partially_accepted_coinsurance: 'rimborso al netto dello scoperto o del minimo per fattura',
  partially_accepted_deductible: 'rimborso al netto della franchigia',
  partially_accepted_other_fund: 'rimborso al netto di quanto già pagato da un altro fondo',
  accepted: 'spesa rimborsata secondo le regole del piano',
};

export function reasonText(code: string | null): string | null {
  if (code === null) return null;
  return Object.hasOwn(REASON_WORDS, code) ? REASON_WORDS[code as ReasonCode] : code;
}

/** The operator's reason for changing an accepted amount (CLAIM_ADJUST_REASONS), as the member reads it. */
export function adjustReasonText(code: string | null): string | null {
  if (code === null) return null;
  return Object.hasOwn(CLAIM_ADJUST_REASON_LABELS, code)
    ? CLAIM_ADJUST_REASON_LABELS[code as ClaimAdjustReason].it
    : code;
}
