import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { ICalCalendar, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { inRome, ROME } from './booking-time.js';

/** What a calendar entry shows: no service, no health detail, only where and when (decision 045). */
export interface CalendarEntry {
  bookingId: string;
  number: string;
  /** The public site's host: the UID's domain. */
  domain: string;
  startAt: Date;
  minutes: number;
  facilityName: string;
  facilityAddress: string;
  /** 0 at the first confirmation, one more at every change or the cancellation. */
  sequence: number;
  locale: 'it' | 'en';
  organizerEmail: string;
  /** When the file is written (DTSTAMP). */
  stamp: Date;
}

/** The stable UID of a booking's event: a change replaces the event, a cancellation removes it. */
export function calendarUid(bookingId: string, domain: string): string {
  return `${bookingId}@${domain}`;
}

function calendar(method: ICalCalendarMethod): ICalCalendar {
  const cal = new ICalCalendar({ prodId: { company: 'OneCare', product: 'prenotazioni', language: 'IT' } });
  cal.method(method);
  cal.timezone({ name: ROME, generator: getVtimezoneComponent });
  return cal;
}

/**
 * RFC 5545 wants DTSTAMP in UTC (`…Z`); with a calendar time zone set, ical-generator writes the
 * UTC value without the `Z`, which readers take as floating time: the `Z` is put back.
 */
function utcStamp(ics: string): string {
  return ics.replace(/^DTSTAMP:(\d{8}T\d{6})\r?$/m, (line, value: string) =>
    line.replace(value, `${value}Z`),
  );
}

function addEvent(cal: ICalCalendar, entry: CalendarEntry, status: ICalEventStatus): void {
  const start = inRome(entry.startAt);
  const end = inRome(new Date(entry.startAt.getTime() + entry.minutes * 60_000));
  cal.createEvent({
    id: calendarUid(entry.bookingId, entry.domain),
    sequence: entry.sequence,
    start,
    end,
    timezone: ROME,
    stamp: entry.stamp,
    status,
    summary:
      entry.locale === 'it'
        ? `Appuntamento prenotato con OneCare (${entry.number})`
        : `Appointment booked with OneCare (${entry.number})`,
    location: `${entry.facilityName}, ${entry.facilityAddress}`,
    organizer: { name: 'OneCare', email: entry.organizerEmail },
  });
}

/** METHOD:REQUEST: the confirmed appointment, or its change (same UID, higher SEQUENCE). */
export function confirmationIcs(entry: CalendarEntry): string {
  const cal = calendar(ICalCalendarMethod.REQUEST);
  addEvent(cal, entry, ICalEventStatus.CONFIRMED);
  return utcStamp(cal.toString());
}

/** METHOD:CANCEL with STATUS:CANCELLED: removes the event with the same UID. */
export function cancellationIcs(entry: CalendarEntry): string {
  const cal = calendar(ICalCalendarMethod.CANCEL);
  addEvent(cal, entry, ICalEventStatus.CANCELLED);
  return utcStamp(cal.toString());
}
