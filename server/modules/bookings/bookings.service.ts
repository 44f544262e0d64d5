import { randomInt } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  BOOKING_LIMITS,
  BOOKING_TRANSITIONS,
  type BookingActor,
  type BookingConflictCode,
  type BookingFieldCode,
  type BookingRejectReason,
  type BookingState,
} from '#contracts/bookings.codes.js';
import type {
  Booking,
  BookingOptions,
  BookingRequest,
  BookingWindow,
  CodeCheck,
} from '#contracts/bookings.js';
import { CATEGORY_LABELS, type CategoryCode } from '#contracts/plans.codes.js';
import type { AppConfig } from '../../config/config.js';
import type { Db, Dialect } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { Outbox } from '../../email/outbox.service.js';
import type { EmailAttachment } from '../../email/outbox.table.js';
import { AppError, type ErrorDetail } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { SecretBox } from '../../lib/secret-box.js';
import { italianToday } from '../../lib/text.js';
import { hashToken } from '../../lib/tokens.js';
import { checkAndSave, type DocumentStore } from '../../plugins/document-store/index.js';
import type { BookingScope, ClaimsApi } from '../claims/index.js';
import type { MemberAccount } from '../members/index.js';
import { NetworkRepository } from '../network/index.js';
import { cancellationIcs, confirmationIcs } from './booking-calendar.js';
import {
  type CheckedWindow,
  checkWindows,
  holidaysBetween,
  nextWorkingDay,
  romeInstant,
  romeWallClock,
  withinNotice,
} from './booking-time.js';
import { voucherPdf } from './booking-voucher.js';
import { BOOKING_DOCUMENT_FOLDER, BookingsRepository } from './bookings.repository.js';
import type { BookingRow } from './bookings.table.js';

export interface BookingsDeps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  outbox: Outbox;
  documents: DocumentStore;
  claims: Pick<
    ClaimsApi,
    'bookingScope' | 'estimateNetwork' | 'createDirect' | 'claimSummary' | 'autoDecide'
  >;
  config: Pick<
    AppConfig,
    'sessionSecret' | 'publicUrl' | 'mailFrom' | 'bookingCancelNoticeHours' | 'bookingProposalResponseHours'
  >;
  log: { error(obj: object, msg: string): void };
}

/** A staff user acting at the booking desk. */
export interface DeskActor {
  id: string;
}

/** How long an appointment lasts in the calendar. */
const APPOINTMENT_MINUTES = 30;
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

const notFound = () => new AppError('NOT_FOUND');
const invalid = (field: string, code: BookingFieldCode): AppError =>
  new AppError('VALIDATION_FAILED', [{ field, code }]);
const conflict = (code: BookingConflictCode, field = 'state'): AppError =>
  new AppError('CONFLICT', [{ field, code }]);

export function canMove(from: BookingState, to: BookingState, actor: BookingActor): boolean {
  return BOOKING_TRANSITIONS.some((t) => t.from === from && t.to === to && t.by.includes(actor));
}

function assertMove(from: BookingState, to: BookingState, actor: BookingActor): void {
  if (!canMove(from, to, actor)) throw conflict('booking_illegal_transition');
}

