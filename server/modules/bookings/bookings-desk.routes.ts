import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  Booking,
  DeskBooking,
  DeskQueue,
  DeskQueueQuery,
  PerformedBody,
  RejectBody,
  SlotBody,
} from '#contracts/bookings.js';
import { errorResponses, Id } from '#contracts/common.js';
import type { StaffRole } from '#contracts/staff.codes.js';
import { originOf } from '../../plugins/request-context.js';
import { staffOf } from '../../plugins/route-access.js';
import type { BookingsService } from './bookings.service.js';

const tags = ['bookings (back office)'];
const IdParams = Type.Object({ id: Id() });
const BASE = '/api/v1/staff/bookings';

/** The booking desk acts; administrators and auditors read; claims operators see none of it. */
const ACT: readonly StaffRole[] = ['booking_desk'];
const READ: readonly StaffRole[] = ['booking_desk', 'administrator', 'auditor'];

/** The booking desk's API (contracts/bookings.ts). */
export const bookingsDeskRoutes: FastifyPluginAsyncTypebox<{ bookings: BookingsService }> = async (
  app,
  { bookings },
) => {
  const desk = (request: Parameters<typeof staffOf>[0]) => ({ id: staffOf(request).staff.id });

  app.get(
    BASE,
    {
      config: { access: { staff: READ } },
      schema: {
        tags,
        summary: 'The queue: open requests oldest first, by state, province and service',
        querystring: DeskQueueQuery,
        response: { 200: DeskQueue, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => bookings.queue(request.query),
  );

  app.get(
    `${BASE}/:id`,
    {
      config: { access: { staff: READ } },
      schema: {
        tags,
        summary: 'A request: the member’s windows, the facility, the prescriptions, the timeline',
        params: IdParams,
        response: { 200: DeskBooking, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const detail = await bookings.deskDetail(request.params.id);
      // A booking names a service and carries prescriptions: health data. Every opening is in the
      // audit trail and in the member's access log (decision 050).
      await app.audit.record(app.db, originOf(request), {
        event: 'sensitive_read',
        outcome: 'success',
        actorType: 'staff',
        actorId: staffOf(request).staff.id,
        subjectId: detail.booking.beneficiary.id,
        details: { what: 'booking', booking: detail.booking.id },
      });
      return detail;
    },
  );

  app.get(
    `${BASE}/:id/documents/:documentId`,
    {
      config: { access: { staff: ACT } },
      schema: {
        tags,
        summary: 'Open a prescription of the request',
        params: Type.Object({ id: Id(), documentId: Id() }),
        response: { ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { document, beneficiaryId, open } = await bookings.openDocument(
        request.params.id,
        request.params.documentId,
      );
      await app.audit.record(app.db, originOf(request), {
        event: 'sensitive_read',
        outcome: 'success',
        actorType: 'staff',
        actorId: staffOf(request).staff.id,
        subjectId: beneficiaryId,
        details: { what: 'booking_document', booking: request.params.id, document: document.id },
      });
      const stream = await open();
      return reply
        .header('content-type', document.media_type)
        .header('content-disposition', 'inline')
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );

  app.post(
    `${BASE}/:id/confirm`,
    {
      config: { access: { staff: ACT } },
      schema: {
        tags,
        summary:
          'Confirm a day, time and facility (within the member’s windows or not), or move a confirmed one',
        params: IdParams,
        body: SlotBody,
        response: { 200: Booking, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => bookings.confirm(desk(request), request.params.id, request.body),
  );

  app.post(
    `${BASE}/:id/propose`,
    {
      config: { access: { staff: ACT } },
      schema: {
        tags,
        summary: 'Propose another slot: the member accepts or declines it by the deadline',
        params: IdParams,
        body: SlotBody,
        response: { 200: Booking, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => bookings.propose(desk(request), request.params.id, request.body),
  );

  app.post(
    `${BASE}/:id/reject`,
    {
      config: { access: { staff: ACT } },
      schema: {
        tags,
        summary: 'Reject the request with a reason',
        params: IdParams,
        body: RejectBody,
        response: { 200: Booking, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => bookings.reject(desk(request), request.params.id, request.body.reason),
  );

  app.post(
    `${BASE}/:id/cancel`,
    {
      config: { access: { staff: ACT } },
      schema: {
        tags,
        summary: 'Cancel a confirmed appointment (the facility cannot hold it)',
        params: IdParams,
        response: { 200: Booking, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => bookings.deskCancel(desk(request), request.params.id),
  );

  app.post(
    `${BASE}/:id/performed`,
    {
      config: { access: { staff: ACT } },
      schema: {
        tags,
        summary: '"ESEGUITA": the visit took place; the facility’s invoice becomes a direct claim',
        params: IdParams,
        body: PerformedBody,
        response: { 200: Booking, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => bookings.performed(desk(request), request.params.id, request.body),
  );
};
