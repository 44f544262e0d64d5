import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ReportsRepository } from './reports.repository.js';
import { reportsRoutes } from './reports.routes.js';
import { ReportsService } from './reports.service.js';

/**
 * The back office's reports (PRODUCT.md §4, decision 042): claims by state, decision times and
 * amounts paid, for administrators and auditors. Read only over the claims tables; it decorates
 * nothing and exports nothing.
 */
export const reportsModule: FastifyPluginAsyncTypebox = async (app) => {
  const reports = new ReportsService(app.db, app.clock, new ReportsRepository());
  await app.register(reportsRoutes, { reports });
};
