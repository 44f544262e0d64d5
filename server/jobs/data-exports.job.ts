import type { FastifyBaseLogger } from 'fastify';
import type { DataExportService } from '../modules/profile/index.js';
import type { ScheduledJob } from './job-runner.js';

export const DATA_EXPORTS_JOB = 'data-exports';

/**
 * The members' data exports (decision 050): builds any export left queued (its instance stopped
 * before it began, or died while building: the export's own lease says so), and deletes the files
 * whose link was used or expired. The log line has counts only.
 */
export function dataExportsJob(d: { exports: DataExportService; log: FastifyBaseLogger }): ScheduledJob {
  return {
    name: DATA_EXPORTS_JOB,
    everyMs: 60_000,
    async run(now) {
      const built = await d.exports.runPending();
      const purged = await d.exports.purge(now);
      if (built > 0 || purged > 0) d.log.info({ job: DATA_EXPORTS_JOB, built, purged }, 'data exports');
    },
  };
}
