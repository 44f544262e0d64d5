/**
 * Bookings in the network (forma diretta), through the API on a fresh database (SQLite, or
 * PostgreSQL with TEST_DB=postgres): the member's request and its checks, the booking desk's
 * actions by role, ownership, the calendar files, the voucher and the code check, cancellation
 * notice boundaries, windows around the daylight-saving changes, the reminder once across two
 * instances, the proposal's expiry, and the performed visit's direct claim paid to the facility.
 */
import { createRequire } from 'node:module';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/lib/ids.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { approveClaim } from '../helpers/claim-decisions.js';
import { prescriptionPng } from '../helpers/claim-files.js';
import { accountFor, api, type Ctx, claimsContext, codes } from '../helpers/claims.js';
import { readPain001 } from '../helpers/pain001.js';
import { staffWithSession } from '../helpers/staff.js';

const require = createRequire(import.meta.url);
const FhirValidator = require('@asymmetrik/fhir-json-schema-validator') as new () => {
  validate(resource: unknown): unknown[];
};

const FACILITY_IBAN_PATTERN = /^IT\d{2}X0542811101/;

interface OutboxRow {
  id: string;
  template: string;
  recipient: string;
  subject: string;
  text_body: string | null;
  attachments: string | null;
}

describe('bookings (forma diretta)', () => {
  let c: Ctx & { close(): Promise<void> };
  let mario: Awaited<ReturnType<typeof accountFor>>;
  let giulia: Awaited<ReturnType<typeof accountFor>>;
  let anna: Awaited<ReturnType<typeof accountFor>>;
  let desk: { cookie: string; id: string };
  let operator: { cookie: string };
  let auditor: { cookie: string };
  let admin: { cookie: string };
  let cardiology: { id: string; name: string; address: string; cap: string; iban: string | null };

  beforeAll(async () => {
    // Friday 27 March 2026, 10:00 in Rome: the clocks go forward on Sunday 29.
    c = await claimsContext('2026-03-27T09:00:00.000Z');
    mario = await accountFor(c, 'mario');
    giulia = await accountFor(c, 'giulia');
    anna = await accountFor(c, 'anna');
    desk = await staffWithSession(c.t.app, 'sportello.uno', 'booking_desk');
    operator = await staffWithSession(c.t.app, 'pratiche.uno', 'claims_operator');
    auditor = await staffWithSession(c.t.app, 'revisore.uno', 'auditor');
    admin = await staffWithSession(c.t.app, 'admin.uno', 'administrator');
    const row = await c.t.app.db
      .selectFrom('facilities as f')
      .innerJoin('facility_services as s', 's.facility_id', 'f.id')
      .select(['f.id', 'f.name', 'f.address', 'f.cap', 'f.iban'])
      .where('s.service_code', '=', 'visite_specialistiche')
      .orderBy('f.code')
      .executeTakeFirstOrThrow();
    cardiology = row;
  });
  afterAll(async () => {
    await c.close();
  });

  /** Moves the clock and opens fresh sessions (the old ones expire when time jumps). */
  let round = 0;
  async function at(instant: string): Promise<void> {
    c.clock.set(instant);
    round++;
    const { token } = await c.t.app.sessions.create('member', mario.id);
    mario = { ...mario, cookie: `onecare_session=${token}` };
    desk = await staffWithSession(c.t.app, `sportello.r${round}`, 'booking_desk');
    admin = await staffWithSession(c.t.app, `admin.r${round}`, 'administrator');
  }

  const call = (cookie: string) => api(c, cookie);
  const outbox = () =>
    c.t.app.db
      .selectFrom('outbox_emails')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute() as Promise<OutboxRow[]>;

  async function prescription(cookie: string): Promise<string> {
    const res = await call(cookie).upload(
      '/api/v1/bookings/documents?name=prescrizione.png',
      await prescriptionPng(7),
    );
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id;
  }

  async function book(
    who: { cookie: string },
    beneficiaryKey: string,
    windows: object[],
    key = newId().replace(/[^A-Za-z0-9-]/g, ''),
  ) {
    const documentIds = [await prescription(who.cookie)];
    return call(who.cookie).post('/api/v1/bookings', {
      idempotencyKey: key.padEnd(16, '0').slice(0, 64),
      beneficiaryId: c.registry.get(beneficiaryKey),
      service: 'visite_specialistiche',
      facilityId: cardiology.id,
      windows,
      documentIds,
    });
  }

  const deskCall = (method: 'GET' | 'POST', url: string, payload?: object, cookie = desk.cookie) =>
    method === 'GET' ? call(cookie).get(url) : call(cookie).post(url, payload);

  function parseIcs(ics: string) {
    const component = new ICAL.Component(ICAL.parse(ics));
    const event = component.getFirstSubcomponent('vevent');
    if (!event) throw new Error('no VEVENT');
    const start = event.getFirstProperty('dtstart');
    return {
      method: component.getFirstPropertyValue('method'),
      uid: event.getFirstPropertyValue('uid'),
      sequence: event.getFirstPropertyValue('sequence'),
      status: event.getFirstPropertyValue('status'),
      location: event.getFirstPropertyValue('location'),
      tzid: start?.getParameter('tzid'),
      dtstart: String(event.getFirstPropertyValue('dtstart')),
      timezones: component.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid')),
    };
  }

  function attachment(row: OutboxRow | undefined): string {
    const list = JSON.parse(row?.attachments ?? '[]') as { content: string; contentType: string }[];
    expect(list).toHaveLength(1);
    return Buffer.from(list[0]?.content ?? '', 'base64').toString('utf8');
  }

  it('[member] the wizard offers the plan’s network services, the holidays and the first possible day', async () => {
    const res = await call(mario.cookie).get('/api/v1/bookings/options');
    expect(res.statusCode, res.body).toBe(200);
    const options = res.json();
    expect(options.services.map((s: { code: string }) => s.code)).toContain('visite_specialistiche');
    expect(options.services.find((s: { code: string }) => s.code === 'visite_specialistiche')).toMatchObject({
      prescriptionRequired: true,
    });
    // Friday 27 March: the next working day is Monday 30; Easter Monday 2026 is 6 April.
    expect(options.earliestDate).toBe('2026-03-30');
    expect(options.holidays).toEqual(expect.arrayContaining(['2026-04-05', '2026-04-06', '2026-04-25']));
    expect(options.cancelNoticeHours).toBe(48);
    expect(options.beneficiaries.length).toBeGreaterThanOrEqual(3);
  });

  it('[member] windows: not in the past, a working day at least one working day ahead, at most three; around the change to summer time', async () => {
    const bad = await book(mario, 'mario', [
      { date: '2026-03-26', part: 'morning' },
      { date: '2026-03-29', part: 'morning' },
      { date: '2026-04-06', from: '09:00', to: '11:00' },
    ]);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([
      expect.objectContaining({ field: '/windows/0', code: 'booking_window_past' }),
      expect.objectContaining({ field: '/windows/1', code: 'booking_window_not_working_day' }),
      expect.objectContaining({ field: '/windows/2', code: 'booking_window_not_working_day' }),
    ]);
    const range = await book(mario, 'mario', [{ date: '2026-03-30', from: '11:00', to: '10:00' }]);
    expect(codes(range)).toEqual(['booking_window_invalid']);
    const four = await book(mario, 'mario', [
      { date: '2026-03-30', part: 'morning' },
      { date: '2026-03-31', part: 'morning' },
      { date: '2026-04-01', part: 'morning' },
      { date: '2026-04-02', part: 'morning' },
    ]);
    expect(four.statusCode).toBe(400);
    const noPrescription = await call(mario.cookie).post('/api/v1/bookings', {
      idempotencyKey: 'no-prescription-0001',
      beneficiaryId: c.registry.get('mario'),
      service: 'visite_specialistiche',
      facilityId: cardiology.id,
      windows: [{ date: '2026-03-30', part: 'morning' }],
      documentIds: [],
    });
    expect(codes(noPrescription)).toEqual(['booking_prescription_required']);

    // Monday 30 March is in summer time (UTC+2); a window on Friday 27 (today) is too soon.
    const ok = await book(mario, 'mario', [{ date: '2026-03-30', part: 'morning' }]);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().windows[0]).toMatchObject({
      from: '08:00',
      to: '13:00',
      startsAt: '2026-03-30T06:00:00.000Z',
      endsAt: '2026-03-30T11:00:00.000Z',
    });
    const today = await book(mario, 'mario', [{ date: '2026-03-27', from: '18:00', to: '19:00' }]);
    expect(codes(today)).toEqual(['booking_window_too_soon']);
  });

  it('[member] a double click sends one booking; a person outside the family cannot be booked for', async () => {
    const documentIds = [await prescription(mario.cookie)];
    const body = {
      idempotencyKey: 'double-click-key-0001',
      beneficiaryId: c.registry.get('luca'),
      service: 'visite_specialistiche',
      facilityId: cardiology.id,
      windows: [{ date: '2026-04-01', part: 'afternoon' }],
      documentIds,
    };
    const [first, second] = await Promise.all([
      call(mario.cookie).post('/api/v1/bookings', body),
      call(mario.cookie).post('/api/v1/bookings', body),
    ]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 201]);
    expect(first.json().id).toBe(second.json().id);
    expect(first.json().number).toMatch(/^PRE-2026-\d{6}$/);
    const stranger = await book(mario, 'anna', [{ date: '2026-04-01', part: 'morning' }]);
    expect(codes(stranger)).toEqual(['booking_beneficiary_unknown']);
  });

  it('[booking desk] actions by role; [member] ownership: another family never sees a booking', async () => {
    const made = await book(mario, 'mario', [{ date: '2026-04-02', part: 'morning' }]);
    const id = made.json().id;
    // Read: desk, administrator, auditor; not the claims operator.
    for (const [cookie, status] of [
      [desk.cookie, 200],
      [admin.cookie, 200],
      [auditor.cookie, 200],
      [operator.cookie, 403],
      [mario.cookie, 401],
    ] as const) {
      const res = await deskCall('GET', `/api/v1/staff/bookings/${id}`, undefined, cookie);
      expect([cookie === mario.cookie ? 'member' : 'staff', res.statusCode]).toEqual([
        cookie === mario.cookie ? 'member' : 'staff',
        status,
      ]);
    }
    // Each opening by staff is a read of health data: in the audit trail and the member's access log.
    const reads = await c.t.app.db
      .selectFrom('audit_events')
      .select(['actor_id', 'subject_id', 'details'])
      .where('event', '=', 'sensitive_read')
      .execute();
    const bookingReads = reads.filter((e) => JSON.parse(e.details ?? '{}').booking === id);
    expect(bookingReads).toHaveLength(3);
    expect(new Set(bookingReads.map((e) => e.subject_id))).toEqual(new Set([c.registry.get('mario')]));
    // The desk opens the prescription: the image itself, and one more read in the trail.
    const detail = (await deskCall('GET', `/api/v1/staff/bookings/${id}`)).json();
    const documentId = detail.documents[0]?.id;
    const opened = await deskCall('GET', `/api/v1/staff/bookings/${id}/documents/${documentId}`);
    expect(opened.statusCode).toBe(200);
    expect(opened.headers['content-type']).toBe('image/png');
    expect(opened.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    const operatorOpen = `/api/v1/staff/bookings/${id}/documents/${documentId}`;
    expect((await deskCall('GET', operatorOpen, undefined, operator.cookie)).statusCode).toBe(403);
    const documentReads = (
      await c.t.app.db
        .selectFrom('audit_events')
        .select('details')
        .where('event', '=', 'sensitive_read')
        .execute()
    ).filter((e) => JSON.parse(e.details ?? '{}').what === 'booking_document');
    expect(documentReads.map((e) => JSON.parse(e.details ?? '{}'))).toEqual([
      { what: 'booking_document', booking: id, document: documentId },
    ]);
    const log = (await call(mario.cookie).get('/api/v1/profile/access-log')).json().entries;
    expect(log.filter((e: { what: string }) => e.what === 'booking')).toHaveLength(5);
    // Act: the desk only.
    for (const cookie of [admin.cookie, auditor.cookie, operator.cookie]) {
      const res = await deskCall(
        'POST',
        `/api/v1/staff/bookings/${id}/confirm`,
        { date: '2026-04-02', time: '09:30' },
        cookie,
      );
      expect(res.statusCode).toBe(403);
    }
    // Anna (another family) sees nothing; Giulia (Mario's family, not the holder) sees only her own.
    for (const url of [`/api/v1/bookings/${id}`, `/api/v1/bookings/${id}/voucher`]) {
      expect((await call(anna.cookie).get(url)).statusCode).toBe(404);
      expect((await call(giulia.cookie).get(url)).statusCode).toBe(404);
    }
    expect((await call(anna.cookie).post(`/api/v1/bookings/${id}/cancel`)).statusCode).toBe(404);
    expect((await call(anna.cookie).get('/api/v1/bookings')).json().items).toEqual([]);
    // The queue: oldest first, filtered by province and service.
    const queue = await deskCall('GET', '/api/v1/staff/bookings?service=visite_specialistiche');
    expect(queue.statusCode, queue.body).toBe(200);
    const created = queue.json().items.map((i: { createdAt: string }) => i.createdAt);
    expect(created).toEqual([...created].sort());
    expect(queue.json().items[0].beneficiaryInitials).toMatch(/^[A-Z]\.[A-Z]\.$/);
    const elsewhere = await deskCall('GET', '/api/v1/staff/bookings?province=ZZ');
    expect(elsewhere.json().items).toEqual([]);
    const rejected = await deskCall('POST', `/api/v1/staff/bookings/${id}/reject`, {
      reason: 'duplicate_request',
    });
    expect(rejected.json()).toMatchObject({ state: 'rejected', rejectReason: 'duplicate_request' });
    expect(
      (await deskCall('POST', `/api/v1/staff/bookings/${id}/confirm`, { date: '2026-04-02', time: '09:30' }))
        .statusCode,
    ).toBe(409);
  });

  it('[booking desk] proposes another slot, [member] accepts: the email with the code and the .ics (Europe/Rome, LOCATION, UID), the voucher, the code check', async () => {
    const made = await book(mario, 'mario', [
      { date: '2026-03-30', part: 'morning' },
      { date: '2026-03-31', part: 'afternoon' },
    ]);
    const id = made.json().id;
    // Outside the member's windows: Wednesday 1 April, 09:15 in Rome (07:15 UTC, summer time).
    const proposed = await deskCall('POST', `/api/v1/staff/bookings/${id}/propose`, {
      date: '2026-04-01',
      time: '09:15',
    });
    expect(proposed.statusCode, proposed.body).toBe(200);
    expect(proposed.json()).toMatchObject({
      state: 'proposed',
      proposal: { startAt: '2026-04-01T07:15:00.000Z', deadline: '2026-03-29T09:00:00.000Z' },
      authorisationCode: null,
    });
    const news = (await outbox()).filter((e) => e.template === 'booking-news').map((e) => e.subject);
    expect(news).toContain(`Novità sulla tua prenotazione n. ${made.json().number}`);
    // A proposal is answered by the member, not replaced.
    const twice = await deskCall('POST', `/api/v1/staff/bookings/${id}/propose`, {
      date: '2026-04-02',
      time: '09:15',
    });
    expect(codes(twice)).toEqual(['booking_illegal_transition']);

    const accepted = await call(mario.cookie).post(`/api/v1/bookings/${id}/accept`);
    expect(accepted.statusCode, accepted.body).toBe(200);
    const booking = accepted.json();
    expect(booking).toMatchObject({
      state: 'confirmed',
      appointment: { startAt: '2026-04-01T07:15:00.000Z' },
    });
    expect(booking.authorisationCode).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    expect(booking.cancellableUntil).toBe('2026-03-30T07:15:00.000Z');

    const confirmed = (await outbox()).find(
      (e) => e.template === 'booking-confirmed' && e.subject.includes(booking.number),
    );
    expect(confirmed?.recipient).toBe(mario.email);
    expect(confirmed?.subject).toBe(`La tua prenotazione n. ${booking.number} è confermata`);
    expect(confirmed?.text_body).toContain(booking.authorisationCode);
    expect(confirmed?.text_body).toContain('01/04/2026 alle 09:15');
    // No health details in the email: no service, no facility, no name.
    expect(confirmed?.text_body).not.toMatch(/cardio|visit|specialist/i);
    expect(confirmed?.text_body).not.toContain(cardiology.name);
    const ics = parseIcs(attachment(confirmed));
    expect(ics).toMatchObject({
      method: 'REQUEST',
      uid: `${id}@localhost`,
      sequence: 0,
      status: 'CONFIRMED',
      tzid: 'Europe/Rome',
      timezones: ['Europe/Rome'],
    });
    expect(ics.dtstart).toBe('2026-04-01T09:15:00');
    expect(ics.location).toContain(cardiology.address);
    expect(ics.location).toContain(cardiology.cap);

    const voucher = await call(mario.cookie).get(`/api/v1/bookings/${id}/voucher`);
    expect(voucher.statusCode).toBe(200);
    expect(voucher.headers['content-type']).toBe('application/pdf');
    expect(voucher.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const check = await c.t.app.inject({
      method: 'GET',
      url: `/api/v1/public/booking-codes/${booking.authorisationCode.toLowerCase().replace('-', '')}`,
    });
    expect(check.statusCode).toBe(200);
    expect(check.json()).toEqual({
      valid: true,
      service: 'visite_specialistiche',
      date: '2026-04-01',
      time: '09:15',
      initials: 'M.D.',
    });
    const wrong = await c.t.app.inject({ method: 'GET', url: '/api/v1/public/booking-codes/AAAA-AAAA' });
    expect(wrong.json()).toEqual({ valid: false });

    // The desk moves it: the same UID, the next SEQUENCE, "changed" in the subject.
    const moved = await deskCall('POST', `/api/v1/staff/bookings/${id}/confirm`, {
      date: '2026-04-02',
      time: '16:00',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().authorisationCode).toBe(booking.authorisationCode);
    const change = (await outbox()).find(
      (e) => e.subject === `La tua prenotazione n. ${booking.number} è cambiata`,
    );
    expect(parseIcs(attachment(change))).toMatchObject({
      uid: `${id}@localhost`,
      sequence: 1,
      method: 'REQUEST',
    });
  });

  it('[member] cancels until the notice (48 hours, across the change to summer time); after it, refused; the cancel .ics has the same UID', async () => {
    await at('2026-03-27T09:00:00.000Z');
    const first = (await book(mario, 'mario', [{ date: '2026-03-30', part: 'morning' }])).json();
    const second = (await book(mario, 'mario', [{ date: '2026-03-30', part: 'morning' }])).json();
    // Monday 30 March 09:00 in Rome = 07:00 UTC; 48 hours before = Saturday 28, 08:00 in Rome (07:00 UTC).
    for (const b of [first, second]) {
      const res = await deskCall('POST', `/api/v1/staff/bookings/${b.id}/confirm`, {
        date: '2026-03-30',
        time: '09:00',
      });
      expect(res.json().appointment.startAt).toBe('2026-03-30T07:00:00.000Z');
      expect(res.json().cancellableUntil).toBe('2026-03-28T07:00:00.000Z');
    }
    await at('2026-03-28T07:00:00.000Z');
    const onTime = await call(mario.cookie).post(`/api/v1/bookings/${first.id}/cancel`);
    expect(onTime.statusCode, onTime.body).toBe(200);
    expect(onTime.json().state).toBe('cancelled');
    const cancelMail = (await outbox()).find(
      (e) => e.template === 'booking-cancelled' && e.subject.includes(first.number),
    );
    const ics = parseIcs(attachment(cancelMail));
    expect(ics).toMatchObject({
      method: 'CANCEL',
      status: 'CANCELLED',
      uid: `${first.id}@localhost`,
      sequence: 1,
    });

    await at('2026-03-28T07:00:00.001Z');
    const late = await call(mario.cookie).post(`/api/v1/bookings/${second.id}/cancel`);
    expect(late.statusCode).toBe(409);
    expect(codes(late)).toEqual(['booking_notice_passed']);
    const lateMove = await call(mario.cookie).post(`/api/v1/bookings/${second.id}/reschedule`, {
      windows: [{ date: '2026-04-08', part: 'morning' }],
    });
    expect(codes(lateMove)).toEqual(['booking_notice_passed']);
  });

  it('[member] windows around the change to winter time (last Sunday of October) and the desk’s slot on the doubled hour', async () => {
    await at('2026-10-23T08:00:00.000Z');
    const res = await book(mario, 'mario', [
      { date: '2026-10-25', part: 'morning' },
      { date: '2026-10-26', part: 'morning' },
    ]);
    expect(res.json().error.details).toEqual([
      expect.objectContaining({ field: '/windows/0', code: 'booking_window_not_working_day' }),
    ]);
    const ok = (await book(mario, 'mario', [{ date: '2026-10-26', part: 'morning' }])).json();
    // Monday 26 October is in winter time (UTC+1).
    expect(ok.windows[0].startsAt).toBe('2026-10-26T07:00:00.000Z');
    // 02:30 on Sunday 28 March 2027 does not exist (the hour skipped): refused.
    const gap = await deskCall('POST', `/api/v1/staff/bookings/${ok.id}/propose`, {
      date: '2027-03-28',
      time: '02:30',
    });
    expect(codes(gap)).toEqual(['booking_slot_invalid']);
    // 02:30 on Sunday 25 October happens twice: the first (summer time, 00:30 UTC).
    const slot = await deskCall('POST', `/api/v1/staff/bookings/${ok.id}/propose`, {
      date: '2026-10-25',
      time: '02:30',
    });
    expect(slot.json().proposal.startAt).toBe('2026-10-25T00:30:00.000Z');
  });

  it('[system] an unanswered proposal goes back to the desk after its deadline', async () => {
    await at('2026-04-13T08:00:00.000Z');
    const made = (await book(mario, 'mario', [{ date: '2026-04-20', part: 'morning' }])).json();
    const proposed = await deskCall('POST', `/api/v1/staff/bookings/${made.id}/propose`, {
      date: '2026-04-21',
      time: '10:00',
    });
    const deadline = proposed.json().proposal.deadline;
    expect(deadline).toBe('2026-04-15T08:00:00.000Z');
    expect(await c.t.app.bookings.expireProposals(new Date(deadline))).toBe(0);
    expect(await c.t.app.bookings.expireProposals(new Date(new Date(deadline).getTime() + 1))).toBe(1);
    const after = await call(mario.cookie).get(`/api/v1/bookings/${made.id}`);
    expect(after.json()).toMatchObject({ state: 'requested', proposal: null });
    expect(after.json().events.at(-1)).toMatchObject({ actor: 'system', reasonCode: 'proposal_expired' });
    const late = await call(mario.cookie).post(`/api/v1/bookings/${made.id}/accept`);
    expect(late.statusCode).toBe(409);
  });

  it('[system] the reminder the day before is queued once, even with two instances running the job together', async () => {
    await at('2026-05-04T08:00:00.000Z');
    const made = (await book(mario, 'mario', [{ date: '2026-05-06', part: 'morning' }])).json();
    await deskCall('POST', `/api/v1/staff/bookings/${made.id}/confirm`, {
      date: '2026-05-06',
      time: '08:30',
    });
    const second: TestApp = await buildTestApp({ database: c.t.db, clock: c.clock });
    try {
      // Two days before: nothing yet.
      expect(await c.t.app.bookings.sendReminders(c.clock.now())).toBe(0);
      // The day before (5 May, 23:30 in Rome is still the day before).
      await at('2026-05-05T21:30:00.000Z');
      const [a, b] = await Promise.all([
        c.t.app.bookings.sendReminders(c.clock.now()),
        second.app.bookings.sendReminders(c.clock.now()),
      ]);
      expect(a + b).toBe(1);
      await Promise.all([c.t.app.jobs.runDue(), second.app.jobs.runDue()]);
      const reminders = (await outbox()).filter((e) => e.template === 'booking-reminder');
      expect(reminders).toHaveLength(1);
      expect(reminders[0]?.text_body).toContain('06/05/2026 alle 08:30');
    } finally {
      await second.close();
    }
  });

  it('[booking desk] ESEGUITA with the invoice amount: a direct claim, decided, paid in a batch to the facility’s IBAN; the member sees the share', async () => {
    expect(cardiology.iban).toMatch(FACILITY_IBAN_PATTERN);
    await at('2026-06-01T08:00:00.000Z');
    const made = (await book(mario, 'mario', [{ date: '2026-06-03', part: 'morning' }])).json();
    await deskCall('POST', `/api/v1/staff/bookings/${made.id}/confirm`, {
      date: '2026-06-03',
      time: '10:00',
    });
    // Not before the visit.
    const early = await deskCall('POST', `/api/v1/staff/bookings/${made.id}/performed`, {
      invoiceCents: 12_000,
      invoiceNumber: 'F-77',
    });
    expect(early.statusCode).toBe(409);
    await at('2026-06-03T10:00:00.000Z');
    const done = await deskCall('POST', `/api/v1/staff/bookings/${made.id}/performed`, {
      invoiceCents: 12_000,
      invoiceNumber: 'F-77',
    });
    expect(done.statusCode, done.body).toBe(200);
    // Network specialist visit: paid in full less a 20 € deductible per visit.
    expect(done.json()).toMatchObject({ state: 'performed', expectedShareCents: 2_000 });
    const claimId = done.json().claim.id;
    const claim = await c.t.app.db
      .selectFrom('claims')
      .selectAll()
      .where('id', '=', claimId)
      .executeTakeFirstOrThrow();
    expect(claim).toMatchObject({
      kind: 'direct',
      booking_id: made.id,
      state: 'submitted',
      iban: cardiology.iban,
      account_holder: cardiology.name,
      claimed_cents: 12_000,
      estimated_cents: 10_000,
    });
    const events = await c.t.app.db
      .selectFrom('claim_events')
      .selectAll()
      .where('claim_id', '=', claimId)
      .execute();
    expect(events.map((e) => [e.from_state, e.to_state, e.actor_kind, e.reason_code])).toEqual([
      [null, 'submitted', 'system', 'booking_performed'],
    ]);
    // Twice is refused.
    const again = await deskCall('POST', `/api/v1/staff/bookings/${made.id}/performed`, {
      invoiceCents: 12_000,
      invoiceNumber: 'F-77',
    });
    expect(again.statusCode).toBe(409);

    await approveClaim(c.t.app, claimId);
    const batch = await call(admin.cookie).post('/api/v1/staff/payments/batches', {});
    expect(batch.statusCode, batch.body).toBe(201);
    const file = await call(admin.cookie).get(`/api/v1/staff/payments/batches/${batch.json().id}/file`);
    const sepa = readPain001(file.body);
    const transfer = sepa.transfers.find((t) => t.creditorIban === cardiology.iban);
    expect(transfer).toMatchObject({ amount: '100.00', currency: 'EUR' });
    expect(transfer?.creditorName).toContain(cardiology.name.slice(0, 10));
    const seen = await call(mario.cookie).get(`/api/v1/bookings/${made.id}`);
    expect(seen.json()).toMatchObject({
      expectedShareCents: 2_000,
      claim: { id: claimId, state: 'approved' },
    });

    // The fund's other systems read the visit as a FHIR R4 Appointment, fulfilled, valid.
    const fhir = await call(admin.cookie).get(
      `/api/v1/staff/fhir/Patient/${c.registry.get('mario')}/$everything`,
    );
    expect(fhir.statusCode, fhir.body).toBe(200);
    const appointment = fhir
      .json()
      .entry.map((e: { resource: { resourceType: string; id: string } }) => e.resource)
      .find(
        (r: { resourceType: string; id: string }) => r.resourceType === 'Appointment' && r.id === made.id,
      );
    expect(appointment).toMatchObject({
      status: 'fulfilled',
      start: '2026-06-03T08:00:00.000Z',
      end: '2026-06-03T08:30:00.000Z',
      serviceType: [{ text: 'Specialist visits' }],
      participant: [
        { actor: { reference: `Patient/${c.registry.get('mario')}` } },
        { actor: { display: cardiology.name } },
      ],
    });
    expect(new FhirValidator().validate(appointment)).toEqual([]);
  });

  it('[booking desk] ESEGUITA is refused when the facility has no IBAN', async () => {
    await at('2026-06-01T08:00:00.000Z');
    const made = (await book(mario, 'mario', [{ date: '2026-06-03', part: 'morning' }])).json();
    await deskCall('POST', `/api/v1/staff/bookings/${made.id}/confirm`, {
      date: '2026-06-03',
      time: '11:00',
    });
    await c.t.app.db.updateTable('facilities').set({ iban: null }).where('id', '=', cardiology.id).execute();
    await at('2026-06-03T12:00:00.000Z');
    const res = await deskCall('POST', `/api/v1/staff/bookings/${made.id}/performed`, {
      invoiceCents: 5_000,
      invoiceNumber: 'F-78',
    });
    expect(codes(res)).toEqual(['booking_facility_without_iban']);
    await c.t.app.db
      .updateTable('facilities')
      .set({ iban: cardiology.iban })
      .where('id', '=', cardiology.id)
      .execute();
  });

  it('[system] prescriptions of bookings survive the documents sweep; an orphan file goes', async () => {
    const kept = await c.t.app.bookings.referencedKeys([
      'bookings/' + '0'.repeat(64),
      'claims/' + '1'.repeat(64),
    ]);
    expect([...kept]).toEqual(['claims/' + '1'.repeat(64)]);
    const stored = await c.t.app.db
      .selectFrom('booking_documents')
      .select('storage_key')
      .executeTakeFirstOrThrow();
    expect([...(await c.t.app.bookings.referencedKeys([stored.storage_key]))]).toEqual([stored.storage_key]);
  });
});
