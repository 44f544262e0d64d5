import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  Accepted,
  ActivationRequest,
  ActivationResponse,
  MeResponse,
  RegistrationRequest,
} from '#contracts/auth.js';
import { errorResponses } from '#contracts/common.js';
import { RegistrationRequestView } from '#contracts/registry.js';
import { AppError } from '../../errors/app-error.js';
import { originOf, requestLocale } from '../../plugins/request-context.js';
import { member, staffOf } from '../../plugins/route-access.js';

const tags = ['members'];

/** Registration against the registry, activation with the emailed ticket, and the member's own data. */
export const membersModule: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/v1/registrations',
    {
      config: { access: 'public', rateLimit: { max: app.config.formRateLimitPerMinute, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Register as a member of the plan (same answer whether or not the registry matches)',
        body: RegistrationRequest,
        response: { 202: Accepted, ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      await app.registration.register(request.body, requestLocale(request), originOf(request));
      return reply.code(202).send({ status: 'received' });
    },
  );

  app.post(
    '/api/v1/activations',
    {
      config: { access: 'public', rateLimit: { max: app.config.formRateLimitPerMinute, timeWindow: 60_000 } },
      schema: {
        tags,
        summary:
          'Activate the account with the emailed ticket number; username and temporary password follow by email',
        body: ActivationRequest,
        response: { 200: ActivationResponse, ...errorResponses(400, 429) },
      },
    },
    async (request) => {
      await app.registration.activate(request.body.ticket, originOf(request));
      return { status: 'activated' as const };
    },
  );

  // ── the back office's queue of registrations it must confirm (decision 027) ───────────────
  const staffTags = ['registration requests'];
  const ById = Type.Object({ id: Type.String({ maxLength: 64 }) });

  app.get(
    '/api/v1/staff/registration-requests',
    {
      config: { access: { staff: ['administrator', 'auditor'] } },
      schema: {
        tags: staffTags,
        summary:
          'Pending registrations of members with neither an email nor a card number on file (every reading is a sensitive_read)',
        response: {
          200: Type.Object({ requests: Type.Array(RegistrationRequestView) }),
          ...errorResponses(401, 403),
        },
      },
    },
    async (request) => ({
      requests: await app.registration.pendingRequests(staffOf(request).staff.id, originOf(request)),
    }),
  );

  for (const [path, summary] of [
    ['confirm', 'Confirm the request: the activation ticket goes to the address typed in it'],
    ['reject', 'Reject the request: a polite email to the address typed in it, no ticket'],
  ] as const) {
    app.post(
      `/api/v1/staff/registration-requests/:id/${path}`,
      {
        config: { access: { staff: ['administrator'] } },
        schema: {
          tags: staffTags,
          summary,
          params: ById,
          response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const staffId = staffOf(request).staff.id;
        if (path === 'confirm')
          await app.registration.confirmRequest(request.params.id, staffId, originOf(request));
        else await app.registration.rejectRequest(request.params.id, staffId, originOf(request));
        return reply.code(204).send(null);
      },
    );
  }

  app.get(
    '/api/v1/me',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'The logged-in member: name, plan and coverage',
        response: { 200: MeResponse, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const { account } = member(request);
      const row = await app.members.findRegistryMemberWithPlan(app.db, account.registry_member_id);
      if (!row) throw new AppError('NOT_FOUND');
      return {
        username: account.username,
        surname: row.surname,
        name: row.given_name,
        role: row.role,
        plan: { code: row.plan_code, name: row.plan_name },
        coverage: { start: row.coverage_start, end: row.coverage_end },
      };
    },
  );
};

export {
  type CfProblem,
  nameCode,
  normalizeCf,
  surnameCode,
  validateCodiceFiscale,
} from './codice-fiscale.js';
export type { RegistrationService } from './registration.service.js';
