import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PlansRepository } from './plans.repository.js';
import { plansRoutes } from './plans.routes.js';
import { PlansService } from './plans.service.js';

/**
 * The plans module: plans and their versioned rules, edited in the back office, and the rules
 * engine through the API. It decorates nothing: other modules use what this file exports.
 */
export const plansModule: FastifyPluginAsyncTypebox = async (app) => {
  const plans = new PlansService(app.db, new PlansRepository(), app.clock, app.audit);
  await app.register(plansRoutes, { plans });
};

export { insertDefaultPlanVersion } from './plans.service.js';
export type { NewPlan, Plan, PlanTable } from './plans.table.js';
export {
  addAcceptedLine,
  assessClaim,
  type ClaimToAssess,
  capsLeft,
  DEMO_PLAN_RULES,
  emptyUsage,
  formatEuro,
} from './rules-engine.js';
