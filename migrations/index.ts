import type { Migration } from 'kysely';
import * as foundation from './2026-11-27T0900-foundation.js';
import * as memberAccounts from './2026-11-27T1000-member-accounts.js';
import * as staff from './2026-11-27T1100-staff.js';
import * as registryImports from './2026-11-27T1130-registry-imports.js';
import * as network from './2026-11-27T1200-network.js';
import * as planVersions from './2026-11-27T1230-plan-versions.js';
import * as staffAdmin from './2026-11-27T1300-staff-admin.js';
import * as networkImports from './2026-11-27T1310-network-imports.js';
import * as registrationProofs from './2026-12-03T1100-registration-proofs.js';
import * as scheduledJobs from './2026-12-03T1300-scheduled-jobs.js';
import * as claims from './2026-12-04T0900-claims.js';
import * as registryImportErrorCode from './2026-12-04T1000-registry-import-error-code.js';
import * as claimDecisions from './2026-12-04T1100-claim-decisions.js';
import * as payments from './2026-12-04T1200-payments.js';
import * as bookings from './2026-12-05T0900-bookings.js';
import * as memberSpace from './2026-12-05T1000-member-space.js';
import * as claimsMemberList from './2026-12-06T0900-claims-member-list.js';

/**
 * Every migration, in order. Names sort by time; a migration once landed is never edited:
 * add a new one (widen, then narrow).
 */
export const migrations: Record<string, Migration> = {
  '2026-11-27T0900-foundation': foundation,
  '2026-11-27T1000-member-accounts': memberAccounts,
  '2026-11-27T1100-staff': staff,
  '2026-11-27T1130-registry-imports': registryImports,
  '2026-11-27T1200-network': network,
  '2026-11-27T1230-plan-versions': planVersions,
  '2026-11-27T1300-staff-admin': staffAdmin,
  '2026-11-27T1310-network-imports': networkImports,
  '2026-12-03T1100-registration-proofs': registrationProofs,
  '2026-12-03T1300-scheduled-jobs': scheduledJobs,
  '2026-12-04T0900-claims': claims,
  '2026-12-04T1000-registry-import-error-code': registryImportErrorCode,
  '2026-12-04T1100-claim-decisions': claimDecisions,
  '2026-12-04T1200-payments': payments,
  '2026-12-05T1000-member-space': memberSpace,
  '2026-12-05T0900-bookings': bookings,
  '2026-12-06T0900-claims-member-list': claimsMemberList,
};
