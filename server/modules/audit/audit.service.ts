import { AUDIT_COUNT_CAP, type AuditEvent as AuditEventView, type AuditPage } from '#contracts/audit.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import { csvLine } from '../../lib/csv.js';
import { newId } from '../../lib/ids.js';
import type { RequestOrigin } from '../../plugins/request-context.js';
import type { AuditDirection, AuditFilter, AuditPosition, AuditRepository } from './audit.repository.js';
import type { AuditActorType, AuditEvent, AuditOutcome } from './audit.table.js';

export interface AuditEntry {
  event: string;
  outcome: AuditOutcome;
  actorType: AuditActorType;
  actorId?: string | null;
  subjectId?: string | null;
  /** Non-secret context: reason codes and counts, never a password, token or health detail. */
  details?: Record<string, string | number | boolean | null>;
}

/** Rows the CSV export reads at a time: memory stays bounded however long the trail. */
const EXPORT_BATCH = 500;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A cursor is the direction and the position of the page's edge event, base64url-encoded: opaque
 * to clients (they pass it back as given), and nothing in it is secret — whatever the position, the
 * filters and the caller's role still decide what is read.
 */
export function encodeCursor(direction: AuditDirection, at: AuditPosition): string {
  return Buffer.from(`${direction === 'older' ? 'o' : 'n'}|${at.occurredAt}|${at.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { direction: AuditDirection; at: AuditPosition } | null {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (parts.length !== 3) return null;
  const [d, occurredAt = '', id = ''] = parts;
  if ((d !== 'o' && d !== 'n') || !ISO_INSTANT.test(occurredAt) || !EVENT_ID.test(id)) return null;
  if (Number.isNaN(Date.parse(occurredAt))) return null;
  return { direction: d === 'o' ? 'older' : 'newer', at: { occurredAt, id } };
}

function invalidCursor(): AppError {
  return new AppError('VALIDATION_FAILED', [
    {
      field: 'cursor',
      code: 'cursor_invalid',
    },
  ]);
}

function toView(r: AuditEvent): AuditEventView {
  return {
    id: r.id,
    occurredAt: r.occurred_at,
    event: r.event,
    outcome: r.outcome,
    actorType: r.actor_type,
    actorId: r.actor_id,
    subjectId: r.subject_id,
    ip: r.ip,
    details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
  };
}

const CSV_COLUMNS = [
  'occurred_at',
  'event',
  'outcome',
  'actor_type',
  'actor_id',
  'subject_id',
  'ip',
  'details',
] as const;

/** The CSV text, line by line as the rows arrive: a byte-order mark and the header first. */
async function* csvLines(rows: AsyncIterable<AuditEvent>): AsyncGenerator<string> {
  yield `\uFEFF${csvLine([...CSV_COLUMNS])}`;
  for await (const r of rows)
    yield csvLine([
      r.occurred_at,
      r.event,
      r.outcome,
      r.actor_type,
      r.actor_id,
      r.subject_id,
      r.ip,
      r.details,
    ]);
}

const positionOf = (r: AuditEvent): AuditPosition => ({ occurredAt: r.occurred_at, id: r.id });

/**
 * The security audit trail: who did what, when, from where, with which outcome (OWASP logging
 * vocabulary). Written in the caller's transaction when there is one.
 */
export class AuditService {
  constructor(
    private readonly repository: AuditRepository,
    private readonly clock: Clock,
  ) {}

  async record(db: Db, origin: RequestOrigin | null, entry: AuditEntry): Promise<void> {
    const now = this.clock.now();
    await this.repository.insert(db, {
      id: newId(now.getTime()),
      occurred_at: now.toISOString(),
      event: entry.event,
      outcome: entry.outcome,
      actor_type: entry.actorType,
      actor_id: entry.actorId ?? null,
      subject_id: entry.subjectId ?? null,
      ip: origin?.ip ?? null,
      user_agent: origin?.userAgent ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
    });
  }

  /**
   * One page of the trail, newest first (keyset paging on time, then id: events written between
   * two requests never shift a page, so pages neither overlap nor skip). Without a cursor: the
   * newest events. The total is given when counting it is cheap (up to AUDIT_COUNT_CAP).
   */
  async page(db: Db, filter: AuditFilter, limit: number, cursor?: string): Promise<AuditPage> {
    const decoded = cursor === undefined ? null : decodeCursor(cursor);
    if (cursor !== undefined && !decoded) throw invalidCursor();
    const direction = decoded?.direction ?? 'older';
    const from = decoded?.at ?? null;
    // One more than asked tells whether the walk goes on.
    const rows = await this.repository.page(db, filter, from, direction, limit + 1);
    const more = rows.length > limit;
    const walked = rows.slice(0, limit);
    const events = direction === 'older' ? walked : walked.reverse();
    // The edges of the page; an empty page past a cursor has the cursor for both.
    const head = events[0];
    const tail = events.at(-1);
    const first = head ? positionOf(head) : from;
    const last = tail ? positionOf(tail) : from;

    // Onward in the direction walked: known from the extra row. Back the other way: asked (one
    // indexed row), since the filters may differ from those of the page the cursor came from.
    const onward = direction === 'older' ? last : first;
    const back = direction === 'older' ? first : last;
    const backDirection: AuditDirection = direction === 'older' ? 'newer' : 'older';
    const onwardCursor = more && onward ? encodeCursor(direction, onward) : null;
    const backCursor =
      from && back && (await this.repository.any(db, filter, back, backDirection))
        ? encodeCursor(backDirection, back)
        : null;
    const older = direction === 'older' ? onwardCursor : backCursor;
    const newer = direction === 'older' ? backCursor : onwardCursor;

    const counted = await this.repository.countUpTo(db, filter, AUDIT_COUNT_CAP + 1);
    return {
      events: events.map(toView),
      older,
      newer,
      total: counted > AUDIT_COUNT_CAP ? null : counted,
    };
  }

  /**
   * The CSV export of every event matching the filter, line by line. The export itself is
   * recorded before the first row is read: an export cut short is still on the record.
   */
  async exportCsv(
    db: Db,
    filter: AuditFilter,
    by: { staffId: string | null; origin: RequestOrigin },
  ): Promise<AsyncGenerator<string>> {
    await this.record(db, by.origin, {
      event: 'audit_export',
      outcome: 'success',
      actorType: 'staff',
      actorId: by.staffId,
      details: {
        actor: filter.actorId ?? null,
        member: filter.subjectId ?? null,
        event: filter.event ?? null,
        from: filter.from ?? null,
        to: filter.to ?? null,
      },
    });
    return csvLines(this.exportRows(db, filter));
  }

  /**
   * Every event matching the filter, newest first, read in batches with the same keyset walk as
   * the pages: the export never holds the whole trail in memory, and events written while it runs
   * (newer than its start) neither appear nor disturb it.
   */
  private async *exportRows(db: Db, filter: AuditFilter): AsyncGenerator<AuditEvent> {
    let from: AuditPosition | null = null;
    for (;;) {
      const rows = await this.repository.page(db, filter, from, 'older', EXPORT_BATCH);
      yield* rows;
      const last = rows.at(-1);
      if (rows.length < EXPORT_BATCH || !last) return;
      from = positionOf(last);
    }
  }
}
