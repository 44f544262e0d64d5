import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '#contracts/common.js';
import {
  EnrolmentCompleteRequest,
  EnrolmentCompleteResponse,
  EnrolmentStartRequest,
  EnrolmentStartResponse,
  StaffLoginRequest,
  StaffSessionInfo,
} from '#contracts/staff.js';
import { originOf } from '../../plugins/request-context.js';
import { staffOf } from '../../plugins/route-access.js';
import { clearStaffCookie, readStaffToken, setStaffCookie } from '../../plugins/session-cookies.js';
import type { StaffEnrolmentService } from './staff-enrolment.service.js';
import type { StaffLoginService } from './staff-login.service.js';

const tags = ['staff'];

/** Back-office sign-in: enrolment (password + authenticator), login with two factors, session. */
export const staffRoutes: FastifyPluginAsyncTypebox<{
  enrolment: StaffEnrolmentService;
  login: StaffLoginService;
}> = async (app, { enrolment, login }) => {
  const formLimit = { rateLimit: { max: app.config.formRateLimitPerMinute, timeWindow: 60_000 } };

  app.post(
    '/api/v1/staff/enrolment/start',
    {
      config: { access: 'public', ...formLimit },
      schema: {
        tags,
        summary: 'Open an enrolment link: the authenticator key as QR code and text',
        body: EnrolmentStartRequest,
        response: { 200: EnrolmentStartResponse, ...errorResponses(400, 429) },
      },
    },
    async (request) => enrolment.startEnrolment(request.body.token),
  );

  app.post(
    '/api/v1/staff/enrolment/complete',
    {
      config: { access: 'public', ...formLimit },
      schema: {
        tags,
        summary:
          'Set the password and confirm the authenticator with a first code; returns 10 recovery codes, once',
        body: EnrolmentCompleteRequest,
        response: { 200: EnrolmentCompleteResponse, ...errorResponses(400, 429) },
      },
    },
    async (request) => ({
      recoveryCodes: await enrolment.completeEnrolment(request.body, originOf(request)),
    }),
  );

  app.post(
    '/api/v1/staff/auth/login',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Staff login: username, password and authenticator (or recovery) code',
        body: StaffLoginRequest,
        response: { 200: StaffSessionInfo, ...errorResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const { token, info } = await login.login(
        request.body,
        originOf(request),
        readStaffToken(request, app.config),
      );
      setStaffCookie(reply, app.config, token);
      return info;
    },
  );

  app.get(
    '/api/v1/staff/auth/session',
    {
      config: { access: { staff: 'any', touch: false } },
      schema: {
        tags,
        summary: 'The staff session (reading it does not extend it)',
        response: { 200: StaffSessionInfo, ...errorResponses(401) },
      },
    },
    async (request) => {
      const p = staffOf(request);
      return login.info(p.staff, p.session);
    },
  );

  app.post(
    '/api/v1/staff/auth/session/extend',
    {
      config: { access: { staff: 'any', touch: false } },
      schema: {
        tags,
        summary: 'Stay signed in',
        response: { 200: StaffSessionInfo, ...errorResponses(401) },
      },
    },
    async (request) => login.extend(staffOf(request)),
  );

  app.post(
    '/api/v1/staff/auth/logout',
    {
      config: { access: { staff: 'any', touch: false } },
      schema: {
        tags,
        summary: 'End the staff session',
        response: { 204: Type.Null(), ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      await login.logout(staffOf(request), originOf(request));
      clearStaffCookie(reply, app.config);
      return reply.code(204).send(null);
    },
  );
};
