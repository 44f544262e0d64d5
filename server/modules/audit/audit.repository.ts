import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { AuditEventTable } from './audit.table.js';

export interface AuditFilter {
  actorId?: string | undefined;
  subjectId?: string | undefined;
  event?: string | undefined;
  /** ISO timestamps: from inclusive, to exclusive. */
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
}

export class AuditRepository {
  async insert(db: Db, row: Insertable<AuditEventTable>): Promise<void> {
    await db.insertInto('audit_events').values(row).execute();
  }

  async list(db: Db, filter: AuditFilter) {
    let q = db
      .selectFrom('audit_events')
      .selectAll()
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit);
    if (filter.actorId) q = q.where('actor_id', '=', filter.actorId);
    if (filter.subjectId) q = q.where('subject_id', '=', filter.subjectId);
    if (filter.event) q = q.where('event', '=', filter.event);
    if (filter.from) q = q.where('occurred_at', '>=', filter.from);
    if (filter.to) q = q.where('occurred_at', '<', filter.to);
    return q.execute();
  }
}
