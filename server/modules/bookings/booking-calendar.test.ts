import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { type CalendarEntry, cancellationIcs, confirmationIcs } from './booking-calendar.js';

const entry: CalendarEntry = {
  bookingId: '0190a0b0-0000-7000-8000-000000000001',
  number: 'PRE-2026-000001',
  domain: 'onecare.example',
  startAt: new Date('2026-10-26T08:00:00.000Z'),
  minutes: 30,
  facilityName: 'Centro Medico Immaginario',
  facilityAddress: 'Via Immaginaria 1, 20121 Milano (MI)',
  sequence: 2,
  locale: 'it',
  organizerEmail: 'noreply@onecare.example',
  stamp: new Date('2026-10-20T10:00:00.000Z'),
};

function read(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const event = calendar.getFirstSubcomponent('vevent');
  if (!event) throw new Error('no event');
  const start = event.getFirstProperty('dtstart');
  return {
    method: calendar.getFirstPropertyValue('method'),
    timezone: calendar.getFirstSubcomponent('vtimezone')?.getFirstPropertyValue('tzid'),
    uid: event.getFirstPropertyValue('uid'),
    sequence: event.getFirstPropertyValue('sequence'),
    status: event.getFirstPropertyValue('status'),
    location: event.getFirstPropertyValue('location'),
    summary: event.getFirstPropertyValue('summary'),
    tzid: start?.getParameter('tzid'),
    start: String(event.getFirstPropertyValue('dtstart')),
    end: String(event.getFirstPropertyValue('dtend')),
  };
}

describe('the calendar files of a booking', () => {
  it('REQUEST: the wall clock in Europe/Rome with its VTIMEZONE, the address, a stable UID, the SEQUENCE', () => {
    expect(read(confirmationIcs(entry))).toEqual({
      method: 'REQUEST',
      timezone: 'Europe/Rome',
      uid: '0190a0b0-0000-7000-8000-000000000001@onecare.example',
      sequence: 2,
      status: 'CONFIRMED',
      location: 'Centro Medico Immaginario, Via Immaginaria 1, 20121 Milano (MI)',
      summary: 'Appuntamento prenotato con OneCare (PRE-2026-000001)',
      tzid: 'Europe/Rome',
      start: '2026-10-26T09:00:00',
      end: '2026-10-26T09:30:00',
    });
  });

  it('writes DTSTAMP in UTC', () => {
    expect(confirmationIcs(entry)).toMatch(/^DTSTAMP:20261020T100000Z\r?$/m);
  });

  it('CANCEL: the same UID, STATUS:CANCELLED; no service or health detail anywhere', () => {
    const ics = cancellationIcs({ ...entry, sequence: 3 });
    expect(read(ics)).toMatchObject({
      method: 'CANCEL',
      status: 'CANCELLED',
      uid: entry.bookingId + '@onecare.example',
      sequence: 3,
    });
    expect(ics).not.toMatch(/visit|cardio|specialist/i);
  });
});
