import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ClaimDocumentParams, ClaimMessage, MessageBody } from '#contracts/claims.js';
import {
  DecisionBody,
  DecisionResult,
  DocumentRequestBody,
  Queue,
  QueueQuery,
  StaffClaimDetail,
} from '#contracts/claims-backoffice.js';
import { errorResponses, Id } from '#contracts/common.js';
import type { StaffRole } from '#contracts/staff.codes.js';
import { originOf } from '../../plugins/request-context.js';
import { staffOf } from '../../plugins/route-access.js';
import type { ClaimDecisionsService, Operator } from './claim-decisions.service.js';
import { contentDisposition } from './claim-format.js';
import type { ClaimReviewService } from './claim-review.service.js';

const tags = ['claims (back office)'];
const IdParams = Type.Object({ id: Id() });
const BASE = '/api/v1/staff/claims';

/** Claims operators process; administrators and auditors read; the booking desk sees none of it. */
const PROCESS: readonly StaffRole[] = ['claims_operator'];
const READ: readonly StaffRole[] = ['claims_operator', 'administrator', 'auditor'];

/** The back office's claims API (contracts/claims-backoffice.ts). */
export const claimsBackofficeRoutes: FastifyPluginAsyncTypebox<{
  review: ClaimReviewService;
  decisions: ClaimDecisionsService;
}> = async (app, { review, decisions }) => {
  const operator = (request: Parameters<typeof staffOf>[0]): Operator => ({
    id: staffOf(request).staff.id,
    origin: originOf(request),
  });

  app.get(
    BASE,
    {
      config: { access: { staff: READ } },
      schema: {
        tags,
        summary: 'The claims queue: by state with counts, filtered, oldest first, paged',
        querystring: QueueQuery,
        response: { 200: Queue, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => review.queue(request.query),
  );

  app.get(
    `${BASE}/:id`,
    {
      config: { access: { staff: READ } },
      schema: {
        tags,
        summary:
          "A claim: member, plan, invoices with the engine's proposal, documents, duplicates, messages",
        params: IdParams,
        response: { 200: StaffClaimDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { staff } = staffOf(request);
      return review.detail(request.params.id, {
        id: staff.id,
        canProcess: PROCESS.includes(staff.role),
        origin: originOf(request),
      });
    },
  );

  app.get(
    `${BASE}/:id/documents/:documentId`,
    {
      config: { access: { staff: READ } },
      schema: {
        tags,
        summary: 'Open a document of the claim in the page (every opening is audited)',
        params: ClaimDocumentParams,
        response: { ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { document, stream } = await review.openDocument(
        request.params.id,
        request.params.documentId,
        operator(request),
      );
      return (
        reply
          .header('content-type', document.media_type)
          .header('content-disposition', contentDisposition(document.file_name, 'inline'))
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'no-store')
          // Shown inside the back office's claim page only: framed by this origin, nothing active.
          .header(
            'content-security-policy',
            "default-src 'none'; img-src 'self'; object-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'",
          )
          .header('x-frame-options', 'SAMEORIGIN')
          .send(stream as Readable)
      );
    },
  );

  const action = (path: string, summary: string, run: (id: string, op: Operator) => Promise<void>): void => {
    app.post(
      `${BASE}/:id/${path}`,
      {
        config: { access: { staff: PROCESS } },
        schema: {
          tags,
          summary,
          params: IdParams,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        await run(request.params.id, operator(request));
        return reply.code(204).send(null);
      },
    );
  };

  action('take', '"PRENDI IN CARICO": the claim becomes yours until released or decided', (id, op) =>
    review.take(id, op),
  );
  action('release', 'Give the claim back to the queue', (id, op) => review.release(id, op));
  action('decision/discard', 'Withdraw a decision waiting for the second approval', (id, op) =>
    decisions.discard(id, op),
  );

  app.post(
    `${BASE}/:id/decision`,
    {
      config: { access: { staff: PROCESS } },
      schema: {
        tags,
        summary:
          'Decide: accepted amount per line (a reason when it differs from the proposal); four eyes above the proposal or the threshold',
        params: IdParams,
        body: DecisionBody,
        response: { 200: DecisionResult, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => decisions.decide(request.params.id, request.body, operator(request)),
  );

  app.post(
    `${BASE}/:id/decision/confirm`,
    {
      config: { access: { staff: PROCESS } },
      schema: {
        tags,
        summary: 'Four eyes: a second operator approves the pending decision (never the proposer)',
        params: IdParams,
        response: { 200: DecisionResult, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => decisions.confirm(request.params.id, operator(request)),
  );

  app.post(
    `${BASE}/:id/document-request`,
    {
      config: { access: { staff: PROCESS } },
      schema: {
        tags,
        summary: '"RICHIEDI DOCUMENTI": items of the checklist and a text for the member',
        params: IdParams,
        body: DocumentRequestBody,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await review.requestDocuments(request.params.id, request.body, operator(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    `${BASE}/:id/messages`,
    {
      config: { access: { staff: PROCESS } },
      schema: {
        tags,
        summary: 'Write to the member about the claim (they get an email that there is news)',
        params: IdParams,
        body: MessageBody,
        response: { 201: ClaimMessage, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await review.message(request.params.id, request.body.body, operator(request))),
  );
};
