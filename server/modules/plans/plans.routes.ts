import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, Id } from '#contracts/common.js';
import {
  Assessment,
  ClaimLine,
  CreatePlanBody,
  PlanCodeRef,
  PlanSummary,
  PlanView,
  UpdatePlanBody,
  Usage,
} from '#contracts/plans.js';
import { AppError } from '../../errors/app-error.js';
import { originOf } from '../../plugins/request-context.js';
import { staffOf } from '../../plugins/route-access.js';
import { checkNewPlan, checkPlanUpdate, type RuleProblem } from './plan-rules-validation.js';
import type { PlansService } from './plans.service.js';

const tags = ['plans'];
const ByCode = Type.Object({ code: PlanCodeRef });

/**
 * Create and save bodies are checked by `plan-rules-validation.ts` (every problem, each at its
 * field, with a stable code and its params); the schema stays the documented contract and catches
 * whatever that check would let through.
 */
function refuseInvalid(problems: RuleProblem[], schemaError: Error | undefined): void {
  if (problems.length > 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      problems.map((problem) => ({ ...problem })),
    );
  }
  if (schemaError) throw schemaError;
}

/** The back office's plan routes: administrators edit, every staff role reads and runs the engine. */
export const plansRoutes: FastifyPluginAsyncTypebox<{ plans: PlansService }> = async (app, { plans }) => {
  app.get(
    '/api/v1/staff/plans',
    {
      config: { access: { staff: 'any' } },
      schema: {
        tags,
        summary: 'Plans with their current version',
        response: {
          200: Type.Object({ plans: Type.Array(PlanSummary) }),
          ...errorResponses(401),
        },
      },
    },
    async () => ({ plans: await plans.list() }),
  );

  app.get(
    '/api/v1/staff/plans/:code',
    {
      config: { access: { staff: 'any' } },
      schema: {
        tags,
        summary: 'A plan: current rules and version history',
        params: ByCode,
        response: { 200: PlanView, ...errorResponses(401, 404) },
      },
    },
    async (request) => plans.get(request.params.code),
  );

  app.post(
    '/api/v1/staff/plans',
    {
      config: { access: { staff: ['administrator'] } },
      attachValidation: true,
      schema: {
        tags,
        summary:
          'Create a plan at version 1: a rules document, or a copy of another plan (copyFrom) or of the demo rules',
        body: CreatePlanBody,
        response: { 201: PlanView, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      refuseInvalid(checkNewPlan(request.body), request.validationError);
      return reply
        .code(201)
        .send(await plans.create(request.body, staffOf(request).staff.id, originOf(request)));
    },
  );

  app.put(
    '/api/v1/staff/plans/:code',
    {
      config: { access: { staff: ['administrator'] } },
      attachValidation: true,
      schema: {
        tags,
        summary:
          'Save new rules as a new version (earlier versions stay as they were); 409 when baseVersion is no longer current',
        params: ByCode,
        body: UpdatePlanBody,
        response: { 200: PlanView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      refuseInvalid(checkPlanUpdate(request.body), request.validationError);
      return plans.update(request.params.code, request.body, staffOf(request).staff.id, originOf(request));
    },
  );

  app.post(
    '/api/v1/staff/plans/:code/assess',
    {
      config: { access: { staff: 'any' } },
      schema: {
        tags,
        summary: 'Run the rules engine on claim lines under the current version (nothing is stored)',
        params: ByCode,
        body: Type.Object({
          beneficiaryId: Id(),
          familyId: Id(),
          submittedOn: Type.String({ format: 'date' }),
          lines: Type.Array(ClaimLine, { minItems: 1, maxItems: 50 }),
          usage: Type.Optional(Usage),
        }),
        response: {
          200: Type.Object({ planVersion: Type.Integer(), assessment: Assessment }),
          ...errorResponses(400, 401, 404, 409),
        },
      },
    },
    async (request) => {
      const { usage, ...claim } = request.body;
      return plans.assess(request.params.code, claim, usage);
    },
  );
};
