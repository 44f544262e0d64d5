/**
 * Bookings of a medical service in the network (forma diretta): lists, labels, limits and the
 * error detail codes with their words. No dependency, so the web app imports them as they are
 * (contracts/bookings.ts builds the schemas from them).
 */

/** Stable codes of a booking's states; the Italian labels are the product's. */
export const BOOKING_STATES = [
  'requested',
  'proposed',
  'confirmed',
  'cancelled',
  'performed',
  'rejected',
] as const;
export type BookingState = (typeof BOOKING_STATES)[number];

export const BOOKING_STATE_LABELS: Record<BookingState, { it: string; en: string }> = {
  requested: { it: 'Richiesta', en: 'Requested' },
  proposed: { it: 'Proposta', en: 'Proposed' },
  confirmed: { it: 'Confermata', en: 'Confirmed' },
  cancelled: { it: 'Annullata', en: 'Cancelled' },
  performed: { it: 'Eseguita', en: 'Performed' },
  rejected: { it: 'Rifiutata', en: 'Rejected' },
};

/** Who moves a booking: the member, the booking desk, the system (a job). */
export const BOOKING_ACTORS = ['member', 'desk', 'system'] as const;
export type BookingActor = (typeof BOOKING_ACTORS)[number];

/**
 * The booking's state machine: every legal move and who may make it. `confirmed → confirmed` is
 * the desk moving a confirmed appointment (the calendar event is replaced, same UID).
 */
export const BOOKING_TRANSITIONS: readonly {
  from: BookingState;
  to: BookingState;
  by: readonly BookingActor[];
}[] = [
  { from: 'requested', to: 'confirmed', by: ['desk'] },
  { from: 'requested', to: 'proposed', by: ['desk'] },
  { from: 'requested', to: 'rejected', by: ['desk'] },
  { from: 'requested', to: 'cancelled', by: ['member'] },
  // The member accepts the proposal, or declines it (or lets it expire): back to the desk.
  { from: 'proposed', to: 'confirmed', by: ['member'] },
  { from: 'proposed', to: 'requested', by: ['member', 'system'] },
  { from: 'proposed', to: 'cancelled', by: ['member'] },
  { from: 'proposed', to: 'rejected', by: ['desk'] },
  { from: 'confirmed', to: 'confirmed', by: ['desk'] },
  { from: 'confirmed', to: 'proposed', by: ['desk'] },
  // The member asks for another date: the appointment is released, the desk books again.
  { from: 'confirmed', to: 'requested', by: ['member'] },
  { from: 'confirmed', to: 'cancelled', by: ['member', 'desk'] },
  { from: 'confirmed', to: 'performed', by: ['desk'] },
];

/** The part of the day of a preferred window, or an explicit time range. */
export const DAY_PARTS = ['morning', 'afternoon'] as const;
export type DayPart = (typeof DAY_PARTS)[number];

/** Wall-clock hours (Europe/Rome) of a day part: morning 8–13, afternoon 14–19. */
export const DAY_PART_HOURS: Record<DayPart, { from: string; to: string }> = {
  morning: { from: '08:00', to: '13:00' },
  afternoon: { from: '14:00', to: '19:00' },
};

export const BOOKING_LIMITS = {
  maxWindows: 3,
  /** How far ahead a window may be. */
  maxDaysAhead: 180,
  maxDocuments: 5,
  maxReasonLength: 500,
  /** The authorisation code as shown: `XXXX-XXXX` from an alphabet without look-alikes. */
  codePattern: '^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$',
} as const;

/** Why the desk rejects a request (closed list, worded for the member). */
export const BOOKING_REJECT_REASONS = [
  'not_covered',
  'facility_unavailable',
  'prescription_invalid',
  'duplicate_request',
  'other',
] as const;
export type BookingRejectReason = (typeof BOOKING_REJECT_REASONS)[number];

export const BOOKING_REJECT_REASON_LABELS: Record<BookingRejectReason, { it: string; en: string }> = {
  not_covered: { it: 'Prestazione non coperta dal piano', en: 'Service not covered by the plan' },
  facility_unavailable: {
    it: 'La struttura non può erogare la prestazione',
    en: 'The facility cannot provide the service',
  },
  prescription_invalid: { it: 'Prescrizione mancante o non valida', en: 'Prescription missing or not valid' },
  duplicate_request: { it: 'Richiesta duplicata', en: 'Duplicate request' },
  other: { it: 'Altro motivo (vedi nota)', en: 'Other reason (see the note)' },
};

