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
import { AppError } from '../../errors/app-error.js';
import { originOf, requestLocale } from '../../plugins/request-context.js';
import { member } from '../../plugins/route-access.js';
import { clearSessionCookie, readSessionToken, setSessionCookie } from '../../plugins/session-cookies.js';
import { fieldError } from '../members/messages.js';

const tags = ['auth'];

/** Login, session, password change and recovery for members. */
export const authModule: FastifyPluginAsyncTypebox = async (app) => {
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
        response: { 200: SessionInfo, ...errorResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const { token, info } = await app.auth.login(
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
      await app.auth.logout(member(request), originOf(request));
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
    async (request) => app.auth.currentInfo(member(request)),
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
    async (request) => app.auth.extend(member(request)),
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
        const { token, info } = await app.auth.changePassword(
          member(request),
          request.body,
          requestLocale(request),
          originOf(request),
        );
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
      const locale = requestLocale(request);
      let account = (await app.auth.principal(readSessionToken(request, app.config), false))?.account;
      if (!account && request.body.resetToken) {
        account = await app.auth.checkResetLink(request.body.resetToken).catch(() => undefined);
      }
      return app.auth.checkCandidate(request.body.password, locale, account);
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
      await verifyCaptcha(request.body.altcha, requestLocale(request));
      await app.auth.requestPasswordReset(request.body, originOf(request));
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
      await app.auth.checkResetLink(request.body.token);
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
      await app.auth.resetPassword(request.body, requestLocale(request), originOf(request));
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
      await verifyCaptcha(request.body.altcha, requestLocale(request));
      await app.auth.requestUsername(request.body, originOf(request));
      return reply.code(202).send({ status: 'received' });
    },
  );

  async function verifyCaptcha(payload: string, locale: 'it' | 'en'): Promise<void> {
    const result = await app.captcha.verify(payload);
    if (result !== 'ok') {
      throw new AppError('VALIDATION_FAILED', [
        fieldError('altcha', result === 'missing' ? 'captcha_missing' : 'captcha_invalid', locale),
      ]);
    }
  }
};

export { memberLockEnd } from './auth.service.js';
