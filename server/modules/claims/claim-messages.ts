import type { ClaimConflictCode, ClaimFieldCode, DocumentRefusalCode } from '#contracts/claims.codes.js';
import type { ErrorDetail } from '../../errors/app-error.js';

type Text = { it: string; en: string };

/**
 * Every message of the claims module's field checks, in Italian and English: the one catalog. The
 * error handler answers in the request's language (Accept-Language) from `text`.
 */
export const CLAIM_FIELD_MESSAGES: Record<ClaimFieldCode, Text> = {
  required: { it: 'Campo obbligatorio.', en: 'This field is required.' },
  beneficiary_not_covered: {
    it: 'La persona non risulta coperta dal piano nella data della fattura.',
    en: 'The person is not covered by the plan on the invoice date.',
  },
  category_not_in_plan: {
    it: 'Il tuo piano non prevede questa categoria di spesa.',
    en: 'Your plan does not include this category.',
  },
  channel_not_in_plan: {
    it: 'Il tuo piano non prevede questo regime per la categoria scelta.',
    en: 'Your plan does not cover this channel for the chosen category.',
  },
  invoice_date_future: {
    it: 'La data della fattura non può essere nel futuro.',
    en: 'The invoice date cannot be in the future.',
  },
  invoice_date_before_coverage: {
    it: 'La data della fattura è precedente all’inizio della copertura.',
    en: 'The invoice date is before the coverage started.',
  },
  invoice_past_deadline: {
    it: 'È passato il termine previsto dal piano per inviare questa fattura.',
    en: 'The plan’s deadline for sending this invoice has passed.',
  },
  amount_zero: { it: 'L’importo deve essere maggiore di zero.', en: 'The amount must be more than zero.' },
  amount_too_large: { it: 'L’importo è troppo alto.', en: 'The amount is too large.' },
  too_many_invoices: {
    it: 'Hai inserito troppe fatture per una sola richiesta.',
    en: 'Too many invoices for one claim.',
  },
  facility_required: {
    it: 'Indica la struttura convenzionata.',
    en: 'Choose the network facility.',
  },
  facility_unknown: {
    it: 'La struttura indicata non fa parte della rete convenzionata.',
    en: 'The facility is not part of the network.',
  },
  issuer_tax_id_invalid: {
    it: 'Partita IVA (11 cifre) o codice fiscale (16 caratteri) non valido.',
    en: 'Invalid VAT number (11 digits) or tax code (16 characters).',
  },
  iban_invalid: { it: 'IBAN non valido.', en: 'Invalid IBAN.' },
  iban_not_sepa: {
    it: 'L’IBAN deve essere di un paese dell’area SEPA.',
    en: 'The IBAN must be of a country in the SEPA area.',
  },
  document_missing: {
    it: 'Allega almeno la fattura o ricevuta.',
    en: 'Attach at least the invoice or receipt.',
  },
  declaration_required: {
    it: 'Conferma la dichiarazione per inviare la richiesta.',
    en: 'Confirm the declaration to send the claim.',
  },
};

export const DOCUMENT_REFUSAL_MESSAGES: Record<DocumentRefusalCode, Text> = {
  type_not_allowed: {
    it: 'Sono accettati solo file PDF, JPEG o PNG.',
    en: 'Only PDF, JPEG or PNG files are accepted.',
  },
  too_large: { it: 'Il file supera i 10 MB.', en: 'The file is larger than 10 MB.' },
  empty: { it: 'Il file è vuoto.', en: 'The file is empty.' },
  pdf_encrypted: {
    it: 'Il PDF è protetto da password: carica una copia senza protezione.',
    en: 'The PDF is password-protected: upload a copy without protection.',
  },
  pdf_active_content: {
    it: 'Il PDF contiene script o allegati e non può essere accettato.',
    en: 'The PDF contains scripts or attachments and cannot be accepted.',
  },
  pdf_unreadable: { it: 'Il PDF non è leggibile.', en: 'The PDF cannot be read.' },
  image_unreadable: { it: 'L’immagine non è leggibile.', en: 'The image cannot be read.' },
  too_many_documents: {
    it: 'Hai raggiunto il numero massimo di documenti per una richiesta (20).',
    en: 'The claim already has the maximum number of documents (20).',
  },
};

/** A detail of VALIDATION_FAILED for a field check (`field` a JSON pointer). */
export function fieldProblem(field: string, code: ClaimFieldCode): ErrorDetail {
  return { field, code, message: CLAIM_FIELD_MESSAGES[code].en, text: CLAIM_FIELD_MESSAGES[code] };
}

/** A detail for a refused document (field `file`). */
export function documentProblem(code: DocumentRefusalCode): ErrorDetail {
  return {
    field: 'file',
    code,
    message: DOCUMENT_REFUSAL_MESSAGES[code].en,
    text: DOCUMENT_REFUSAL_MESSAGES[code],
  };
}

/** Refusals of an action in the claim's present state (CONFLICT). */
export const CLAIM_CONFLICT_MESSAGES: Record<ClaimConflictCode, Text> = {
  illegal_transition: {
    it: 'La pratica non può passare a questo stato da quello in cui si trova.',
    en: 'The claim cannot move to this state from the one it is in.',
  },
  not_waiting_for_documents: {
    it: 'La pratica non è in attesa di documenti.',
    en: 'The claim is not waiting for documents.',
  },
  document_sent: {
    it: 'Il documento è già stato inviato e non può essere rimosso.',
    en: 'The document was already sent and cannot be removed.',
  },
  reminder_not_available: {
    it: 'Il sollecito non è ancora disponibile per questa pratica.',
    en: 'A reminder is not available yet for this claim.',
  },
  messages_closed: {
    it: 'Non è possibile scrivere su questa pratica.',
    en: 'Messages cannot be sent on this claim.',
  },
  no_plan: {
    it: 'Non risulta un piano con regole attive per il tuo nucleo.',
    en: 'No plan with active rules was found for your family.',
  },
};

export function conflict(code: ClaimConflictCode, field = 'state'): ErrorDetail {
  const text = CLAIM_CONFLICT_MESSAGES[code];
  return { field, code, message: text.en, text };
}
