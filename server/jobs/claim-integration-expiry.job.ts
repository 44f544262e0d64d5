import type { FastifyBaseLogger } from 'fastify';
import type { ClaimsApi } from '../modules/claims/index.js';
import type { ScheduledJob } from './job-runner.js';

export const CLAIM_INTEGRATION_EXPIRY_JOB = 'claim-integration-expiry';
export const CLAIM_INTEGRATION_EXPIRY_EVERY_MS = 3_600_000;

/**
 * Cancels the claims whose request for documents went unanswered for CLAIM_INTEGRATION_EXPIRY_DAYS (60 by default; PRODUCT.md §2),
 * through the claims' one transition path: an event by the system, the news email to the member.
 * The log line has a count only.
 */
export function claimIntegrationExpiryJob(d: {
  claims: Pick<ClaimsApi, 'expireIntegrations'>;
  log: FastifyBaseLogger;
}): ScheduledJob {
  return {
    name: CLAIM_INTEGRATION_EXPIRY_JOB,
    everyMs: CLAIM_INTEGRATION_EXPIRY_EVERY_MS,
    async run(now) {
      const cancelled = await d.claims.expireIntegrations(now);
      d.log.info({ job: CLAIM_INTEGRATION_EXPIRY_JOB, cancelled }, 'unanswered document requests closed');
    },
  };
}
