import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errorResponses, Id } from '#contracts/common.js';
import {
  CreateBatchBody,
  LETTER_READ_ROLES,
  PAYMENT_READ_ROLES,
  PAYMENT_WRITE_ROLES,
  PaidBody,
  PayableClaims,
  PaymentBatchDetail,
  PaymentBatchList,
} from '#contracts/payments.js';
import { originOf } from '../../plugins/request-context.js';
import { member, staffOf } from '../../plugins/route-access.js';
import type { PaymentsService, StaffActor } from './payments.service.js';

const tags = ['payments'];
const IdParams = Type.Object({ id: Id() });
const BATCHES = '/api/v1/staff/payments/batches';

function actor(request: FastifyRequest): StaffActor {
  return { staffId: staffOf(request).staff.id, origin: originOf(request) };
}

/** A file to save, never to show in place: its type, its name, no sniffing, no caching. */
function download(reply: FastifyReply, type: string, name: string, body: string | Buffer) {
  return reply
    .header('content-type', type)
    .header('content-disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .send(body);
}

/**
 * Payment batches for administrators (auditors read them), the settlement letters for the back
 * office and, of their own paid claims, for members.
 */
export const paymentsRoutes: FastifyPluginAsyncTypebox<{ payments: PaymentsService }> = async (
  app,
  { payments },
) => {
  const read = { staff: PAYMENT_READ_ROLES };
  const write = { staff: PAYMENT_WRITE_ROLES };

  app.get(
    BATCHES,
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'Payment batches, newest first',
        response: { 200: PaymentBatchList, ...errorResponses(401, 403) },
      },
    },
    async () => payments.list(),
  );

  app.get(
    '/api/v1/staff/payments/payable',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'What a new batch would pay: approved claims with an amount, in no batch yet',
        response: { 200: PayableClaims, ...errorResponses(401, 403) },
      },
    },
    async () => payments.payable(),
  );

  app.post(
    BATCHES,
    {
      config: { access: write },
      schema: {
        tags,
        summary:
          'Make a draft batch of the payable claims and its SEPA file (pain.001.001.03); while a draft is open, that draft answers (200)',
        body: CreateBatchBody,
        response: { 200: PaymentBatchDetail, 201: PaymentBatchDetail, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { created, batch } = await payments.create(request.body, actor(request));
      return reply.code(created ? 201 : 200).send(batch);
    },
  );

  app.get(
    `${BATCHES}/:id`,
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'A batch and its claims (recorded as a read of members’ data)',
        params: IdParams,
        response: { 200: PaymentBatchDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => payments.detail(request.params.id, actor(request)),
  );

  app.get(
    `${BATCHES}/:id/file`,
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'The batch’s SEPA credit transfer file, the same bytes at every download',
        params: IdParams,
        response: { ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { name, xml } = await payments.file(request.params.id, actor(request));
      return download(reply, 'application/xml; charset=utf-8', name, Buffer.from(xml, 'utf8'));
    },
  );

  app.post(
    `${BATCHES}/:id/cancel`,
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Cancel a batch not yet sent: its claims can be paid in another (again: the same answer)',
        params: IdParams,
        response: { 200: PaymentBatchDetail, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => payments.cancel(request.params.id, actor(request)),
  );

  app.post(
    `${BATCHES}/:id/sent`,
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'The file went to the bank: the batch can no longer be cancelled (again: the same answer)',
        params: IdParams,
        response: { 200: PaymentBatchDetail, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => payments.markSent(request.params.id, actor(request)),
  );

  app.post(
    `${BATCHES}/:id/paid`,
    {
      config: { access: write },
      schema: {
        tags,
        summary:
          'The bank paid: every claim of the batch becomes paid with the value date, the members get the news email (again: the same answer)',
        params: IdParams,
        body: PaidBody,
        response: { 200: PaymentBatchDetail, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => payments.markPaid(request.params.id, request.body.valueDate, actor(request)),
  );

  app.get(
    '/api/v1/staff/payments/letters/:id',
    {
      config: { access: { staff: LETTER_READ_ROLES } },
      schema: {
        tags,
        summary: 'The settlement letter of a paid claim, as PDF (recorded as a read of the member’s data)',
        params: IdParams,
        response: { ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { pdf, name } = await payments.staffLetter(request.params.id, actor(request));
      return download(reply, 'application/pdf', name, Buffer.from(pdf));
    },
  );

  app.get(
    '/api/v1/claims/:id/letter',
    {
      config: { access: 'member' },
      schema: {
        tags: ['claims'],
        summary: 'The settlement letter of a paid claim, as PDF (404 before it is paid)',
        params: IdParams,
        response: { ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { pdf, name } = await payments.memberLetter(member(request).account, request.params.id);
      return download(reply, 'application/pdf', name, Buffer.from(pdf));
    },
  );
};
