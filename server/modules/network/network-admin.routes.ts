import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ById, errorResponses } from '#contracts/common.js';
import { NetworkApplyBody, NetworkImportList, NetworkImportView } from '#contracts/network.js';
import { AppError } from '../../errors/app-error.js';
import { originOf } from '../../plugins/request-context.js';
import { staffOf } from '../../plugins/route-access.js';
import { MAX_NETWORK_UPLOAD_BYTES, type NetworkAdminService } from './network-admin.service.js';

const adminTags = ['network'];

/** The network files administrators upload: dry run, apply or discard, history. */
export const networkAdminRoutes: FastifyPluginAsyncTypebox<{ admin: NetworkAdminService }> = async (
  app,
  { admin },
) => {
  // A network file is uploaded as the request body (text/csv), streamed to storage, never held in memory.
  app.addContentTypeParser(['text/csv', 'application/octet-stream'], (_request, payload, done) =>
    done(null, payload),
  );

  app.post(
    '/api/v1/staff/network/imports',
    {
      config: { access: { staff: ['administrator'] } },
      bodyLimit: MAX_NETWORK_UPLOAD_BYTES,
      schema: {
        tags: adminTags,
        summary:
          'Upload a network file (CSV body, same format as the command line) and check it: the dry-run ' +
          'report, or 400 naming why the whole file is refused (file_empty, file_separator, file_header, ' +
          'file_quoting, file_row_too_long) and on which line',
        querystring: Type.Object({ fileName: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 201: NetworkImportView, ...errorResponses(400, 401, 403, 413, 415) },
      },
    },
    async (request, reply) => {
      const type = request.headers['content-type'] ?? '';
      if (!type.startsWith('text/csv') && !type.startsWith('application/octet-stream')) {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      }
      const job = await admin.upload(
        staffOf(request).staff.id,
        request.query.fileName,
        request.body as Readable,
        originOf(request),
      );
      return reply.code(201).send(job);
    },
  );

  app.get(
    '/api/v1/staff/network/imports',
    {
      config: { access: { staff: ['administrator', 'auditor'] } },
      schema: {
        tags: adminTags,
        summary: 'Network import history: who, when, which file, counts',
        response: { 200: NetworkImportList, ...errorResponses(401, 403) },
      },
    },
    async () => ({ imports: await admin.listImports(100) }),
  );

  app.get(
    '/api/v1/staff/network/imports/:id',
    {
      config: { access: { staff: ['administrator', 'auditor'] } },
      schema: {
        tags: adminTags,
        summary: 'A network import: status and reports',
        params: ById,
        response: { 200: NetworkImportView, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => admin.getImport(request.params.id),
  );

  app.post(
    '/api/v1/staff/network/imports/:id/apply',
    {
      config: { access: { staff: ['administrator'] } },
      schema: {
        tags: adminTags,
        summary:
          'Import a checked file (rejected rows block it unless allowErrors); an import already applied ' +
          'is answered as it is, never applied twice',
        params: ById,
        body: NetworkApplyBody,
        response: { 200: NetworkImportView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      admin.apply(request.params.id, staffOf(request).staff.id, request.body.allowErrors, originOf(request)),
  );

  app.post(
    '/api/v1/staff/network/imports/:id/discard',
    {
      config: { access: { staff: ['administrator'] } },
      schema: {
        tags: adminTags,
        summary: 'Drop a checked file without importing it',
        params: ById,
        response: { 200: NetworkImportView, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => admin.discard(request.params.id, staffOf(request).staff.id, originOf(request)),
  );
};
