import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { AuditRepository } from './audit.repository.js';
import type { AuditActorType, AuditOutcome } from './audit.table.js';

export interface AuditEntry {
  event: string;
  outcome: AuditOutcome;
  actorType: AuditActorType;
  actorId?: string | null;
  subjectId?: string | null;
  /** Non-secret context: reason codes and counts, never a password, token or health detail. */
  details?: Record<string, string | number | boolean | null>;
}

/** Where a request came from, for the audit trail (never for logs). */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

export function originOf(request: FastifyRequest): RequestOrigin {
  const ua = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof ua === 'string' ? ua.slice(0, 200) : null };
}

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
}
