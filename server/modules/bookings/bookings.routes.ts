import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  Booking,
  BookingDocument,
  BookingEstimate,
  BookingEstimateRequest,
  BookingList,
  BookingOptions,
  BookingRequest,
  CodeCheck,
  CodeParams,
  DocumentNameQuery,
  RescheduleBody,
} from '#contracts/bookings.js';
import { errorResponses, Id } from '#contracts/common.js';
import { member } from '../../plugins/route-access.js';
import type { BookingsService } from './bookings.service.js';

const tags = ['bookings'];
const IdParams = Type.Object({ id: Id() });
const BASE = '/api/v1/bookings';

function declaredBytes(request: FastifyRequest): number | undefined {
  const length = request.headers['content-length'];
  return length !== undefined && /^\d{1,15}$/.test(length) ? Number(length) : undefined;
}

/** The member's bookings API and the facility's public code check (contracts/bookings.ts). */
export const bookingsRoutes: FastifyPluginAsyncTypebox<{ bookings: BookingsService }> = async (
  app,
  { bookings },
) => {
  app.get(
    `${BASE}/options`,
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'What the booking wizard offers: beneficiaries, services covered in network, holidays',
        response: { 200: BookingOptions, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => bookings.options(member(request).account),
  );

  app.post(
    `${BASE}/estimate`,
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: "What the plan covers of an amount in network, and the member's share",
        body: BookingEstimateRequest,
        response: { 200: BookingEstimate, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => bookings.estimate(member(request).account, request.body),
  );

  app.post(
    BASE,
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary:
          'Send a booking request ("INVIA PRENOTAZIONE"); the same idempotency key answers the same booking',
        body: BookingRequest,
        response: { 200: Booking, 201: Booking, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { created, booking } = await bookings.create(
        member(request).account,
        request.body,
        request.body.idempotencyKey,
      );
      return reply.code(created ? 201 : 200).send(booking);
    },
  );

  app.get(
    BASE,
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'The bookings the member sees (their own and their family’s), newest first',
        response: { 200: BookingList, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => bookings.list(member(request).account),
  );

  app.get(
    `${BASE}/:id`,
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'A booking: state, windows, proposal or appointment, code, share, timeline',
        params: IdParams,
        response: { 200: Booking, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => bookings.get(member(request).account, request.params.id),
  );

  for (const [action, summary] of [
    ['cancel', 'Cancel the booking (a confirmed one until the notice before the appointment)'],
    ['accept', "Accept the desk's proposed slot, before its deadline"],
    ['decline', "Decline the desk's proposed slot: the request goes back to the desk"],
  ] as const) {
    app.post(
      `${BASE}/:id/${action}`,
      {
        config: { access: 'member' },
        schema: {
          tags,
          summary,
          params: IdParams,
          response: { 200: Booking, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => bookings[action](member(request).account, request.params.id),
    );
  }

  app.post(
    `${BASE}/:id/reschedule`,
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'Ask for another date with new windows (until the notice before a confirmed appointment)',
        params: IdParams,
        body: RescheduleBody,
        response: { 200: Booking, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => bookings.reschedule(member(request).account, request.params.id, request.body.windows),
  );

  app.get(
    `${BASE}/:id/voucher`,
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'The voucher PDF of a confirmed booking (code, QR code, who, what, where, when)',
        params: IdParams,
        response: { ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { name, pdf } = await bookings.voucher(member(request).account, request.params.id);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .send(Buffer.from(pdf));
    },
  );

  app.get(
    `${BASE}/:id/calendar`,
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'The appointment as a calendar file (.ics, Europe/Rome)',
        params: IdParams,
        response: { ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { name, ics } = await bookings.calendar(member(request).account, request.params.id);
      return reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .send(ics);
    },
  );

  app.get(
    '/api/v1/public/booking-codes/:code',
    {
      config: { access: 'public', rateLimit: { max: app.config.formRateLimitPerMinute, timeWindow: 60_000 } },
      schema: {
        tags,
        summary:
          'For facilities: whether an authorisation code is valid, and for which service, day and time (initials only)',
        params: CodeParams,
        response: { 200: CodeCheck, ...errorResponses(400, 429) },
      },
    },
    async (request) => bookings.checkCode(request.params.code),
  );

  // Uploads: the raw body of any type is handed over as a stream, in this child plugin only.
  const uploadRoutes: FastifyPluginAsyncTypebox = async (uploads) => {
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    uploads.post(
      `${BASE}/documents`,
      {
        config: { access: 'member' },
        schema: {
          tags,
          summary:
            'Upload a prescription before sending the request: the raw file as the body (PDF, JPEG, PNG; 10 MB)',
          querystring: DocumentNameQuery,
          response: { 201: BookingDocument, ...errorResponses(400, 401, 403, 404, 409, 413) },
        },
      },
      async (request, reply) => {
        const doc = await bookings.uploadDocument(
          member(request).account,
          request.query.name,
          request.body as Readable | undefined,
          declaredBytes(request),
        );
        return reply.code(201).send(doc);
      },
    );
  };
  await app.register(uploadRoutes);
};
