import type { Selectable } from 'kysely';

export type SessionSubject = 'member' | 'staff';

/** A server-side session: the cookie carries a random token, this row only its keyed hash. */
export interface SessionTable {
  token_hash: string;
  subject_type: SessionSubject;
  subject_id: string;
  created_at: string;
  last_seen_at: string;
  idle_expires_at: string;
  absolute_expires_at: string;
  user_agent: string | null;
}
export type SessionRow = Selectable<SessionTable>;
