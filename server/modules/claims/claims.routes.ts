import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  ClaimDetail,
  ClaimDocument,
  ClaimDocumentParams,
  ClaimList,
  ClaimListQuery,
  ClaimMessage,
  ClaimOptions,
  DocumentUploadQuery,
  Draft,
  DraftBody,
  Estimate,
  MessageBody,
  SubmitBody,
  Submitted,
} from '#contracts/claims.js';
import { errorResponses, Id } from '#contracts/common.js';
import { member } from '../../plugins/route-access.js';
import type { ClaimDocumentsService } from './claim-documents.service.js';
import type { ClaimDraftsService } from './claim-drafts.service.js';
import { contentDisposition } from './claim-format.js';
import type { ClaimSubmissionService } from './claim-submission.service.js';
import type { ClaimsService } from './claims.service.js';

const tags = ['claims'];
const IdParams = Type.Object({ id: Id() });

/** An upload's announced length (Content-Length), if it sent one. */
function declaredBytes(request: FastifyRequest): number | undefined {
  const length = request.headers['content-length'];
  return length !== undefined && /^\d{1,15}$/.test(length) ? Number(length) : undefined;
}

/** The services the routes call, one per reason to change. */
export interface ClaimsRouteServices {
  drafts: ClaimDraftsService;
  submission: ClaimSubmissionService;
  documents: ClaimDocumentsService;
  claims: ClaimsService;
}

/** The member's claims API (contracts/claims.ts). */
export const claimsRoutes: FastifyPluginAsyncTypebox<ClaimsRouteServices> = async (
  app,
  { drafts, submission, documents, claims },
) => {
  app.get(
    '/api/v1/claims/options',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary:
          'What the reimbursement wizard offers: beneficiaries, categories and channels of the plan, payee prefill',
        response: { 200: ClaimOptions, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => drafts.options(member(request).account),
  );

  app.post(
    '/api/v1/claims/drafts',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'Start a reimbursement request, or resume the open draft (one per account)',
        response: { 200: Draft, 201: Draft, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { created, draft } = await drafts.startDraft(member(request).account);
      return reply.code(created ? 201 : 200).send(draft);
    },
  );

  app.get(
    '/api/v1/claims/drafts/:id',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'The draft as saved',
        params: IdParams,
        response: { 200: Draft, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => drafts.getDraft(member(request).account, request.params.id),
  );

  app.put(
    '/api/v1/claims/drafts/:id',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'Save the wizard so far: each value typed is checked; warnings for probable duplicates',
        params: IdParams,
        body: DraftBody,
        response: { 200: Draft, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => drafts.saveDraft(member(request).account, request.params.id, request.body),
  );

  app.delete(
    '/api/v1/claims/drafts/:id',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'Discard the draft and its documents',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await drafts.discardDraft(member(request).account, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/claims/drafts/:id/estimate',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'Check the whole draft and estimate the reimbursement with the plan rules',
        params: IdParams,
        response: { 200: Estimate, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => drafts.estimate(member(request).account, request.params.id),
  );

  app.post(
    '/api/v1/claims/drafts/:id/submit',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary:
          'Send the claim: a number, the receipt email; the same idempotency key answers the same claim',
        params: IdParams,
        body: SubmitBody,
        response: { 200: Submitted, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      submission.submit(member(request).account, request.params.id, request.body.idempotencyKey),
  );

  app.delete(
    '/api/v1/claims/drafts/:id/documents/:documentId',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'Remove a document of the draft',
        params: ClaimDocumentParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await documents.removeDocument(
        member(request).account,
        request.params.id,
        request.params.documentId,
        'draft',
      );
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/claims',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'Le mie pratiche: the claims of the family the member may see, filtered and paged',
        querystring: ClaimListQuery,
        response: { 200: ClaimList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => claims.list(member(request).account, request.query),
  );

  app.get(
    '/api/v1/claims/:id',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'A claim: timeline, invoices, documents, messages, what the member can do',
        params: IdParams,
        response: { 200: ClaimDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => claims.detail(member(request).account, request.params.id),
  );

  app.get(
    '/api/v1/claims/:id/documents/:documentId',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'Download a document of the claim',
        params: ClaimDocumentParams,
        response: { ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { document, stream } = await documents.openDocument(
        member(request).account,
        request.params.id,
        request.params.documentId,
      );
      return reply
        .header('content-type', document.media_type)
        .header('content-disposition', contentDisposition(document.file_name))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );

  app.post(
    '/api/v1/claims/:id/cancel',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'Cancel a claim not yet in review (again: the same answer)',
        params: IdParams,
        response: { 200: ClaimDetail, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => claims.cancel(member(request).account, request.params.id),
  );

  app.post(
    '/api/v1/claims/:id/messages',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'Write to the back office about the claim',
        params: IdParams,
        body: MessageBody,
        response: { 201: ClaimMessage, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await claims.message(member(request).account, request.params.id, request.body.body)),
  );

  app.post(
    '/api/v1/claims/:id/reminder',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'Send a reminder (after 30 days in review, at most once a week)',
        params: IdParams,
        response: { 200: ClaimDetail, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => claims.remind(member(request).account, request.params.id),
  );

  app.post(
    '/api/v1/claims/:id/integration',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'Send the documents the back office asked for: the claim goes back in review',
        params: IdParams,
        response: { 200: ClaimDetail, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => claims.sendIntegration(member(request).account, request.params.id),
  );

  app.delete(
    '/api/v1/claims/:id/documents/:documentId',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'Remove an integration document not yet sent',
        params: ClaimDocumentParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await documents.removeDocument(
        member(request).account,
        request.params.id,
        request.params.documentId,
        'integration',
      );
      return reply.code(204).send(null);
    },
  );

  // Uploads: the raw body of any type is handed over as a stream, in this child plugin only.
  const uploadRoutes: FastifyPluginAsyncTypebox = async (uploads) => {
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

    uploads.post(
      '/api/v1/claims/drafts/:id/documents',
      {
        config: { access: 'member' },
        schema: {
          tags,
          summary: 'Attach a document to the draft: the raw file as the body (PDF, JPEG, PNG; 10 MB)',
          params: IdParams,
          querystring: DocumentUploadQuery,
          response: { 201: ClaimDocument, ...errorResponses(400, 401, 403, 404, 409, 413) },
        },
      },
      async (request, reply) => {
        const doc = await documents.uploadDraftDocument(
          member(request).account,
          request.params.id,
          request.query.kind,
          request.query.name,
          request.body as Readable,
          declaredBytes(request),
        );
        return reply.code(201).send(doc);
      },
    );

    uploads.post(
      '/api/v1/claims/:id/documents',
      {
        config: { access: 'member' },
        schema: {
          tags,
          summary: 'Attach a document the back office asked for (claim on hold for documents)',
          params: IdParams,
          querystring: DocumentUploadQuery,
          response: { 201: ClaimDocument, ...errorResponses(400, 401, 403, 404, 409, 413) },
        },
      },
      async (request, reply) => {
        const doc = await documents.uploadIntegrationDocument(
          member(request).account,
          request.params.id,
          request.query.kind,
          request.query.name,
          request.body as Readable,
          declaredBytes(request),
        );
        return reply.code(201).send(doc);
      },
    );
  };
  await app.register(uploadRoutes);
};
