import type { Selectable } from 'kysely';

export type AuditOutcome = 'success' | 'failure';
export type AuditActorType = 'member' | 'staff' | 'anonymous' | 'system';

export interface AuditEventTable {
  id: string;
  occurred_at: string;
  /** OWASP logging vocabulary: authn_login_success, authn_login_fail, authn_password_change, … */
  event: string;
  outcome: AuditOutcome;
  actor_type: AuditActorType;
  actor_id: string | null;
  /** The registry member the event is about, when there is one. */
  subject_id: string | null;
  ip: string | null;
  user_agent: string | null;
  /** JSON with non-secret context (reason codes, counts). */
  details: string | null;
}
export type AuditEvent = Selectable<AuditEventTable>;
