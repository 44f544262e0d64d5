/** The second factors of staff users (authenticator codes, recovery codes) and their login lock. */
import { lockEnd } from '../auth/index.js';
import type { StaffUser } from './staff.table.js';

// The authenticator code is shared with members (server/lib/totp.ts).
export {
  newRecoveryCode,
  newTotpSecret,
  normalizeRecoveryCode,
  totpFor,
  totpStep,
} from '../../lib/totp.js';

/** Every 20th consecutive failure locks the user for a while (decision 026); never for good. */
export const LOCK_AFTER_FAILURES = 20;

/** The end of the user's current lock (failed logins), or undefined when not locked now. */
export function staffLockEnd(staff: StaffUser, now: Date): Date | undefined {
  return lockEnd(staff.locked_at, staff.failed_logins, LOCK_AFTER_FAILURES, now);
}
