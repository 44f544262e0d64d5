import type { Insertable, Updateable } from 'kysely';
import type { BookingState } from '#contracts/bookings.codes.js';
import type { Db, Dialect } from '../../db/database.js';
import type { ServiceCode } from '../network/index.js';
import type {
  BookingDocumentTable,
  BookingEventTable,
  BookingRow,
  BookingTable,
  NewBooking,
} from './bookings.table.js';

/** Documents of bookings are kept in this folder of the store. */
export const BOOKING_DOCUMENT_FOLDER = 'bookings';

/** The only place with queries on the bookings' tables. */
export class BookingsRepository {
  constructor(private readonly dialect: Dialect) {}

  find(db: Db, id: string) {
    return db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The booking row, locked until the transaction ends (PostgreSQL; SQLite writes one at a time). */
  lock(db: Db, id: string): Promise<BookingRow | undefined> {
    const query = db.selectFrom('bookings').selectAll().where('id', '=', id);
    return (this.dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
  }

  findByIdempotencyKey(db: Db, accountId: string, key: string) {
    return db
      .selectFrom('bookings')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
  }

  findByCodeHash(db: Db, hash: string) {
    return db.selectFrom('bookings').selectAll().where('code_hash', '=', hash).executeTakeFirst();
  }

  /** The bookings for these persons (beneficiaries), oldest first, with the facility's name. */
  async forPersons(db: Db, personIds: readonly string[]): Promise<PersonBooking[]> {
    if (personIds.length === 0) return [];
    const rows = await db
      .selectFrom('bookings as b')
      .leftJoin('facilities as f', 'f.id', 'b.facility_id')
      .leftJoin('facilities as cf', 'cf.id', 'b.confirmed_facility_id')
      .select([
        'b.id',
        'b.number',
        'b.beneficiary_id',
        'b.state',
        'b.service',
        'b.start_at',
        'b.windows',
        'b.invoice_cents',
        'b.expected_share_cents',
        'b.claim_id',
        'b.created_at',
        'f.name as facility_name',
        'cf.name as confirmed_facility_name',
      ])
      .where('b.beneficiary_id', 'in', personIds)
      .orderBy('b.created_at')
      .orderBy('b.id')
      .execute();
    const documents =
      rows.length === 0
        ? []
        : await db
            .selectFrom('booking_documents')
            .select([
              'id',
              'booking_id',
              'storage_key',
              'kind',
              'file_name',
              'media_type',
              'bytes',
              'uploaded_at',
            ])
            .where(
              'booking_id',
              'in',
              rows.map((r) => r.id),
            )
            .orderBy('uploaded_at')
            .orderBy('id')
            .execute();
    return rows.map((r) => ({
      id: r.id,
      number: r.number,
      beneficiaryId: r.beneficiary_id,
      state: r.state,
      service: r.service,
      startAt: r.start_at,
      windows: JSON.parse(r.windows) as unknown,
      facilityName: r.confirmed_facility_name ?? r.facility_name ?? null,
      invoiceCents: r.invoice_cents,
      expectedShareCents: r.expected_share_cents,
      claimId: r.claim_id,
      createdAt: r.created_at,
      documents: documents
        .filter((d) => d.booking_id === r.id)
        .map((d) => ({
          id: d.id,
          kind: d.kind,
          fileName: d.file_name,
          mediaType: d.media_type,
          bytes: d.bytes,
          uploadedAt: d.uploaded_at,
          storageKey: d.storage_key,
        })),
    }));
  }

  async insert(db: Db, row: NewBooking): Promise<void> {
    await db.insertInto('bookings').values(row).execute();
  }

  async update(db: Db, id: string, values: Updateable<BookingTable>): Promise<void> {
    await db.updateTable('bookings').set(values).where('id', '=', id).execute();
  }

  async nextNumber(db: Db, year: number): Promise<number> {
    const row = await db
      .insertInto('booking_number_counters')
      .values({ year, last: 1 })
      .onConflict((oc) =>
        oc.column('year').doUpdateSet((eb) => ({ last: eb('booking_number_counters.last', '+', 1) })),
      )
      .returning('last')
      .executeTakeFirstOrThrow();
    return Number(row.last);
  }

  async insertEvent(db: Db, row: Omit<Insertable<BookingEventTable>, 'seq'>): Promise<void> {
    const last = await db
      .selectFrom('booking_events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('booking_id', '=', row.booking_id)
      .executeTakeFirst();
    await db
      .insertInto('booking_events')
      .values({ ...row, seq: Number(last?.seq ?? 0) + 1 })
      .execute();
  }

  events(db: Db, bookingId: string) {
    return db
      .selectFrom('booking_events')
      .selectAll()
      .where('booking_id', '=', bookingId)
      .orderBy('seq')
      .execute();
  }

  /** The bookings of a family the member sees: their own, and those of the persons they see. */
  listVisible(db: Db, familyId: string, accountId: string, persons: string[]) {
    return db
      .selectFrom('bookings')
      .selectAll()
      .where('family_id', '=', familyId)
      .where((eb) =>
        eb.or([
          eb('account_id', '=', accountId),
          ...(persons.length > 0 ? [eb('beneficiary_id', 'in', persons)] : []),
        ]),
      )
      .orderBy('created_at', 'desc')
      .limit(200)
      .execute();
  }

  /** The desk's queue: open requests oldest first, by province and service when asked. */
  queue(db: Db, filter: { states: BookingState[]; province?: string; service?: ServiceCode }) {
    let q = db
      .selectFrom('bookings')
      .selectAll()
      .where('state', 'in', filter.states)
      .orderBy('created_at')
      .orderBy('id')
      .limit(500);
    if (filter.province) q = q.where('province', '=', filter.province);
    if (filter.service) q = q.where('service', '=', filter.service);
    return q.execute();
  }

  // --- documents -------------------------------------------------------------------------------

  async insertDocument(db: Db, row: Insertable<BookingDocumentTable>): Promise<void> {
    await db.insertInto('booking_documents').values(row).execute();
  }

  documents(db: Db, bookingId: string) {
    return db
      .selectFrom('booking_documents')
      .selectAll()
      .where('booking_id', '=', bookingId)
      .orderBy('uploaded_at')
      .execute();
  }

  /** The member's uploads not yet part of a request. */
  loose(db: Db, accountId: string, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('booking_documents')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('booking_id', 'is', null)
      .where('id', 'in', ids)
      .execute();
  }

  countLoose(db: Db, accountId: string) {
    return db
      .selectFrom('booking_documents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .where('booking_id', 'is', null)
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  }

  async attachDocuments(db: Db, bookingId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await db.updateTable('booking_documents').set({ booking_id: bookingId }).where('id', 'in', ids).execute();
  }

  document(db: Db, bookingId: string, documentId: string) {
    return db
      .selectFrom('booking_documents')
      .selectAll()
      .where('booking_id', '=', bookingId)
      .where('id', '=', documentId)
      .executeTakeFirst();
  }

  async referencedKeys(db: Db, keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await db
      .selectFrom('booking_documents')
      .select('storage_key')
      .where('storage_key', 'in', keys)
      .execute();
    return new Set(rows.map((r) => r.storage_key));
  }

  // --- jobs ------------------------------------------------------------------------------------

  /** Confirmed bookings starting in [from, to) with no reminder sent yet. */
  dueReminders(db: Db, from: string, to: string) {
    return db
      .selectFrom('bookings')
      .select('id')
      .where('state', '=', 'confirmed')
      .where('reminder_sent_at', 'is', null)
      .where('start_at', '>=', from)
      .where('start_at', '<', to)
      .execute();
  }

  /** Marks the reminder sent unless another instance did: true when this call did. */
  async markReminderSent(db: Db, id: string, at: string): Promise<boolean> {
    const result = await db
      .updateTable('bookings')
      .set({ reminder_sent_at: at })
      .where('id', '=', id)
      .where('reminder_sent_at', 'is', null)
      .where('state', '=', 'confirmed')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  expiredProposals(db: Db, now: string) {
    return db
      .selectFrom('bookings')
      .select('id')
      .where('state', '=', 'proposed')
      .where('proposal_deadline', '<', now)
      .execute();
  }

  // --- the registry and accounts, read only -----------------------------------------------------

  persons(db: Db, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('registry_members')
      .select(['id', 'given_name', 'surname', 'codice_fiscale'])
      .where('id', 'in', ids)
      .execute();
  }

  accountContact(db: Db, accountId: string) {
    return db
      .selectFrom('member_accounts')
      .select(['id', 'email', 'locale'])
      .where('id', '=', accountId)
      .executeTakeFirst();
  }
}

/** A booking as other modules read it (the member's data export, the FHIR Appointment). */
export interface PersonBooking {
  id: string;
  number: string;
  beneficiaryId: string;
  state: BookingState;
  service: ServiceCode;
  startAt: string | null;
  /** The member's preferred windows, as stored. */
  windows: unknown;
  facilityName: string | null;
  invoiceCents: number | null;
  expectedShareCents: number | null;
  claimId: string | null;
  createdAt: string;
  /** The prescriptions sent with it; `storageKey` is for the server only, never sent out as is. */
  documents: {
    id: string;
    kind: string;
    fileName: string;
    mediaType: string;
    bytes: number;
    uploadedAt: string;
    storageKey: string;
  }[];
}
