import { type Static, Type } from 'typebox';
import {
  BOOKING_ACTORS,
  BOOKING_LIMITS,
  BOOKING_REJECT_REASONS,
  BOOKING_STATES,
  DAY_PARTS,
} from './bookings.codes.js';
import { IsoDate, Nullable } from './claims.js';
import { FiniteInteger, Id } from './common.js';
import { ServiceCode } from './network.js';

export * from './bookings.codes.js';

/**
 * Bookings of a medical service in the network (`/api/v1/bookings…` for the member,
 * `/api/v1/staff/bookings…` for the booking desk, `/api/v1/public/booking-codes/…` for the
 * facilities). Windows and slots are wall-clock times in Europe/Rome; instants are ISO-8601 UTC.
 */

export const BookingState = Type.Enum(BOOKING_STATES);
export const BookingActor = Type.Enum(BOOKING_ACTORS);
export const DayPart = Type.Enum(DAY_PARTS);
export const BookingRejectReason = Type.Enum(BOOKING_REJECT_REASONS);
const Time = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'HH:MM, Europe/Rome' });

export const BookingWindow = Type.Object(
  {
    date: IsoDate,
    part: Type.Optional(DayPart),
    from: Type.Optional(Time),
    to: Type.Optional(Time),
  },
  { additionalProperties: false },
);
export type BookingWindow = Static<typeof BookingWindow>;

export const CheckedWindow = Type.Object({
  date: IsoDate,
  part: Nullable(DayPart),
  from: Type.String(),
  to: Type.String(),
  startsAt: Type.String(),
  endsAt: Type.String(),
});

/** The member's request: `POST /api/v1/bookings`. */
export const BookingRequest = Type.Object(
  {
    /** Chosen by the wizard once: a retry, a double click or two tabs answer the same booking. */
    idempotencyKey: Type.String({ pattern: '^[A-Za-z0-9-]{16,64}$' }),
    beneficiaryId: Id(),
    service: ServiceCode,
    facilityId: Id(),
    windows: Type.Array(BookingWindow, { minItems: 1, maxItems: BOOKING_LIMITS.maxWindows }),
    documentIds: Type.Array(Id(), { maxItems: BOOKING_LIMITS.maxDocuments, default: [] }),
  },
  { additionalProperties: false },
);
export type BookingRequest = Static<typeof BookingRequest>;

export const BookingFacility = Type.Object({
  id: Id(),
  name: Type.String(),
  address: Type.String(),
  city: Type.String(),
  province: Type.String(),
  cap: Type.String(),
  phone: Nullable(Type.String()),
});

export const BookingEvent = Type.Object({
  at: Type.String(),
  from: Nullable(BookingState),
  to: BookingState,
  actor: BookingActor,
  reasonCode: Nullable(Type.String()),
});

export const BookingPerson = Type.Object({ id: Id(), givenName: Type.String(), surname: Type.String() });

/** A booking as its member sees it. */
export const Booking = Type.Object({
  id: Id(),
  number: Type.String(),
  state: BookingState,
  beneficiary: BookingPerson,
  service: ServiceCode,
  facility: BookingFacility,
  windows: Type.Array(CheckedWindow),
  proposal: Nullable(
    Type.Object({ startAt: Type.String(), facility: BookingFacility, deadline: Type.String() }),
  ),
  appointment: Nullable(Type.Object({ startAt: Type.String(), facility: BookingFacility })),
  /** Until when the member may cancel or ask for another date (confirmed bookings). */
  cancellableUntil: Nullable(Type.String()),
  /** The authorisation code (confirmed and performed bookings only). */
  authorisationCode: Nullable(Type.String()),
  /** What the plan leaves to the member, as estimated when sent, then as judged after the visit. */
  expectedShareCents: Nullable(FiniteInteger()),
  rejectReason: Nullable(BookingRejectReason),
  claim: Nullable(Type.Object({ id: Id(), number: Type.String(), state: Type.String() })),
  events: Type.Array(BookingEvent),
  createdAt: Type.String(),
});
export type Booking = Static<typeof Booking>;

