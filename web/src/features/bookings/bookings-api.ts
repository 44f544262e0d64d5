export type {
  Booking,
  BookingList,
  BookingOptions,
  CodeCheck,
  DeskBooking,
} from '#contracts/bookings.js';

/** The member's pages. */
export const BOOKING_WIZARD_ROUTE = '/prenotazioni';
export const bookingRoute = (id: string) => `${BOOKING_WIZARD_ROUTE}/${encodeURIComponent(id)}`;
/** The facilities' public page. */
export const BOOKING_CHECK_ROUTE = '/verifica-prenotazione';
/** The booking desk's pages. */
export const DESK_ROUTE = '/backoffice/prenotazioni';
export const deskBookingRoute = (id: string) => `${DESK_ROUTE}/${encodeURIComponent(id)}`;

/** The member's bookings API. */
export const BOOKINGS_PATH = '/api/v1/bookings';
export const BOOKING_OPTIONS_PATH = `${BOOKINGS_PATH}/options`;
export const bookingPath = (id: string) => `${BOOKINGS_PATH}/${encodeURIComponent(id)}`;
export const bookingDocumentUploadPath = (name: string) =>
  `${BOOKINGS_PATH}/documents?${new URLSearchParams({ name: name.slice(0, 200) || 'file' }).toString()}`;
export const bookingVoucherPath = (id: string) => `${bookingPath(id)}/voucher`;
export const bookingCalendarPath = (id: string) => `${bookingPath(id)}/calendar`;
export const codeCheckPath = (code: string) => `/api/v1/public/booking-codes/${encodeURIComponent(code)}`;

/** The desk's API. */
export const DESK_PATH = '/api/v1/staff/bookings';
export const deskBookingPath = (id: string) => `${DESK_PATH}/${encodeURIComponent(id)}`;

/** True for a query key of any GET under `/api/v1/bookings` or the desk's: after a change. */
export function isBookingsQueryKey(key: readonly unknown[]): boolean {
  return (
    key[0] === 'api' &&
    typeof key[1] === 'string' &&
    (key[1].startsWith(BOOKINGS_PATH) || key[1].startsWith(DESK_PATH))
  );
}

/** `2026-04-01T07:15:00.000Z` → the day and time in Rome, as the page shows them. */
export function romeDateTime(iso: string, language: string): string {
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'it-IT', {
    timeZone: 'Europe/Rome',
    weekday: 'long',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}
