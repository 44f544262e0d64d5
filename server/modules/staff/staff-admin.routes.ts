import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { ById, errorResponses } from '#contracts/common.js';
import {
  ChangeStaffRoleRequest,
  CreateStaffUserRequest,
  StaffUserList,
  StaffUserResponse,
  type StaffUserView,
} from '#contracts/staff.js';
import { originOf, requestLocale } from '../../plugins/request-context.js';
import { staffOf } from '../../plugins/route-access.js';
import type { StaffUser } from './staff.table.js';
import type { StaffUsersService } from './staff-users.service.js';

const tags = ['staff'];
const administrators = { staff: ['administrator'] } as const;

/** Administrators manage the back-office users: list, create (link by email), disable, enable, role, reset. */
export const staffAdminRoutes: FastifyPluginAsyncTypebox<{ users: StaffUsersService }> = async (
  app,
  { users },
) => {
  const formLimit = { rateLimit: { max: app.config.formRateLimitPerMinute, timeWindow: 60_000 } };

  app.get(
    '/api/v1/staff/users',
    {
      config: { access: administrators },
      schema: {
        tags,
        summary: 'Every back-office user with role, state, creation and last login (email included)',
        response: { 200: StaffUserList, ...errorResponses(401, 403) },
      },
    },
    async () => ({ users: await users.list() }),
  );

  app.post(
    '/api/v1/staff/users',
    {
      config: { access: administrators, ...formLimit },
      schema: {
        tags,
        summary:
          'Create a back-office user; the one-time enrolment link (24 hours) is emailed to them, never returned',
        body: CreateStaffUserRequest,
        response: { 201: StaffUserResponse, ...errorResponses(400, 401, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      const user = await users.createByAdministrator(
        staffOf(request).staff,
        request.body,
        requestLocale(request),
        originOf(request),
      );
      return reply.code(201).send({ user });
    },
  );

  const action = (
    path: string,
    summary: string,
    run: (actor: StaffUser, id: string, request: FastifyRequest) => Promise<StaffUserView>,
  ) =>
    app.post(
      `/api/v1/staff/users/:id/${path}`,
      {
        config: { access: administrators },
        schema: {
          tags,
          summary,
          params: ById,
          response: { 200: StaffUserResponse, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => ({ user: await run(staffOf(request).staff, request.params.id, request) }),
    );

  action('disable', 'Disable a user: all their sessions end at once, login is refused', (actor, id, r) =>
    users.disable(actor, id, originOf(r)),
  );
  action('enable', 'Enable a disabled user again', (actor, id, r) => users.enable(actor, id, originOf(r)));
  action(
    'reset-two-factor',
    'Reset two-factor: the authenticator, recovery codes and password stop working, a new enrolment link is emailed',
    (actor, id, r) => users.resetTwoFactor(actor, id, originOf(r)),
  );

  app.post(
    '/api/v1/staff/users/:id/role',
    {
      config: { access: administrators },
      schema: {
        tags,
        summary: 'Change the role of a user (their sessions end)',
        params: ById,
        body: ChangeStaffRoleRequest,
        response: { 200: StaffUserResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({
      user: await users.changeRole(
        staffOf(request).staff,
        request.params.id,
        request.body.role,
        originOf(request),
      ),
    }),
  );
};