/** `XXXX-XXXX` from 32 letters and digits without look-alikes (40 bits). */
export function newAuthorisationCode(): string {
  const pick = () => Array.from({ length: 4 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  return `${pick()}-${pick()}`;
}

/** A typed code as compared: upper case, spaces removed, the dash put back. */
export function normalizeCode(code: string): string | null {
  const plain = code.replace(/[\s-]+/g, '').toUpperCase();
  if (!/^[A-HJ-NP-Z2-9]{8}$/.test(plain)) return null;
  return `${plain.slice(0, 4)}-${plain.slice(4)}`;
}

function italianDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

interface FacilityInfo {
  id: string;
  name: string;
  address: string;
  city: string;
  province: string;
  cap: string;
  phone: string | null;
  iban: string | null;
  services: string[];
}

/**
 * Bookings (forma diretta), decision 044: the member's request, answers and cancellation; the
 * desk's confirmation, proposal, rejection and "ESEGUITA" with its direct claim; the voucher and
 * the calendar files; the facility's code check; the reminder and proposal-expiry jobs.
 */
export class BookingsService {
  readonly repo: BookingsRepository;
  private readonly network = new NetworkRepository();
  private readonly box: SecretBox;

  constructor(private readonly d: BookingsDeps) {
    this.repo = new BookingsRepository(d.dialect);
    this.box = new SecretBox(d.config.sessionSecret, 'booking-codes');
  }

  private codeHash(code: string): string {
    return hashToken(this.d.config.sessionSecret, `booking-code:${code}`);
  }

  private async facility(db: Db, id: string): Promise<FacilityInfo | null> {
    const [row] = await this.network.findByIds(db, [id]);
    if (!row) return null;
    const services = (await this.network.servicesOf(db, [id])).get(id) ?? [];
    return {
      id: row.id,
      name: row.name,
      address: row.address,
      city: row.city,
      province: row.province,
      cap: row.cap,
      phone: row.phone,
      iban: row.iban ?? null,
      services,
    };
  }

  private facilityView(f: FacilityInfo) {
    return {
      id: f.id,
      name: f.name,
      address: f.address,
      city: f.city,
      province: f.province,
      cap: f.cap,
      phone: f.phone,
    };
  }

  private fullAddress(f: FacilityInfo): string {
    return `${f.address}, ${f.cap} ${f.city} (${f.province})`;
  }

  // --- the member ------------------------------------------------------------------------------

  async options(account: MemberAccount): Promise<BookingOptions> {
    const scope = await this.d.claims.bookingScope(account);
    const today = italianToday(this.d.clock.now());
    const services = Object.entries(scope.plan.rules.categories)
      .filter(([code, rules]) => code !== 'farmaci' && rules?.channels.network)
      .map(([code, rules]) => {
        const network = rules?.channels.network;
        return {
          code: code as Exclude<CategoryCode, 'farmaci'>,
          label: rules?.label ?? CATEGORY_LABELS[code as CategoryCode],
          prescriptionRequired: network?.prescriptionRequired ?? false,
          coinsuranceBasisPoints: network?.coinsuranceBasisPoints ?? 0,
          deductiblePerVisitCents: network?.deductiblePerVisitCents ?? 0,
          minimumPerInvoiceCents: network?.minimumPerInvoiceCents ?? 0,
          expectedShareCents: network ? knownShare(network) : null,
        };
      });
    const [y, m, d] = today.split('-').map(Number) as [number, number, number];
    const until = new Date(Date.UTC(y, m - 1, d + BOOKING_LIMITS.maxDaysAhead)).toISOString().slice(0, 10);
    return {
      beneficiaries: scope.persons.map((p) => ({ id: p.id, givenName: p.givenName, surname: p.surname })),
      services,
      holidays: holidaysBetween(today, until),
      earliestDate: nextWorkingDay(today),
      cancelNoticeHours: this.d.config.bookingCancelNoticeHours,
    };
  }

  /** A prescription uploaded before the request is sent (checked by content, sealed at rest). */
  async uploadDocument(
    account: MemberAccount,
    name: string,
    body: Readable | undefined,
    declaredBytes?: number,
  ) {
    if (!body || typeof body.pipe !== 'function')
      throw new AppError('VALIDATION_FAILED', [{ field: 'file', code: 'empty' }]);
    if ((await this.repo.countLoose(this.d.db, account.id)) >= BOOKING_LIMITS.maxDocuments * 4) {
      body.resume();
      throw new AppError('VALIDATION_FAILED', [{ field: 'file', code: 'too_many_documents' }]);
    }
    const result = await checkAndSave(this.d.documents, body, {
      maxBytes: 10 * 1024 * 1024,
      prefix: BOOKING_DOCUMENT_FOLDER,
      declaredBytes,
    });
    if (!result.ok) {
      if (result.code === 'too_large')
        throw new AppError('PAYLOAD_TOO_LARGE', [{ field: 'file', code: 'too_large' }]);
      throw new AppError('VALIDATION_FAILED', [{ field: 'file', code: result.code }]);
    }
    const now = this.d.clock.now();
    const id = newId(now.getTime());
    const fileName = name.replace(/[\\/\p{C}]+/gu, '_').slice(0, 200) || 'documento';
    await this.repo.insertDocument(this.d.db, {
      id,
      booking_id: null,
      account_id: account.id,
      storage_key: result.document.key,
      kind: 'prescrizione',
      file_name: fileName,
      media_type: result.mediaType,
      bytes: result.document.bytes,
      sha256: result.document.sha256,
      uploaded_at: now.toISOString(),
    });
    return { id, fileName, mediaType: result.mediaType, bytes: result.document.bytes };
  }

  private checkWindowsOrThrow(windows: BookingWindow[], field: string): CheckedWindow[] {
    const checked = checkWindows(windows, this.d.clock.now());
    if (!checked.ok) {
      throw new AppError(
        'VALIDATION_FAILED',
        checked.problems.map((p): ErrorDetail => ({ field: `${field}/${p.index}`, code: p.code })),
      );
    }
    return checked.windows;
  }

  /**
   * Sends the request, in one transaction: checks, number, documents, first event, receipt. The
   * same idempotency key answers the booking it already made: never a second one.
   */
  async create(
    account: MemberAccount,
    body: BookingRequest,
    key: string,
  ): Promise<{ created: boolean; booking: Booking }> {
    const earlier = await this.repo.findByIdempotencyKey(this.d.db, account.id, key);
    if (earlier) return { created: false, booking: await this.view(earlier) };
    try {
      return await this.createOnce(account, body, key);
    } catch (err) {
      // A twin request with the same key won meanwhile (its documents are no longer loose, its row
      // holds the key): answer with its booking.
      const made = await this.repo.findByIdempotencyKey(this.d.db, account.id, key);
      if (made) return { created: false, booking: await this.view(made) };
      throw err;
    }
  }

  private async createOnce(
    account: MemberAccount,
    body: BookingRequest,
    key: string,
  ): Promise<{ created: boolean; booking: Booking }> {
    const scope = await this.d.claims.bookingScope(account);
    if (!scope.persons.some((p) => p.id === body.beneficiaryId))
      throw invalid('/beneficiaryId', 'booking_beneficiary_unknown');
    const category = scope.plan.rules.categories[body.service];
    const network = category?.channels.network;
    if (!network) throw invalid('/service', 'booking_service_not_covered');
    const facility = await this.facility(this.d.db, body.facilityId);
    if (!facility) throw invalid('/facilityId', 'booking_facility_unknown');
    if (!facility.services.includes(body.service))
      throw invalid('/facilityId', 'booking_facility_without_service');
    const windows = this.checkWindowsOrThrow(body.windows, '/windows');
    const documentIds = [...new Set(body.documentIds ?? [])];
    const docs = await this.repo.loose(this.d.db, account.id, documentIds);
    if (docs.length !== documentIds.length) throw invalid('/documentIds', 'booking_document_unknown');
    if (network.prescriptionRequired && docs.length === 0)
      throw invalid('/documentIds', 'booking_prescription_required');
    const now = this.d.clock.now();
    const today = italianToday(now);
    try {
      const row = await this.d.db.transaction().execute(async (trx) => {
        const again = await this.repo.findByIdempotencyKey(trx, account.id, key);
        if (again) return { row: again, created: false };
        const year = Number(today.slice(0, 4));
        const number = `PRE-${year}-${String(await this.repo.nextNumber(trx, year)).padStart(6, '0')}`;
        const id = newId(now.getTime());
        const row: BookingRow = {
          id,
          number,
          account_id: account.id,
          family_id: scope.familyId,
          beneficiary_id: body.beneficiaryId,
          plan_id: scope.plan.id,
          plan_version: scope.plan.version,
          service: body.service,
          facility_id: facility.id,
          province: facility.province,
          windows: JSON.stringify(windows),
          state: 'requested',
          idempotency_key: key,
          proposed_start: null,
          proposed_facility_id: null,
          proposal_deadline: null,
          start_at: null,
          confirmed_facility_id: null,
          code_hash: null,
          code_sealed: null,
          calendar_sequence: 0,
          reminder_sent_at: null,
          reject_reason: null,
          invoice_cents: null,
          expected_share_cents: knownShare(network),
          claim_id: null,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        };
        await this.repo.insert(trx, row);
        await this.repo.attachDocuments(
          trx,
          id,
          docs.map((d) => d.id),
        );
        await this.repo.insertEvent(trx, {
          id: newId(now.getTime()),
          booking_id: id,
          at: now.toISOString(),
          from_state: null,
          to_state: 'requested',
          actor_kind: 'member',
          actor_id: account.id,
          reason_code: null,
          params: null,
        });
        await this.d.outbox.enqueue(trx, {
          to: account.email,
          template: 'booking-sent',
          locale: account.locale === 'en' ? 'en' : 'it',
          data: { number, bookingId: id },
          dedupeKey: `booking-sent:${id}`,
        });
        return { row, created: true };
      });
      return { created: row.created, booking: await this.view(row.row) };
    } catch (err) {
      if (isUniqueViolation(err)) {
        const made = await this.repo.findByIdempotencyKey(this.d.db, account.id, key);
        if (made) return { created: false, booking: await this.view(made) };
      }
      throw err;
    }
  }

  /** What the plan covers and the member's share for an amount (the engine, network channel). */
  async estimate(
    account: MemberAccount,
    input: { beneficiaryId: string; service: CategoryCode; amountCents: number },
  ) {
    const scope = await this.d.claims.bookingScope(account);
    if (!scope.persons.some((p) => p.id === input.beneficiaryId))
      throw invalid('/beneficiaryId', 'booking_beneficiary_unknown');
    if (!scope.plan.rules.categories[input.service]?.channels.network)
      throw invalid('/service', 'booking_service_not_covered');
    const estimate = await this.d.claims.estimateNetwork({
      familyId: scope.familyId,
      beneficiaryId: input.beneficiaryId,
      rules: scope.plan.rules,
      category: input.service,
      amountCents: input.amountCents,
      hasPrescription: true,
      on: italianToday(this.d.clock.now()),
    });
    return {
      coveredCents: estimate.acceptedCents,
      memberShareCents: estimate.memberShareCents,
      explanation: estimate.explanation,
    };
  }

  /** A booking the member may see: their own, or of a person of the family they see. */
  private async visible(
    account: MemberAccount,
    id: string,
  ): Promise<{ row: BookingRow; scope: BookingScope }> {
    const row = await this.repo.find(this.d.db, id);
    if (!row) throw notFound();
    const scope = await this.d.claims.bookingScope(account);
    if (row.family_id !== scope.familyId) throw notFound();
    if (row.account_id !== account.id && !scope.persons.some((p) => p.id === row.beneficiary_id))
      throw notFound();
    return { row, scope };
  }

  async list(account: MemberAccount) {
    const scope = await this.d.claims.bookingScope(account);
    const rows = await this.repo.listVisible(
      this.d.db,
      scope.familyId,
      account.id,
      scope.persons.map((p) => p.id),
    );
    const persons = new Map(
      (await this.repo.persons(this.d.db, [...new Set(rows.map((r) => r.beneficiary_id))])).map((p) => [
        p.id,
        p,
      ]),
    );
    const facilities = new Map(
      (
        await this.network.findByIds(this.d.db, [
          ...new Set(rows.map((r) => r.confirmed_facility_id ?? r.facility_id)),
        ])
      ).map((f) => [f.id, f]),
    );
    return {
      items: rows.map((r) => {
        const p = persons.get(r.beneficiary_id);
        return {
          id: r.id,
          number: r.number,
          state: r.state,
          service: r.service,
          beneficiary: { id: r.beneficiary_id, givenName: p?.given_name ?? '', surname: p?.surname ?? '' },
          facilityName: facilities.get(r.confirmed_facility_id ?? r.facility_id)?.name ?? '',
          startAt: r.start_at,
          createdAt: r.created_at,
        };
      }),
    };
  }

  async get(account: MemberAccount, id: string): Promise<Booking> {
    const { row } = await this.visible(account, id);
    return this.view(row);
  }

  /** The booking as the member (and the desk) see it. */
  async view(row: BookingRow, db: Db = this.d.db): Promise<Booking> {
    const [person] = await this.repo.persons(db, [row.beneficiary_id]);
    const ids = [row.facility_id, row.proposed_facility_id, row.confirmed_facility_id].filter(
      (x): x is string => x !== null,
    );
    const facilities = new Map<string, FacilityInfo>();
    for (const id of new Set(ids)) {
      const f = await this.facility(db, id);
      if (f) facilities.set(id, f);
    }
    const fv = (id: string | null) => {
      const f = id ? facilities.get(id) : undefined;
      return f
        ? this.facilityView(f)
        : { id: id ?? '', name: '', address: '', city: '', province: '', cap: '', phone: null };
    };
    const events = await this.repo.events(db, row.id);
    const claim = row.claim_id ? await this.d.claims.claimSummary(row.claim_id) : null;
    const withCode = row.state === 'confirmed' || row.state === 'performed';
    const cancellable =
      row.state === 'confirmed' && row.start_at
        ? new Date(
            new Date(row.start_at).getTime() - this.d.config.bookingCancelNoticeHours * 3_600_000,
          ).toISOString()
        : null;
    return {
      id: row.id,
      number: row.number,
      state: row.state,
      beneficiary: {
        id: row.beneficiary_id,
        givenName: person?.given_name ?? '',
        surname: person?.surname ?? '',
      },
      service: row.service,
      facility: fv(row.facility_id),
      windows: JSON.parse(row.windows) as CheckedWindow[],
      proposal:
        row.state === 'proposed' && row.proposed_start && row.proposal_deadline
          ? {
              startAt: row.proposed_start,
              facility: fv(row.proposed_facility_id ?? row.facility_id),
              deadline: row.proposal_deadline,
            }
          : null,
      appointment:
        row.start_at && (row.state === 'confirmed' || row.state === 'performed')
          ? { startAt: row.start_at, facility: fv(row.confirmed_facility_id ?? row.facility_id) }
          : null,
      cancellableUntil: cancellable,
      authorisationCode: withCode && row.code_sealed ? this.box.open(row.code_sealed) : null,
      expectedShareCents: claim ? claim.memberShareCents : row.expected_share_cents,
      rejectReason: row.reject_reason,
      claim: claim ? { id: claim.id, number: claim.number, state: claim.state } : null,
      events: events.map((e) => ({
        at: e.at,
        from: e.from_state,
        to: e.to_state,
        actor: e.actor_kind,
        reasonCode: e.reason_code,
      })),
      createdAt: row.created_at,
    };
  }

  /**
   * The one way a booking changes state: checked against BOOKING_TRANSITIONS, recorded as an
   * event, in the caller's transaction on a row it locked.
   */
  private async move(
    trx: Db,
    row: BookingRow,
    to: BookingState,
    actor: BookingActor,
    actorId: string | null,
    changes: Partial<BookingRow> = {},
    reasonCode: string | null = null,
  ): Promise<BookingRow> {
    assertMove(row.state, to, actor);
    const now = this.d.clock.now();
    const next = { ...row, ...changes, state: to, updated_at: now.toISOString() };
    const { id: _id, ...values } = {
      ...changes,
      state: to,
      updated_at: now.toISOString(),
    } as Partial<BookingRow>;
    await this.repo.update(trx, row.id, values);
    await this.repo.insertEvent(trx, {
      id: newId(now.getTime()),
      booking_id: row.id,
      at: now.toISOString(),
      from_state: row.state,
      to_state: to,
      actor_kind: actor,
      actor_id: actorId,
      reason_code: reasonCode,
      params: null,
    });
    return next;
  }

  private async locked<T>(id: string, fn: (trx: Db, row: BookingRow) => Promise<T>): Promise<T> {
    return this.d.db.transaction().execute(async (trx) => {
      const row = await this.repo.lock(trx, id);
      if (!row) throw notFound();
      return fn(trx, row);
    });
  }

  /** The calendar entry of a booking's appointment, at its next SEQUENCE. */
  private async calendarFile(trx: Db, row: BookingRow, kind: 'request' | 'cancel', locale: 'it' | 'en') {
    const facility = await this.facility(trx, row.confirmed_facility_id ?? row.facility_id);
    if (!facility || !row.start_at) return null;
    const entry = {
      bookingId: row.id,
      number: row.number,
      domain: this.d.config.publicUrl.hostname,
      startAt: new Date(row.start_at),
      minutes: APPOINTMENT_MINUTES,
      facilityName: facility.name,
      facilityAddress: this.fullAddress(facility),
      sequence: row.calendar_sequence,
      locale,
      organizerEmail: this.mailbox(),
      stamp: this.d.clock.now(),
    };
    return kind === 'request' ? confirmationIcs(entry) : cancellationIcs(entry);
  }

  private mailbox(): string {
    const m = /<([^>]+)>/.exec(this.d.config.mailFrom);
    return (m?.[1] ?? this.d.config.mailFrom).trim();
  }

  private icsAttachment(ics: string, method: 'REQUEST' | 'CANCEL'): EmailAttachment {
    return {
      filename: method === 'REQUEST' ? 'appuntamento.ics' : 'annullamento.ics',
      contentType: `text/calendar; charset=utf-8; method=${method}`,
      content: Buffer.from(ics, 'utf8').toString('base64'),
    };
  }

  private async contact(trx: Db, row: BookingRow) {
    const c = await this.repo.accountContact(trx, row.account_id);
    return c ? { email: c.email, locale: (c.locale === 'en' ? 'en' : 'it') as 'it' | 'en' } : null;
  }

  /** The confirmation (or change) email with the code and the REQUEST .ics. */
  private async sendConfirmation(trx: Db, row: BookingRow, changed: boolean): Promise<void> {
    const contact = await this.contact(trx, row);
    if (!contact || !row.start_at || !row.code_sealed) return;
    const ics = await this.calendarFile(trx, row, 'request', contact.locale);
    const wall = romeWallClock(new Date(row.start_at));
    await this.d.outbox.enqueue(trx, {
      to: contact.email,
      template: 'booking-confirmed',
      locale: contact.locale,
      data: {
        number: row.number,
        bookingId: row.id,
        code: this.box.open(row.code_sealed),
        date: italianDate(wall.slice(0, 10)),
        time: wall.slice(11),
        changed,
      },
      ...(ics ? { attachments: [this.icsAttachment(ics, 'REQUEST')] } : {}),
    });
  }

  /** The appointment is off: the CANCEL .ics (same UID, next SEQUENCE). */
  private async sendCancellation(trx: Db, row: BookingRow): Promise<void> {
    const contact = await this.contact(trx, row);
    if (!contact) return;
    const ics = await this.calendarFile(trx, row, 'cancel', contact.locale);
    await this.d.outbox.enqueue(trx, {
      to: contact.email,
      template: 'booking-cancelled',
      locale: contact.locale,
      data: { number: row.number, bookingId: row.id },
      ...(ics ? { attachments: [this.icsAttachment(ics, 'CANCEL')] } : {}),
    });
  }

  private async sendNews(trx: Db, row: BookingRow): Promise<void> {
    const contact = await this.contact(trx, row);
    if (!contact) return;
    await this.d.outbox.enqueue(trx, {
      to: contact.email,
      template: 'booking-news',
      locale: contact.locale,
      data: { number: row.number, bookingId: row.id },
    });
  }

  /** Cancels: before the desk answers, or until the notice before a confirmed appointment. */
  async cancel(account: MemberAccount, id: string): Promise<Booking> {
    await this.visible(account, id);
    const row = await this.locked(id, async (trx, row) => {
      if (row.state === 'confirmed') {
        if (
          !row.start_at ||
          !withinNotice(new Date(row.start_at), this.d.clock.now(), this.d.config.bookingCancelNoticeHours)
        )
          throw conflict('booking_notice_passed');
        const next = await this.move(
          trx,
          row,
          'cancelled',
          'member',
          account.id,
          {
            calendar_sequence: row.calendar_sequence + 1,
          },
          'member_cancelled',
        );
        await this.sendCancellation(trx, next);
        return next;
      }
      return this.move(trx, row, 'cancelled', 'member', account.id, {}, 'member_cancelled');
    });
    return this.view(row);
  }

  /** Asks for another date: new windows; a confirmed appointment is released (CANCEL .ics). */
  async reschedule(account: MemberAccount, id: string, windows: BookingWindow[]): Promise<Booking> {
    await this.visible(account, id);
    const checked = this.checkWindowsOrThrow(windows, '/windows');
    const row = await this.locked(id, async (trx, row) => {
      if (row.state === 'confirmed') {
        if (
          !row.start_at ||
          !withinNotice(new Date(row.start_at), this.d.clock.now(), this.d.config.bookingCancelNoticeHours)
        )
          throw conflict('booking_notice_passed');
        const released = { ...row, calendar_sequence: row.calendar_sequence + 1 };
        await this.sendCancellation(trx, released);
        return this.move(
          trx,
          row,
          'requested',
          'member',
          account.id,
          {
            windows: JSON.stringify(checked),
            calendar_sequence: released.calendar_sequence,
            start_at: null,
            reminder_sent_at: null,
          },
          'member_rescheduled',
        );
      }
      // A proposal declined with new windows.
      assertMove(row.state, 'requested', 'member');
      return this.move(
        trx,
        row,
        'requested',
        'member',
        account.id,
        {
          windows: JSON.stringify(checked),
          proposed_start: null,
          proposed_facility_id: null,
          proposal_deadline: null,
        },
        'member_rescheduled',
      );
    });
    return this.view(row);
  }

  /** Accepts the desk's proposal before its deadline: the booking is confirmed. */
  async accept(account: MemberAccount, id: string): Promise<Booking> {
    await this.visible(account, id);
    const row = await this.locked(id, async (trx, row) => {
      assertMove(row.state, 'confirmed', 'member');
      const now = this.d.clock.now();
      if (!row.proposal_deadline || now.toISOString() > row.proposal_deadline)
        throw conflict('booking_proposal_expired');
      if (!row.proposed_start || new Date(row.proposed_start) <= now)
        throw conflict('booking_proposal_expired');
      const next = await this.move(
        trx,
        row,
        'confirmed',
        'member',
        account.id,
        {
          ...this.codeChanges(row),
          start_at: row.proposed_start,
          confirmed_facility_id: row.proposed_facility_id ?? row.facility_id,
          proposed_start: null,
          proposed_facility_id: null,
          proposal_deadline: null,
          reminder_sent_at: null,
          calendar_sequence:
            row.start_at || row.code_hash ? row.calendar_sequence + 1 : row.calendar_sequence,
          expected_share_cents: row.expected_share_cents,
        },
        'proposal_accepted',
      );
      await this.sendConfirmation(trx, next, false);
      return next;
    });
    return this.view(row);
  }

  /** Declines the desk's proposal: back to the desk, with the member's windows. */
  async decline(account: MemberAccount, id: string): Promise<Booking> {
    await this.visible(account, id);
    const row = await this.locked(id, (trx, row) =>
      this.move(
        trx,
        row,
        'requested',
        'member',
        account.id,
        {
          proposed_start: null,
          proposed_facility_id: null,
          proposal_deadline: null,
        },
        'proposal_declined',
      ),
    );
    return this.view(row);
  }

  private codeChanges(row: BookingRow): Partial<BookingRow> {
    if (row.code_hash && row.code_sealed) return {};
    const code = newAuthorisationCode();
    return { code_hash: this.codeHash(code), code_sealed: this.box.seal(code) };
  }

  async voucher(account: MemberAccount, id: string): Promise<{ name: string; pdf: Uint8Array }> {
    const { row } = await this.visible(account, id);
    if (row.state !== 'confirmed' || !row.start_at || !row.code_sealed)
      throw conflict('booking_illegal_transition');
    const view = await this.view(row);
    const facility = await this.facility(this.d.db, row.confirmed_facility_id ?? row.facility_id);
    const wall = romeWallClock(new Date(row.start_at));
    const locale = account.locale === 'en' ? 'en' : 'it';
    const pdf = await voucherPdf({
      number: row.number,
      code: this.box.open(row.code_sealed),
      beneficiary: `${view.beneficiary.givenName} ${view.beneficiary.surname}`,
      service: CATEGORY_LABELS[row.service][locale],
      facilityName: facility?.name ?? '',
      facilityAddress: facility ? this.fullAddress(facility) : '',
      date: italianDate(wall.slice(0, 10)),
      time: wall.slice(11),
      expectedShareCents: row.expected_share_cents,
      checkUrl: `${this.d.config.publicUrl.origin}/verifica-prenotazione`,
      locale,
    });
    return { name: `voucher-${row.number}.pdf`, pdf };
  }

  /** The appointment's calendar file, to download again (REQUEST, the present SEQUENCE). */
  async calendar(account: MemberAccount, id: string): Promise<{ name: string; ics: string }> {
    const { row } = await this.visible(account, id);
    if (row.state !== 'confirmed') throw conflict('booking_illegal_transition');
    const ics = await this.calendarFile(this.d.db, row, 'request', account.locale === 'en' ? 'en' : 'it');
    if (!ics) throw conflict('booking_illegal_transition');
    return { name: `appuntamento-${row.number}.ics`, ics };
  }

  // --- the facility's check ----------------------------------------------------------------------

  /** Valid or not; when valid, the service, the day, the time and the beneficiary's initials only. */
  async checkCode(code: string): Promise<CodeCheck> {
    const normal = normalizeCode(code);
    if (!normal) return { valid: false };
    const row = await this.repo.findByCodeHash(this.d.db, this.codeHash(normal));
    if (row?.state !== 'confirmed' || !row.start_at) return { valid: false };
    const [person] = await this.repo.persons(this.d.db, [row.beneficiary_id]);
    const wall = romeWallClock(new Date(row.start_at));
    const initial = (s: string | undefined) => (s?.trim()[0] ?? '').toUpperCase();
    return {
      valid: true,
      service: row.service,
      date: wall.slice(0, 10),
      time: wall.slice(11),
      initials: `${initial(person?.given_name)}.${initial(person?.surname)}.`,
    };
  }

  // --- the booking desk ------------------------------------------------------------------------

  async queue(filter: {
    state?: BookingState;
    province?: string;
    service?: Exclude<CategoryCode, 'farmaci'>;
  }) {
    const states: BookingState[] = filter.state ? [filter.state] : ['requested', 'proposed', 'confirmed'];
    const rows = await this.repo.queue(this.d.db, {
      states,
      ...(filter.province ? { province: filter.province.toUpperCase() } : {}),
      ...(filter.service ? { service: filter.service } : {}),
    });
    const persons = new Map(
      (await this.repo.persons(this.d.db, [...new Set(rows.map((r) => r.beneficiary_id))])).map((p) => [
        p.id,
        p,
      ]),
    );
    const facilities = new Map(
      (await this.network.findByIds(this.d.db, [...new Set(rows.map((r) => r.facility_id))])).map((f) => [
        f.id,
        f,
      ]),
    );
    return {
      items: rows.map((r) => {
        const p = persons.get(r.beneficiary_id);
        const windows = JSON.parse(r.windows) as CheckedWindow[];
        return {
          id: r.id,
          number: r.number,
          state: r.state,
          service: r.service,
          province: r.province,
          facilityName: facilities.get(r.facility_id)?.name ?? '',
          beneficiaryInitials: `${p?.given_name[0] ?? ''}.${p?.surname[0] ?? ''}.`,
          firstWindow: windows[0]?.startsAt ?? null,
          createdAt: r.created_at,
        };
      }),
    };
  }

  async deskDetail(id: string) {
    const row = await this.repo.find(this.d.db, id);
    if (!row) throw notFound();
    const [person] = await this.repo.persons(this.d.db, [row.beneficiary_id]);
    const documents = await this.repo.documents(this.d.db, id);
    const facility = await this.facility(this.d.db, row.confirmed_facility_id ?? row.facility_id);
    return {
      booking: await this.view(row),
      beneficiaryCodiceFiscale: person?.codice_fiscale ?? '',
      documents: documents.map((d) => ({
        id: d.id,
        fileName: d.file_name,
        mediaType: d.media_type,
        bytes: d.bytes,
      })),
      facilityHasIban: Boolean(facility?.iban),
    };
  }

  /** A prescription of a booking, with the booking's beneficiary (whose data the opening reads). */
  async openDocument(id: string, documentId: string) {
    const doc = await this.repo.document(this.d.db, id, documentId);
    const booking = doc && (await this.repo.find(this.d.db, id));
    if (!doc || !booking) throw notFound();
    return {
      document: doc,
      beneficiaryId: booking.beneficiary_id,
      open: () => this.d.documents.open(doc.storage_key),
    };
  }

  /** A slot the desk gives, checked: a real time in Rome, in the future; the facility offers the service. */
  private async slot(
    trx: Db,
    row: BookingRow,
    body: { date: string; time: string; facilityId?: string | undefined },
  ) {
    const start = romeInstant(body.date, body.time);
    if (!start) throw invalid('/time', 'booking_slot_invalid');
    if (start <= this.d.clock.now()) throw invalid('/date', 'booking_slot_past');
    const facilityId = body.facilityId ?? row.confirmed_facility_id ?? row.facility_id;
    const facility = await this.facility(trx, facilityId);
    if (!facility) throw invalid('/facilityId', 'booking_facility_unknown');
    if (!facility.services.includes(row.service))
      throw invalid('/facilityId', 'booking_facility_without_service');
    return { start, facility };
  }

  /** Confirms a date, time and facility (within the windows or not), or moves a confirmed one. */
  async confirm(by: DeskActor, id: string, body: { date: string; time: string; facilityId?: string }) {
    const row = await this.locked(id, async (trx, row) => {
      assertMove(row.state, 'confirmed', 'desk');
      const { start, facility } = await this.slot(trx, row, body);
      const changed = row.state === 'confirmed';
      const next = await this.move(
        trx,
        row,
        'confirmed',
        'desk',
        by.id,
        {
          ...this.codeChanges(row),
          start_at: start.toISOString(),
          confirmed_facility_id: facility.id,
          proposed_start: null,
          proposed_facility_id: null,
          proposal_deadline: null,
          reminder_sent_at: null,
          calendar_sequence: row.code_hash ? row.calendar_sequence + 1 : row.calendar_sequence,
        },
        changed ? 'desk_moved' : 'desk_confirmed',
      );
      await this.sendConfirmation(trx, next, changed);
      return next;
    });
    return this.view(row);
  }

  /** Proposes another slot; the member accepts or declines it by BOOKING_PROPOSAL_RESPONSE_HOURS. */
  async propose(by: DeskActor, id: string, body: { date: string; time: string; facilityId?: string }) {
    const row = await this.locked(id, async (trx, row) => {
      assertMove(row.state, 'proposed', 'desk');
      const { start, facility } = await this.slot(trx, row, body);
      const now = this.d.clock.now();
      const deadline = new Date(
        Math.min(start.getTime(), now.getTime() + this.d.config.bookingProposalResponseHours * 3_600_000),
      );
      const wasConfirmed = row.state === 'confirmed';
      const next = await this.move(
        trx,
        row,
        'proposed',
        'desk',
        by.id,
        {
          proposed_start: start.toISOString(),
          proposed_facility_id: facility.id,
          proposal_deadline: deadline.toISOString(),
          ...(wasConfirmed ? { calendar_sequence: row.calendar_sequence + 1 } : {}),
        },
        'desk_proposed',
      );
      if (wasConfirmed) await this.sendCancellation(trx, next);
      await this.sendNews(trx, next);
      return next;
    });
    return this.view(row);
  }

  async reject(by: DeskActor, id: string, reason: BookingRejectReason) {
    const row = await this.locked(id, async (trx, row) => {
      const next = await this.move(trx, row, 'rejected', 'desk', by.id, { reject_reason: reason }, reason);
      await this.sendNews(trx, next);
      return next;
    });
    return this.view(row);
  }

  async deskCancel(by: DeskActor, id: string) {
    const row = await this.locked(id, async (trx, row) => {
      const next = await this.move(
        trx,
        row,
        'cancelled',
        'desk',
        by.id,
        { calendar_sequence: row.calendar_sequence + 1 },
        'desk_cancelled',
      );
      await this.sendCancellation(trx, next);
      return next;
    });
    return this.view(row);
  }

  /**
   * "ESEGUITA": the visit took place, with the facility's invoice. In one transaction the booking
   * is performed and its direct claim made (channel network, payee the facility and its IBAN);
   * then the claims module's automatic decision may decide it (decision 047).
   */
  async performed(by: DeskActor, id: string, body: { invoiceCents: number; invoiceNumber: string }) {
    const result = await this.locked(id, async (trx, row) => {
      assertMove(row.state, 'performed', 'desk');
      if (!row.start_at || new Date(row.start_at) > this.d.clock.now())
        throw conflict('booking_illegal_transition');
      const facility = await this.facility(trx, row.confirmed_facility_id ?? row.facility_id);
      if (!facility) throw notFound();
      if (!facility.iban) throw conflict('booking_facility_without_iban', 'facilityId');
      const plan = await trx
        .selectFrom('plans')
        .select(['id', 'code'])
        .where('id', '=', row.plan_id)
        .executeTakeFirst();
      if (!plan) throw conflict('booking_no_plan');
      const documents = await this.repo.documents(trx, row.id);
      const claim = await this.d.claims.createDirect(trx, {
        bookingId: row.id,
        accountId: row.account_id,
        familyId: row.family_id,
        beneficiaryId: row.beneficiary_id,
        plan: { id: plan.id, code: plan.code, version: row.plan_version },
        category: row.service,
        facility: { id: facility.id, name: facility.name, iban: facility.iban },
        invoiceNumber: body.invoiceNumber,
        invoiceDate: romeWallClock(new Date(row.start_at)).slice(0, 10),
        amountCents: body.invoiceCents,
        prescriptions: documents.map((d) => ({
          storageKey: d.storage_key,
          fileName: d.file_name,
          mediaType: d.media_type,
          bytes: d.bytes,
          sha256: d.sha256,
        })),
      });
      const next = await this.move(
        trx,
        row,
        'performed',
        'desk',
        by.id,
        {
          invoice_cents: body.invoiceCents,
          claim_id: claim.id,
          expected_share_cents: claim.memberShareCents,
        },
        'desk_performed',
      );
      await this.sendNews(trx, next);
      return next;
    });
    if (result.claim_id) {
      await this.d.claims.autoDecide(result.claim_id).catch((err: unknown) => {
        this.d.log.error(
          { err, claimId: result.claim_id },
          'automatic decision failed; the claim stays in the queue',
        );
      });
    }
    return this.view(result);
  }

  // --- jobs ------------------------------------------------------------------------------------

  /**
   * The reminder the day before: every confirmed booking whose appointment falls on tomorrow's
   * date in Rome. The email's dedupe key (booking and start) makes it once even when two instances
   * run this together or a run stops half way; `reminder_sent_at`, set only where still empty,
   * keeps the next runs from trying again. No interactive transaction: SQLite's single writer
   * and PostgreSQL alike take the single statements in turn.
   */
  async sendReminders(now: Date): Promise<number> {
    const today = italianToday(now);
    const tomorrow = nextDay(today);
    const from = romeInstant(tomorrow, '00:00') ?? new Date(`${tomorrow}T00:00:00Z`);
    const to = romeInstant(nextDay(tomorrow), '00:00') ?? new Date(`${nextDay(tomorrow)}T00:00:00Z`);
    let sent = 0;
    for (const { id } of await this.repo.dueReminders(this.d.db, from.toISOString(), to.toISOString())) {
      const row = await this.repo.find(this.d.db, id);
      if (!row?.start_at || row.state !== 'confirmed' || row.reminder_sent_at) continue;
      const contact = await this.contact(this.d.db, row);
      if (contact) {
        const wall = romeWallClock(new Date(row.start_at));
        // The dedupe key makes a second enqueue (another instance, a retry) a no-op.
        await this.d.outbox.enqueue(this.d.db, {
          to: contact.email,
          template: 'booking-reminder',
          locale: contact.locale,
          data: {
            number: row.number,
            bookingId: row.id,
            date: italianDate(wall.slice(0, 10)),
            time: wall.slice(11),
          },
          dedupeKey: `booking-reminder:${row.id}:${row.start_at}`,
        });
      }
      if (await this.repo.markReminderSent(this.d.db, id, now.toISOString())) sent++;
    }
    return sent;
  }

  /**
   * Proposals unanswered by their deadline go back to the desk (`requested`, reason
   * `proposal_expired`), with the member's windows: the member did not refuse the visit.
   */
  async expireProposals(now: Date): Promise<number> {
    let expired = 0;
    for (const { id } of await this.repo.expiredProposals(this.d.db, now.toISOString())) {
      try {
        await this.locked(id, async (trx, row) => {
          if (
            row.state !== 'proposed' ||
            !row.proposal_deadline ||
            row.proposal_deadline >= now.toISOString()
          )
            return;
          const next = await this.move(
            trx,
            row,
            'requested',
            'system',
            null,
            { proposed_start: null, proposed_facility_id: null, proposal_deadline: null },
            'proposal_expired',
          );
          await this.sendNews(trx, next);
          expired++;
        });
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'CONFLICT')) throw err;
      }
    }
    return expired;
  }

  /** For the sweep: which of these keys a booking document still refers to (other folders are kept). */
  async referencedKeys(keys: string[]): Promise<Set<string>> {
    const ours = keys.filter((k) => k.startsWith(`${BOOKING_DOCUMENT_FOLDER}/`));
    const kept = new Set(keys.filter((k) => !k.startsWith(`${BOOKING_DOCUMENT_FOLDER}/`)));
    for (const key of await this.repo.referencedKeys(this.d.db, ours)) kept.add(key);
    return kept;
  }
}

/**
 * The member's share known before the visit: the deductible per visit when nothing else depends
 * on the price (no coinsurance, no minimum); else null, and the page shows the rules instead.
 */
function knownShare(network: {
  coinsuranceBasisPoints: number;
  minimumPerInvoiceCents: number;
  deductiblePerVisitCents: number;
}): number | null {
  return network.coinsuranceBasisPoints === 0 && network.minimumPerInvoiceCents === 0
    ? network.deductiblePerVisitCents
    : null;
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