export const BookingSummary = Type.Object({
  id: Id(),
  number: Type.String(),
  state: BookingState,
  service: ServiceCode,
  beneficiary: BookingPerson,
  facilityName: Type.String(),
  startAt: Nullable(Type.String()),
  createdAt: Type.String(),
});
export const BookingList = Type.Object({ items: Type.Array(BookingSummary) });
export type BookingList = Static<typeof BookingList>;

/** What the wizard offers: who, which services the plan covers in network, what needs a prescription. */
export const BookingOptions = Type.Object({
  beneficiaries: Type.Array(BookingPerson),
  services: Type.Array(
    Type.Object({
      code: ServiceCode,
      label: Type.Object({ it: Type.String(), en: Type.String() }),
      prescriptionRequired: Type.Boolean(),
      /** The plan's network rules for the service: what stays with the member. */
      coinsuranceBasisPoints: Type.Integer(),
      deductiblePerVisitCents: Type.Integer(),
      minimumPerInvoiceCents: Type.Integer(),
      /** The member's share known before the visit (a fixed deductible), or null when it depends on the price. */
      expectedShareCents: Nullable(Type.Integer()),
    }),
  ),
  /** Public holidays over the next months (YYYY-MM-DD), for the date picker. */
  holidays: Type.Array(IsoDate),
  /** The first day a window may be on. */
  earliestDate: IsoDate,
  cancelNoticeHours: Type.Integer(),
});
export type BookingOptions = Static<typeof BookingOptions>;

export const DocumentNameQuery = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) });

export const BookingEstimateRequest = Type.Object(
  {
    beneficiaryId: Id(),
    service: ServiceCode,
    amountCents: FiniteInteger({ minimum: 1, maximum: 100_000_000 }),
  },
  { additionalProperties: false },
);
export const BookingEstimate = Type.Object({
  coveredCents: FiniteInteger(),
  memberShareCents: FiniteInteger(),
  explanation: Type.Object({ it: Type.Array(Type.String()), en: Type.Array(Type.String()) }),
});

export const RescheduleBody = Type.Object(
  { windows: Type.Array(BookingWindow, { minItems: 1, maxItems: BOOKING_LIMITS.maxWindows }) },
  { additionalProperties: false },
);

export const BookingDocument = Type.Object({
  id: Id(),
  fileName: Type.String(),
  mediaType: Type.String(),
  bytes: Type.Integer(),
});

// ---------------------------------------------------------------------------------------------
// The booking desk

export const DeskQueueQuery = Type.Object({
  state: Type.Optional(BookingState),
  province: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$' })),
  service: Type.Optional(ServiceCode),
});

export const DeskQueueItem = Type.Object({
  id: Id(),
  number: Type.String(),
  state: BookingState,
  service: ServiceCode,
  province: Type.String(),
  facilityName: Type.String(),
  beneficiaryInitials: Type.String(),
  firstWindow: Nullable(Type.String()),
  createdAt: Type.String(),
});
export const DeskQueue = Type.Object({ items: Type.Array(DeskQueueItem) });

export const DeskBooking = Type.Object({
  booking: Booking,
  beneficiaryCodiceFiscale: Type.String(),
  documents: Type.Array(BookingDocument),
  facilityHasIban: Type.Boolean(),
});
export type DeskBooking = Static<typeof DeskBooking>;

/** A slot the desk gives: a day and a time in Rome, at a facility (default: the member's choice). */
export const SlotBody = Type.Object(
  {
    date: IsoDate,
    time: Time,
    facilityId: Type.Optional(Id()),
  },
  { additionalProperties: false },
);
export type SlotBody = Static<typeof SlotBody>;

export const RejectBody = Type.Object({ reason: BookingRejectReason }, { additionalProperties: false });

export const PerformedBody = Type.Object(
  {
    invoiceCents: FiniteInteger({ minimum: 1, maximum: 100_000_000 }),
    invoiceNumber: Type.String({ minLength: 1, maxLength: 40 }),
  },
  { additionalProperties: false },
);

// ---------------------------------------------------------------------------------------------
// The facility's check of a code (public)

export const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 20 }) });
export const CodeCheck = Type.Object({
  valid: Type.Boolean(),
  service: Type.Optional(ServiceCode),
  date: Type.Optional(IsoDate),
  time: Type.Optional(Type.String()),
  initials: Type.Optional(Type.String()),
});
export type CodeCheck = Static<typeof CodeCheck>;
