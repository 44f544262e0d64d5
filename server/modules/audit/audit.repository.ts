import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { AuditEventTable } from './audit.table.js';

export class AuditRepository {
  async insert(db: Db, row: Insertable<AuditEventTable>): Promise<void> {
    await db.insertInto('audit_events').values(row).execute();
  }

  async list(db: Db, filter: { actorId?: string; subjectId?: string; event?: string; limit: number }) {
    let q = db
      .selectFrom('audit_events')
      .selectAll()
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit);
    if (filter.actorId) q = q.where('actor_id', '=', filter.actorId);
    if (filter.subjectId) q = q.where('subject_id', '=', filter.subjectId);
    if (filter.event) q = q.where('event', '=', filter.event);
    return q.execute();
  }
}
