import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  Accepted,
  LoginRequest,
  PasswordChangeRequest,
  PasswordCheckRequest,
  PasswordCheckResponse,
  PasswordRecoveryRequest,
  PasswordResetRequest,
  ResetLinkCheckRequest,
  ResetLinkCheckResponse,
  SessionInfo,
  UsernameRecoveryRequest,
} from '#contracts/auth.js';
import { errorResponses } from '#contracts/common.js';
import { LoginSecondStep, LoginTotpRequest } from '#contracts/profile.js';
import { AppError } from '../../errors/app-error.js';
import { worded } from '../../errors/error-handler.js';
import { originOf } from '../../plugins/request-context.js';
import { member } from '../../plugins/route-access.js';
import { clearSessionCookie, readSessionToken, setSessionCookie } from '../../plugins/session-cookies.js';
import type { AuthService } from './auth.service.js';

const tags = ['auth'];

/** Login, session, password change and recovery for members. */
export const authRoutes: FastifyPluginAsyncTypebox<{ auth: AuthService }> = async (app, { auth }) => {
  /** Public forms that send email or test a secret: a few per minute per address, on top of the captcha. */
  const FORM_LIMIT = { rateLimit: { max: app.config.formRateLimitPerMinute, timeWindow: 60_000 } };
  app.post(
    '/api/v1/auth/login',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Log in with username and password (captcha after repeated failures)',
        body: LoginRequest,
        response: { 200: Type.Union([SessionInfo, LoginSecondStep]), ...errorResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const result = await auth.login(request.body, originOf(request), readSessionToken(request, app.config));
      if ('pendingToken' in result)
        return { twoFactorRequired: true as const, pendingToken: result.pendingToken };
      setSessionCookie(reply, app.config, result.token);
      return result.info;
    },
  );

  app.post(
    '/api/v1/auth/login/code',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags,
        summary:
          'Second login step for members with two-factor on: the pending token and an authenticator or recovery code',
        body: LoginTotpRequest,
        response: { 200: SessionInfo, ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      const { token, info } = await auth.loginSecondStep(
        request.body,
        originOf(request),
        readSessionToken(request, app.config),
      );
      setSessionCookie(reply, app.config, token);
      return info;
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { access: { member: { allowPendingPasswordChange: true, touch: false } } },
      schema: { tags, summary: 'End this session', response: { 204: Type.Null(), ...errorResponses(401) } },
    },
    async (request, reply) => {
      await auth.logout(member(request), originOf(request));
      clearSessionCookie(reply, app.config);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/session',
    {
      config: { access: { member: { allowPendingPasswordChange: true, touch: false } } },
      schema: {
        tags,
        summary: 'When this session expires (reading it does not extend it)',
        response: { 200: SessionInfo, ...errorResponses(401) },
      },
    },
    async (request) => auth.currentInfo(member(request)),
  );

  app.post(
    '/api/v1/auth/session/extend',
    {
      config: { access: { member: { allowPendingPasswordChange: true, touch: false } } },
      schema: {
        tags,
        summary: 'Stay signed in: extend the idle timeout',
        response: { 200: SessionInfo, ...errorResponses(401) },
      },
    },
    async (request) => auth.extend(member(request)),
  );

  app.post(
    '/api/v1/auth/password',
    {
      config: { access: { member: { allowPendingPasswordChange: true } } },
      schema: {
        tags,
        summary: 'Change the password (at first login the temporary one is not asked again)',
        body: PasswordChangeRequest,
        response: { 200: SessionInfo, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      try {
        const { token, info } = await auth.changePassword(member(request), request.body, originOf(request));
        setSessionCookie(reply, app.config, token);
        return info;
      } catch (err) {
        // Too many wrong current passwords ended the session: the browser forgets the cookie too.
        if (err instanceof AppError && err.code === 'UNAUTHENTICATED') clearSessionCookie(reply, app.config);
        throw err;
      }
    },
  );

  app.post(
    '/api/v1/auth/password-check',
    {
      config: { access: 'public', rateLimit: { max: 120, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Strength hint and refusal reasons for a candidate password (nothing is stored)',
        body: PasswordCheckRequest,
        response: { 200: PasswordCheckResponse, ...errorResponses(400) },
      },
    },
    async (request) => {
      const hint = await auth.checkCandidate(request.body, readSessionToken(request, app.config));
      return { ...hint, problems: worded(request, hint.problems) };
    },
  );

  app.post(
    '/api/v1/auth/password-recovery',
    {
      config: { access: 'public', ...FORM_LIMIT },
      schema: {
        tags,
        summary: 'Ask for a password reset link (same answer whether or not the account exists)',
        body: PasswordRecoveryRequest,
        response: { 202: Accepted, ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      await auth.requestPasswordReset(request.body, originOf(request));
      return reply.code(202).send({ status: 'received' });
    },
  );

  app.post(
    '/api/v1/auth/password-reset/check',
    {
      config: { access: 'public', ...FORM_LIMIT },
      schema: {
        tags,
        summary: 'Whether a reset link is still usable (does not use it)',
        body: ResetLinkCheckRequest,
        response: { 200: ResetLinkCheckResponse, ...errorResponses(400) },
      },
    },
    async (request) => {
      await auth.checkResetLink(request.body.token);
      return { valid: true as const };
    },
  );

  app.post(
    '/api/v1/auth/password-reset',
    {
      config: { access: 'public', ...FORM_LIMIT },
      schema: {
        tags,
        summary: 'Set a new password from a reset link; ends every session',
        body: PasswordResetRequest,
        response: { 200: Accepted, ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      await auth.resetPassword(request.body, originOf(request));
      clearSessionCookie(reply, app.config);
      return { status: 'received' as const };
    },
  );

  app.post(
    '/api/v1/auth/username-recovery',
    {
      config: { access: 'public', ...FORM_LIMIT },
      schema: {
        tags,
        summary: 'Receive the username at the address on file (same answer always)',
        body: UsernameRecoveryRequest,
        response: { 202: Accepted, ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      await auth.requestUsername(request.body, originOf(request));
      return reply.code(202).send({ status: 'received' });
    },
  );
};
