import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ById, errorResponses } from '#contracts/common.js';
import { RegistryImportView, RegistryMemberView } from '#contracts/registry.js';
import { AppError } from '../../errors/app-error.js';
import { originOf } from '../../plugins/request-context.js';
import { staffOf } from '../../plugins/route-access.js';
import { MAX_UPLOAD_BYTES, type RegistryAdminService } from './registry-admin.service.js';

const tags = ['registry'];

/** The member registry in the back office: file uploads and their imports, member search and page. */
export const registryAdminRoutes: FastifyPluginAsyncTypebox<{ registry: RegistryAdminService }> = async (
  app,
  { registry },
) => {
  // A registry file is uploaded as the request body (text/csv), streamed to storage, never parsed in memory.
  app.addContentTypeParser(['text/csv', 'application/octet-stream'], (_request, payload, done) =>
    done(null, payload),
  );

  app.post(
    '/api/v1/staff/registry/imports',
    {
      config: { access: { staff: ['administrator'] } },
      bodyLimit: MAX_UPLOAD_BYTES,
      schema: {
        tags,
        summary: 'Upload an employer registry file (CSV body); a dry run starts at once',
        querystring: Type.Object({ fileName: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 202: RegistryImportView, ...errorResponses(400, 401, 403, 413, 415) },
      },
    },
    async (request, reply) => {
      if (
        !request.headers['content-type']?.startsWith('text/csv') &&
        !request.headers['content-type']?.startsWith('application/octet-stream')
      ) {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      }
      const job = await registry.upload(
        staffOf(request).staff.id,
        request.query.fileName,
        request.body as Readable,
      );
      return reply.code(202).send(job);
    },
  );

  app.get(
    '/api/v1/staff/registry/imports',
    {
      config: { access: { staff: ['administrator', 'auditor'] } },
      schema: {
        tags,
        summary: 'Import history: who, when, file, counts',
        response: {
          200: Type.Object({ imports: Type.Array(RegistryImportView) }),
          ...errorResponses(401, 403),
        },
      },
    },
    async () => ({ imports: await registry.listImports(100) }),
  );

  app.get(
    '/api/v1/staff/registry/imports/:id',
    {
      config: { access: { staff: ['administrator', 'auditor'] } },
      schema: {
        tags,
        summary: 'An import: status, progress and reports',
        params: ById,
        response: { 200: RegistryImportView, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => registry.getImport(request.params.id),
  );

  app.post(
    '/api/v1/staff/registry/imports/:id/apply',
    {
      config: { access: { staff: ['administrator'] } },
      schema: {
        tags,
        summary: 'Import a checked file (rejected rows block it unless allowErrors)',
        params: ById,
        body: Type.Object({ allowErrors: Type.Boolean({ default: false }) }),
        response: { 202: RegistryImportView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const job = await registry.apply(
        request.params.id,
        staffOf(request).staff.id,
        request.body.allowErrors,
        originOf(request),
      );
      return reply.code(202).send(job);
    },
  );

  app.post(
    '/api/v1/staff/registry/imports/:id/discard',
    {
      config: { access: { staff: ['administrator'] } },
      schema: {
        tags,
        summary: 'Drop a checked file without importing it',
        params: ById,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await registry.discard(request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/staff/registry/members',
    {
      config: { access: { staff: 'any' } },
      schema: {
        tags,
        summary:
          'Search members by codice fiscale, email or name (every search is recorded as sensitive_read)',
        querystring: Type.Object({ q: Type.String({ minLength: 2, maxLength: 100 }) }),
        response: {
          200: Type.Object({ members: Type.Array(RegistryMemberView) }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => ({
      members: await registry.search(request.query.q, staffOf(request).staff.id, originOf(request)),
    }),
  );

  app.get(
    '/api/v1/staff/registry/members/:id',
    {
      config: { access: { staff: 'any' } },
      schema: {
        tags,
        summary: 'The member page (every opening is recorded as sensitive_read)',
        params: ById,
        response: {
          200: Type.Object({ member: RegistryMemberView, family: Type.Array(RegistryMemberView) }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (request) => registry.memberPage(request.params.id, staffOf(request).staff.id, originOf(request)),
  );

  const action = (
    path: string,
    summary: string,
    run: (id: string, staffId: string, request: Parameters<typeof originOf>[0]) => Promise<void>,
  ) =>
    app.post(
      `/api/v1/staff/registry/members/:id/${path}`,
      {
        config: { access: { staff: ['administrator'] } },
        schema: {
          tags,
          summary,
          params: ById,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        await run(request.params.id, staffOf(request).staff.id, request);
        return reply.code(204).send(null);
      },
    );
  action('resend-activation', 'Send a fresh activation ticket', (id, staff, r) =>
    registry.resendActivation(id, staff, originOf(r)),
  );
  action('unlock', 'Unlock an account locked by failed logins', (id, staff, r) =>
    registry.unlock(id, staff, originOf(r)),
  );

  app.post(
    '/api/v1/staff/registry/members/:id/end-coverage',
    {
      config: { access: { staff: ['administrator'] } },
      schema: {
        tags,
        summary: 'End the coverage on a date (default today)',
        params: ById,
        body: Type.Object({ date: Type.Optional(Type.String({ maxLength: 10 })) }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await registry.endCoverage(
        request.params.id,
        request.body.date,
        staffOf(request).staff.id,
        originOf(request),
      );
      return reply.code(204).send(null);
    },
  );
};
