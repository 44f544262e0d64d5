import type { Db } from '../../db/database.js';
import { columnsOf, preparedQuery } from '../../db/prepared-query.js';
import type { SessionRow, SessionSubject, SessionTable } from './sessions.table.js';

const SESSION_COLUMNS = columnsOf<SessionTable>()([
  'token_hash',
  'subject_type',
  'subject_id',
  'created_at',
  'last_seen_at',
  'idle_expires_at',
  'absolute_expires_at',
  'user_agent',
]);

/** Every request with a session asks this: compiled once, its columns named (decision 059). */
const findByHash = preparedQuery((db: Db, p: { tokenHash: string }) =>
  db.selectFrom('sessions').select(SESSION_COLUMNS).where('token_hash', '=', p.tokenHash),
);

export class SessionsRepository {
  async insert(db: Db, row: SessionRow): Promise<void> {
    await db.insertInto('sessions').values(row).execute();
  }

  async find(db: Db, tokenHash: string): Promise<SessionRow | undefined> {
    return findByHash.executeTakeFirst(db, { tokenHash });
  }

  async touch(db: Db, tokenHash: string, lastSeenAt: string, idleExpiresAt: string): Promise<void> {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: lastSeenAt, idle_expires_at: idleExpiresAt })
      .where('token_hash', '=', tokenHash)
      .execute();
  }

  async delete(db: Db, tokenHash: string): Promise<void> {
    await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  async deleteAllFor(db: Db, type: SessionSubject, id: string, exceptHash?: string): Promise<number> {
    let q = db.deleteFrom('sessions').where('subject_type', '=', type).where('subject_id', '=', id);
    if (exceptHash) q = q.where('token_hash', '!=', exceptHash);
    const r = await q.executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async deleteExpired(db: Db, now: string): Promise<number> {
    const r = await db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('idle_expires_at', '<=', now), eb('absolute_expires_at', '<=', now)]))
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
