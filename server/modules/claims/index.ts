import fp from 'fastify-plugin';
import { claimsRoutes } from './claims.routes.js';
import { ClaimsService } from './claims.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Claims: `transition` for the back office and the system; `referencedKeys` for the document sweep. */
    claims: ClaimsService;
  }
}

/**
 * Claims (forma rimborsuale): the member's draft, checks and estimate, submission with a number
 * and a receipt, documents, "Le mie pratiche"; and `transition`, the one way a claim changes state
 * (decision 033).
 */
export const claimsModule = fp(
  async (app) => {
    const claims = new ClaimsService({
      db: app.db,
      dialect: app.dialect,
      clock: app.clock,
      outbox: app.outbox,
      documents: app.documents,
      config: app.config,
    });
    app.decorate('claims', claims);
    await app.register(claimsRoutes, { claims });
  },
  {
    name: 'claims',
    decorators: { fastify: ['db', 'clock', 'config', 'outbox', 'documents'] },
  },
);

export { maskIban } from './claim-format.js';
export { assertTransition, canTransition, nextStates } from './claim-state.js';
export { CLAIM_DOCUMENT_FOLDER, type ClaimsService } from './claims.service.js';
