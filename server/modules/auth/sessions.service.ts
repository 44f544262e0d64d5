import { createHash } from 'node:crypto';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import { hashToken, newToken } from '../../lib/tokens.js';
import type { SessionsRepository } from './sessions.repository.js';
import type { SessionRow, SessionSubject } from './sessions.table.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Idle and absolute lifetimes (OWASP ASVS 3.3): members 30 min / 8 h, staff 30 min / 12 h. */
export const SESSION_POLICY: Record<SessionSubject, { idleMs: number; absoluteMs: number }> = {
  member: { idleMs: 30 * MINUTE, absoluteMs: 8 * HOUR },
  staff: { idleMs: 30 * MINUTE, absoluteMs: 12 * HOUR },
};

/** Touching a session rewrites its row at most once a minute, not on every request. */
const TOUCH_EVERY_MS = MINUTE;

export interface Session {
  subjectType: SessionSubject;
  subjectId: string;
  createdAt: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
}

function toSession(row: SessionRow): Session {
  return {
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    createdAt: new Date(row.created_at),
    idleExpiresAt: new Date(row.idle_expires_at),
    absoluteExpiresAt: new Date(row.absolute_expires_at),
  };
}

/**
 * Server-side sessions. The cookie holds a 256-bit random token; the table holds only its keyed
 * hash, so a database copy cannot be turned into a live session.
 */
export class SessionsService {
  constructor(
    private readonly db: Db,
    private readonly repository: SessionsRepository,
    private readonly clock: Clock,
    private readonly secret: string,
  ) {}

  /**
   * A new session. `continues` (at rotation) carries the creation time and the absolute deadline
   * of the session it replaces: a new token never buys a new absolute lifetime.
   */
  async create(
    subjectType: SessionSubject,
    subjectId: string,
    userAgent?: string,
    continues?: Pick<SessionRow, 'created_at' | 'absolute_expires_at'>,
  ): Promise<{ token: string; session: Session }> {
    const token = newToken();
    const now = this.clock.now();
    const policy = SESSION_POLICY[subjectType];
    const absolute = continues
      ? new Date(continues.absolute_expires_at)
      : new Date(now.getTime() + policy.absoluteMs);
    const row: SessionRow = {
      token_hash: hashToken(this.secret, token),
      subject_type: subjectType,
      subject_id: subjectId,
      created_at: continues?.created_at ?? now.toISOString(),
      last_seen_at: now.toISOString(),
      idle_expires_at: new Date(Math.min(now.getTime() + policy.idleMs, absolute.getTime())).toISOString(),
      absolute_expires_at: absolute.toISOString(),
      user_agent: userAgent?.slice(0, 200) ?? null,
    };
    await this.repository.insert(this.db, row);
    return { token, session: toSession(row) };
  }

  /** The live session for a token, extended by the idle lifetime; undefined when unknown or expired. */
  resume(token: string, expected?: SessionSubject): Promise<Session | undefined> {
    return this.load(token, expected, 'touch');
  }

  /** The live session without extending it (for a page that only asks when it expires). */
  peek(token: string, expected?: SessionSubject): Promise<Session | undefined> {
    return this.load(token, expected, 'peek');
  }

  /** Extends the session now, whatever the time since the last touch ("stay signed in"). */
  extend(token: string, expected?: SessionSubject): Promise<Session | undefined> {
    return this.load(token, expected, 'force');
  }

  private async load(
    token: string,
    expected: SessionSubject | undefined,
    mode: 'touch' | 'peek' | 'force',
  ): Promise<Session | undefined> {
    const hash = hashToken(this.secret, token);
    const row = await this.repository.find(this.db, hash);
    if (!row || (expected && row.subject_type !== expected)) return undefined;
    const now = this.clock.now();
    const nowIso = now.toISOString();
    if (row.idle_expires_at <= nowIso || row.absolute_expires_at <= nowIso) {
      await this.repository.delete(this.db, hash);
      return undefined;
    }
    if (
      mode === 'force' ||
      (mode === 'touch' && now.getTime() - new Date(row.last_seen_at).getTime() >= TOUCH_EVERY_MS)
    ) {
      const idle = new Date(
        Math.min(
          now.getTime() + SESSION_POLICY[row.subject_type].idleMs,
          new Date(row.absolute_expires_at).getTime(),
        ),
      ).toISOString();
      await this.repository.touch(this.db, hash, nowIso, idle);
      row.last_seen_at = nowIso;
      row.idle_expires_at = idle;
    }
    return toSession(row);
  }

  /**
   * A new token for the same subject, the old one dead (at password change). The new session
   * keeps the creation time and the absolute deadline of the old one (ASVS 3.3.1: changing the
   * password must not extend a session past its absolute limit).
   */
  async rotate(token: string): Promise<{ token: string; session: Session } | undefined> {
    const current = await this.resume(token);
    if (!current) return undefined;
    const hash = hashToken(this.secret, token);
    const row = await this.repository.find(this.db, hash);
    if (!row) return undefined;
    await this.repository.delete(this.db, hash);
    return this.create(current.subjectType, current.subjectId, row.user_agent ?? undefined, row);
  }

  async end(token: string): Promise<void> {
    await this.repository.delete(this.db, hashToken(this.secret, token));
  }

  /** Ends every session of a subject, optionally but the caller's own. */
  async endAll(subjectType: SessionSubject, subjectId: string, exceptToken?: string): Promise<number> {
    return this.repository.deleteAllFor(
      this.db,
      subjectType,
      subjectId,
      exceptToken ? hashToken(this.secret, exceptToken) : undefined,
    );
  }

  /**
   * The live sessions of a subject, newest first, each with a public id (a hash of the stored
   * hash: it cannot be turned back into a cookie) and whether it is the caller's.
   */
  async list(
    subjectType: SessionSubject,
    subjectId: string,
    currentToken: string,
  ): Promise<
    { id: string; userAgent: string | null; createdAt: string; lastSeenAt: string; current: boolean }[]
  > {
    const now = this.clock.now().toISOString();
    const current = hashToken(this.secret, currentToken);
    const rows = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('subject_type', '=', subjectType)
      .where('subject_id', '=', subjectId)
      .where('idle_expires_at', '>', now)
      .where('absolute_expires_at', '>', now)
      .orderBy('last_seen_at', 'desc')
      .execute();
    return rows.map((r) => ({
      id: publicSessionId(r.token_hash),
      userAgent: r.user_agent,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      current: r.token_hash === current,
    }));
  }

  /** Ends the subject's session with this public id; false when there is none. */
  async endById(subjectType: SessionSubject, subjectId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .selectFrom('sessions')
      .select('token_hash')
      .where('subject_type', '=', subjectType)
      .where('subject_id', '=', subjectId)
      .execute();
    const row = rows.find((r) => publicSessionId(r.token_hash) === id);
    if (!row) return false;
    await this.repository.delete(this.db, row.token_hash);
    return true;
  }

  async purgeExpired(): Promise<number> {
    return this.repository.deleteExpired(this.db, this.clock.now().toISOString());
  }
}

/** A session's id for its owner's list: not the stored hash itself. */
function publicSessionId(tokenHash: string): string {
  return createHash('sha256').update(`session-id:${tokenHash}`).digest('base64url').slice(0, 22);
}
