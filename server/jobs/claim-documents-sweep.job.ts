import type { FastifyBaseLogger } from 'fastify';
import type { ClaimsApi } from '../modules/claims/index.js';
import type { DocumentStore } from '../plugins/document-store/index.js';
import type { ScheduledJob } from './job-runner.js';

const HOUR = 3_600_000;

export const CLAIM_DOCUMENTS_SWEEP_JOB = 'claim-documents-sweep';
export const CLAIM_DOCUMENTS_SWEEP_EVERY_MS = 6 * HOUR;
/** A stored file no claim refers to is removed once older than this (an upload under way is younger). */
export const CLAIM_DOCUMENTS_ORPHAN_AGE_MS = 24 * HOUR;

/**
 * Removes claim documents left in the store with no row referring to them (a request that stored a
 * file and then failed, a draft discarded while the store was down). The log line has a count only.
 */
export function claimDocumentsSweepJob(d: {
  documents: DocumentStore;
  claims: Pick<ClaimsApi, 'referencedKeys'>;
  /** Other modules' documents in the same store (bookings): a key is kept when every module keeps it. */
  others?: ((keys: string[]) => Promise<Set<string>>)[];
  log: FastifyBaseLogger;
}): ScheduledJob {
  return {
    name: CLAIM_DOCUMENTS_SWEEP_JOB,
    everyMs: CLAIM_DOCUMENTS_SWEEP_EVERY_MS,
    async run(now) {
      const removed = await d.documents.sweep(
        new Date(now.getTime() - CLAIM_DOCUMENTS_ORPHAN_AGE_MS),
        async (keys) => {
          // Each module keeps the keys of other folders and its own still referenced.
          let kept = await d.claims.referencedKeys(keys);
          for (const other of d.others ?? []) {
            const theirs = await other(keys);
            kept = new Set([...kept].filter((k) => theirs.has(k)));
          }
          return kept;
        },
      );
      d.log.info({ job: CLAIM_DOCUMENTS_SWEEP_JOB, removed }, 'orphan claim documents removed');
    },
  };
}
