import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PaymentsRepository } from './payments.repository.js';
import { paymentsRoutes } from './payments.routes.js';
import { PaymentsService } from './payments.service.js';

/**
 * Payments: batches of approved claims paid by one SEPA credit transfer file (ISO 20022
 * pain.001.001.03), sent, then paid with a value date (each claim then `paid` through the claims
 * module), and the settlement letters (decisions 040 and 041). It decorates nothing.
 */
export const paymentsModule: FastifyPluginAsyncTypebox = async (app) => {
  const payments = new PaymentsService(
    { db: app.db, clock: app.clock, audit: app.audit, claims: app.claims, config: app.config },
    new PaymentsRepository(app.dialect),
  );
  await app.register(paymentsRoutes, { payments });
};

export { addDays, easterSunday } from './payment-dates.js';
