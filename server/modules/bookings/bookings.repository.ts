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
