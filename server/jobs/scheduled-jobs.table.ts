import type { Selectable } from 'kysely';

/** One periodic job shared by every instance; a claim sets `locked_until` and `locked_by`. */
export interface ScheduledJobTable {
  name: string;
  next_run_at: string;
  locked_until: string | null;
  /** The id of the runner (one per process) that holds the claim: no host name, no address. */
  locked_by: string | null;
  last_run_at: string | null;
  /** The error's type only, never its message (which could quote data). */
  last_error: string | null;
}
export type ScheduledJobRow = Selectable<ScheduledJobTable>;