/** Why a request is refused, field by field (VALIDATION_FAILED details). */
export const BOOKING_FIELD_CODES = [
  'booking_beneficiary_unknown',
  'booking_service_not_covered',
  'booking_facility_unknown',
  'booking_facility_without_service',
  'booking_window_invalid',
  'booking_window_past',
  'booking_window_too_soon',
  'booking_window_not_working_day',
  'booking_window_too_far',
  'booking_window_duplicate',
  'booking_prescription_required',
  'booking_document_unknown',
  'booking_slot_invalid',
  'booking_slot_past',
  'booking_amount_invalid',
  'booking_code_invalid',
] as const;
export type BookingFieldCode = (typeof BOOKING_FIELD_CODES)[number];

/** Why an action is refused in the booking's present state (CONFLICT details). */
export const BOOKING_CONFLICT_CODES = [
  'booking_illegal_transition',
  'booking_notice_passed',
  'booking_proposal_expired',
  'booking_facility_without_iban',
  'booking_no_plan',
] as const;
export type BookingConflictCode = (typeof BOOKING_CONFLICT_CODES)[number];

/** The API's words for the codes above (the web has the same in fieldErrors). */
export const BOOKING_DETAIL_MESSAGES: Record<
  BookingFieldCode | BookingConflictCode,
  { it: string; en: string }
> = {
  booking_beneficiary_unknown: {
    it: 'Scegli una persona coperta dal tuo piano.',
    en: 'Choose a person covered by your plan.',
  },
  booking_service_not_covered: {
    it: 'Il piano non copre questa prestazione in forma diretta.',
    en: 'The plan does not cover this service in the network.',
  },
  booking_facility_unknown: { it: 'Struttura non trovata.', en: 'Facility not found.' },
  booking_facility_without_service: {
    it: 'La struttura non offre questa prestazione.',
    en: 'The facility does not offer this service.',
  },
  booking_window_invalid: {
    it: 'Indica un giorno e una fascia oraria validi.',
    en: 'Give a valid day and time range.',
  },
  booking_window_past: { it: 'La data è già passata.', en: 'The date has passed.' },
  booking_window_too_soon: {
    it: 'Scegli una data almeno un giorno lavorativo dopo oggi.',
    en: 'Choose a date at least one working day after today.',
  },
  booking_window_not_working_day: {
    it: 'Il giorno scelto è festivo: scegli un giorno lavorativo.',
    en: 'The day chosen is a holiday: choose a working day.',
  },
  booking_window_too_far: {
    it: 'La data è troppo lontana nel tempo.',
    en: 'The date is too far ahead.',
  },
  booking_window_duplicate: {
    it: 'Hai già indicato questa fascia.',
    en: 'You already gave this window.',
  },
  booking_prescription_required: {
    it: 'Per questa prestazione il piano richiede la prescrizione medica.',
    en: 'The plan requires a prescription for this service.',
  },
  booking_document_unknown: { it: 'Documento non trovato.', en: 'Document not found.' },
  booking_slot_invalid: {
    it: 'Indica data e ora valide.',
    en: 'Give a valid date and time.',
  },
  booking_slot_past: {
    it: 'La data e l’ora sono già passate.',
    en: 'The date and time have passed.',
  },
  booking_amount_invalid: {
    it: 'Indica l’importo della fattura della struttura.',
    en: 'Give the amount of the facility’s invoice.',
  },
  booking_code_invalid: {
    it: 'Il codice ha il formato XXXX-XXXX.',
    en: 'The code has the form XXXX-XXXX.',
  },
  booking_illegal_transition: {
    it: 'L’operazione non è possibile nello stato attuale della prenotazione.',
    en: 'This is not possible in the booking’s present state.',
  },
  booking_notice_passed: {
    it: 'Il termine per annullare o spostare la prenotazione è scaduto: contatta la struttura.',
    en: 'The time to cancel or move the booking has passed: contact the facility.',
  },
  booking_proposal_expired: {
    it: 'Il termine per rispondere alla proposta è scaduto.',
    en: 'The time to answer the proposal has passed.',
  },
  booking_facility_without_iban: {
    it: 'La struttura non ha un IBAN: aggiornalo con il file della rete prima di chiudere la prenotazione.',
    en: 'The facility has no IBAN: update it with the network file before closing the booking.',
  },
  booking_no_plan: {
    it: 'Nessun piano attivo per questa persona.',
    en: 'No active plan for this person.',
  },
};
