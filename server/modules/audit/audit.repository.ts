import type { Insertable, SelectQueryBuilder } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { AuditEvent, AuditEventTable } from './audit.table.js';

export interface AuditFilter {
  actorId?: string | undefined;
  subjectId?: string | undefined;
  event?: string | undefined;
  /** ISO timestamps: from inclusive, to exclusive. */
  from?: string | undefined;
  to?: string | undefined;
}

/** A place in the trail's order (time, then id): pages start just past it. */
export interface AuditPosition {
  occurredAt: string;
  id: string;
}

/** `older`: events after the position in the newest-first order; `newer`: events before it. */
export type AuditDirection = 'older' | 'newer';

type AuditQuery<O> = SelectQueryBuilder<Database, 'audit_events', O>;

function filtered<O>(q: AuditQuery<O>, filter: AuditFilter): AuditQuery<O> {
  let out = q;
  if (filter.actorId) out = out.where('actor_id', '=', filter.actorId);
  if (filter.subjectId) out = out.where('subject_id', '=', filter.subjectId);
  if (filter.event) out = out.where('event', '=', filter.event);
  if (filter.from) out = out.where('occurred_at', '>=', filter.from);
  if (filter.to) out = out.where('occurred_at', '<', filter.to);
  return out;
}

/**
 * Strictly past the position, in the given direction. Written as a range on `occurred_at` (which
 * its index serves on both databases) refined by the id for events of the same instant.
 */
function beyond<O>(q: AuditQuery<O>, at: AuditPosition, direction: AuditDirection): AuditQuery<O> {
  const [wide, strict] = direction === 'older' ? (['<=', '<'] as const) : (['>=', '>'] as const);
  return q
    .where('occurred_at', wide, at.occurredAt)
    .where((eb) =>
      eb.or([
        eb('occurred_at', strict, at.occurredAt),
        eb.and([eb('occurred_at', '=', at.occurredAt), eb('id', strict, at.id)]),
      ]),
    );
}

export class AuditRepository {
  async insert(db: Db, row: Insertable<AuditEventTable>): Promise<void> {
    await db.insertInto('audit_events').values(row).execute();
  }

  /**
   * Up to `limit` events matching the filter, walking from the position (or from the newest
   * event) in the direction given: newest first for `older`, oldest first for `newer`.
   */
  async page(
    db: Db,
    filter: AuditFilter,
    from: AuditPosition | null,
    direction: AuditDirection,
    limit: number,
  ): Promise<AuditEvent[]> {
    const order = direction === 'older' ? 'desc' : 'asc';
    let q = filtered(db.selectFrom('audit_events').selectAll(), filter)
      .orderBy('occurred_at', order)
      .orderBy('id', order)
      .limit(limit);
    if (from) q = beyond(q, from, direction);
    return q.execute();
  }

  /** Whether any event matching the filter lies past the position in that direction. */
  async any(db: Db, filter: AuditFilter, from: AuditPosition, direction: AuditDirection): Promise<boolean> {
    const row = await beyond(filtered(db.selectFrom('audit_events').select('id'), filter), from, direction)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** How many events match the filter, counting no further than `cap` (a bounded cost). */
  async countUpTo(db: Db, filter: AuditFilter, cap: number): Promise<number> {
    const capped = filtered(db.selectFrom('audit_events').select('id'), filter).limit(cap);
    const row = await db
      .selectFrom(capped.as('matching'))
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
