import type { FastifyBaseLogger } from 'fastify';
import { type SessionsService, THROTTLE_MEMORY_MS } from '../modules/auth/index.js';
import type { CaptchaService } from '../modules/captcha/index.js';
import type { MembersService } from '../modules/members/index.js';
import type { ScheduledJob } from './job-runner.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const PURGE_JOB = 'purge-expired';
export const PURGE_EVERY_MS = HOUR;
/**
 * Failure counters are kept well past the throttle's own memory (and never less than a week), so
 * a change to how the throttle decays cannot make the purge forget a counter it still reads.
 */
export const THROTTLE_RETENTION_MS = Math.max(7 * DAY, 2 * THROTTLE_MEMORY_MS);
/** Dead tickets and reset links stay a month: enough to answer "my link did not work". */
export const VERIFICATION_RETENTION_MS = 30 * DAY;

export type PurgedTable = 'sessions' | 'login_throttles' | 'captcha_solutions' | 'verifications';

export interface PurgeDeps {
  sessions: SessionsService;
  captcha: CaptchaService;
  members: MembersService;
  log: FastifyBaseLogger;
  onPurged?: (table: PurgedTable, rows: number) => void;
}

/**
 * Deletes rows nobody can use any more: sessions past their idle or absolute expiry, login
 * failure counters long forgotten, used captcha solutions past their expiry, dead verifications.
 * The log line has counts only.
 */
export function purgeExpiredJob(d: PurgeDeps): ScheduledJob {
  return {
    name: PURGE_JOB,
    everyMs: PURGE_EVERY_MS,
    async run(now) {
      const before = (ms: number) => new Date(now.getTime() - ms).toISOString();
      const purged: Record<PurgedTable, number> = {
        sessions: await d.sessions.purgeExpired(),
        login_throttles: await d.members.purgeThrottles(before(THROTTLE_RETENTION_MS)),
        captcha_solutions: await d.captcha.purge(),
        verifications: await d.members.purgeVerifications(before(VERIFICATION_RETENTION_MS)),
      };
      for (const [table, rows] of Object.entries(purged)) d.onPurged?.(table as PurgedTable, rows);
      d.log.info({ job: PURGE_JOB, purged }, 'expired rows purged');
    },
  };
}
