import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { type Static, Type } from 'typebox';
import { errorResponses, Id } from '#contracts/common.js';
import { CATEGORY_LABELS } from '#contracts/plans.codes.js';
import {
  AccessLogResponse,
  ContactsRequest,
  DataExportDownloadQuery,
  DataExportResponse,
  EmailChangeRequest,
  IbanChangeRequest,
  PROFILE_LIMITS,
  ProfileView,
  SessionsResponse,
  StatementQuery,
  StatementResponse,
  TokenRequest,
  TotpConfirmRequest,
  TotpConfirmResponse,
  TotpDisableRequest,
  TotpStartRequest,
  TotpStartResponse,
} from '#contracts/profile.js';
import { AppError } from '../../errors/app-error.js';
import { originOf } from '../../plugins/request-context.js';
import { member, staffOf } from '../../plugins/route-access.js';
import { problem } from '../auth/index.js';
import type { PersonBooking } from '../bookings/index.js';
import type { DataExportService } from './data-export.service.js';
import { type AppointmentInput, everythingBundle } from './fhir.js';
import type { ProfileService } from './profile.service.js';
import { buildStatement, statementYears } from './statement.js';
import { statementCsv, statementPdf } from './statement-files.js';

const tags = ['profile'];

function download(reply: FastifyReply, type: string, name: string, body: Buffer | string | Readable) {
  return reply
    .header('content-type', type)
    .header('content-disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .send(body);
}

/** A FHIR R4 Bundle (searchset): the OpenAPI document names its shape; the resources are FHIR's own. */
const FhirBundle = Type.Object(
  {
    resourceType: Type.Literal('Bundle'),
    type: Type.Literal('searchset'),
    timestamp: Type.String(),
    total: Type.Integer(),
    entry: Type.Array(
      Type.Object(
        {
          fullUrl: Type.String(),
          resource: Type.Object(
            { resourceType: Type.String(), id: Type.String() },
            {
              additionalProperties: true,
              description: 'Patient | Coverage | Claim | ClaimResponse | Appointment (FHIR R4)',
            },
          ),
          search: Type.Object({ mode: Type.String() }),
        },
        { additionalProperties: true },
      ),
    ),
  },
  { description: 'FHIR R4 Bundle (https://hl7.org/fhir/R4/bundle.html)' },
);

export const profileRoutes: FastifyPluginAsyncTypebox<{
  profile: ProfileService;
  exports: DataExportService;
}> = async (app, { profile, exports }) => {
  const FORM_LIMIT = { rateLimit: { max: app.config.formRateLimitPerMinute, timeWindow: 60_000 } };

  app.get(
    '/api/v1/profile',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'The member’s profile',
        response: { 200: ProfileView, ...errorResponses(401, 403) },
      },
    },
    async (request) => profile.view(member(request).account),
  );

  app.put(
    '/api/v1/profile/contacts',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'Phone and preferred language (the portal and every email follow it)',
        body: ContactsRequest,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      await profile.updateContacts(member(request).account, request.body, originOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/profile/email',
    {
      config: { access: 'member', ...FORM_LIMIT },
      schema: {
        tags,
        summary: 'Ask to change the email: a link goes to the new address, a notice to the current one',
        body: EmailChangeRequest,
        response: {
          202: Type.Object({ status: Type.Literal('received') }),
          ...errorResponses(400, 401, 403, 429),
        },
      },
    },
    async (request, reply) => {
      await profile.requestEmailChange(member(request).account, request.body.email, originOf(request));
      return reply.code(202).send({ status: 'received' as const });
    },
  );

  app.post(
    '/api/v1/profile/email/confirm',
    {
      config: { access: 'public', ...FORM_LIMIT },
      schema: {
        tags,
        summary: 'Confirm the new email with the link sent to it (once, within 24 hours)',
        body: TokenRequest,
        response: { 204: Type.Null(), ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      await profile.confirmEmailChange(request.body.token, originOf(request));
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/api/v1/profile/iban',
    {
      config: { access: 'member', ...FORM_LIMIT },
      schema: {
        tags,
        summary:
          'Change the reimbursement IBAN: the password again (or the authenticator code when on); the account’s email is told at once',
        body: IbanChangeRequest,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      await profile.changeIban(member(request), request.body, originOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/profile/iban/report',
    {
      config: { access: 'public', ...FORM_LIMIT },
      schema: {
        tags,
        summary: '"It was not me": freezes the IBAN and ends every session (the link of the notice email)',
        body: TokenRequest,
        response: { 204: Type.Null(), ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      await profile.reportIbanChange(request.body.token, originOf(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/profile/sessions',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'The member’s active sessions (device, times, the current one marked)',
        response: { 200: SessionsResponse, ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ sessions: await profile.sessions(member(request)) }),
  );

  app.delete(
    '/api/v1/profile/sessions/:id',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'Sign out one device',
        params: Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{22}$' }) }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await profile.endSession(member(request), request.params.id, originOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/profile/sessions/end-others',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'Sign out every other device',
        response: { 200: Type.Object({ ended: Type.Integer() }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ ended: await profile.endOtherSessions(member(request), originOf(request)) }),
  );

  app.post(
    '/api/v1/profile/two-factor/start',
    {
      config: { access: 'member', ...FORM_LIMIT },
      schema: {
        tags,
        summary: 'Start two-step verification (password asked): the key and its QR code',
        body: TotpStartRequest,
        response: { 200: TotpStartResponse, ...errorResponses(400, 401, 403, 409, 429) },
      },
    },
    async (request) =>
      app.memberTwoFactor.start(member(request).account, request.body.password, originOf(request)),
  );

  app.post(
    '/api/v1/profile/two-factor/confirm',
    {
      config: { access: 'member', ...FORM_LIMIT },
      schema: {
        tags,
        summary: 'Turn two-step verification on with a first code: 10 recovery codes, shown once',
        body: TotpConfirmRequest,
        response: { 200: TotpConfirmResponse, ...errorResponses(400, 401, 403, 409, 429) },
      },
    },
    async (request) => ({
      recoveryCodes: await app.memberTwoFactor.confirm(
        member(request).account,
        request.body.code,
        originOf(request),
      ),
    }),
  );

  app.post(
    '/api/v1/profile/two-factor/disable',
    {
      config: { access: 'member', ...FORM_LIMIT },
      schema: {
        tags,
        summary: 'Turn two-step verification off: only with a current authenticator code',
        body: TotpDisableRequest,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      await app.memberTwoFactor.disable(member(request).account, request.body.code, originOf(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/profile/access-log',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'Every time a staff member opened the member’s data (role, when, what)',
        response: { 200: AccessLogResponse, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const { account } = member(request);
      const records = await app.claims.memberRecords(account);
      return {
        entries: await profile.accessLog(
          account,
          records.persons.map((p) => p.id),
        ),
      };
    },
  );

  // ── the yearly statement ───────────────────────────────────────────────────────────────────
  const statementFor = async (request: Parameters<typeof member>[0], year: number) => {
    const { account } = member(request);
    const records = await app.claims.memberRecords(account);
    const current = Number(app.clock.now().toISOString().slice(0, 4));
    const years = statementYears(records, current, PROFILE_LIMITS.firstStatementYear);
    if (!years.includes(year)) throw new AppError('VALIDATION_FAILED', [problem('year', 'year_invalid')]);
    return buildStatement(records, year, years);
  };

  app.get(
    '/api/v1/profile/statement',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'The yearly statement: per covered person, expenses sent, reimbursed and left to the member',
        querystring: StatementQuery,
        response: { 200: StatementResponse, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => statementFor(request, request.query.year),
  );

  for (const format of ['pdf', 'csv'] as const) {
    app.get(
      `/api/v1/profile/statement.${format}`,
      {
        config: { access: 'member' },
        schema: {
          tags,
          summary: `The yearly statement as ${format.toUpperCase()}`,
          querystring: StatementQuery,
          response: { ...errorResponses(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const statement = await statementFor(request, request.query.year);
        // The member's language (profile), as the portal and the emails.
        const locale = member(request).account.locale === 'en' ? 'en' : 'it';
        const name = `rendiconto-${statement.year}.${format}`;
        if (format === 'csv')
          return download(reply, 'text/csv; charset=utf-8', name, statementCsv(statement, locale));
        const pdf = await statementPdf(statement, locale, app.config.fund.name, app.clock.now());
        return download(reply, 'application/pdf', name, Buffer.from(pdf));
      },
    );
  }

  // ── all my data ────────────────────────────────────────────────────────────────────────────
  app.get(
    '/api/v1/profile/data-export',
    {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'The member’s latest data export and its progress',
        response: { 200: DataExportResponse, ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ export: await exports.latest(member(request).account) }),
  );

  app.post(
    '/api/v1/profile/data-export',
    {
      config: { access: 'member', ...FORM_LIMIT },
      schema: {
        tags,
        summary: '"SCARICA I MIEI DATI": prepare a ZIP in the background; a link follows by email',
        response: { 202: DataExportResponse, ...errorResponses(401, 403, 409, 429) },
      },
    },
    async (request, reply) =>
      reply.code(202).send({ export: await exports.request(member(request).account, originOf(request)) }),
  );

  app.get(
    '/api/v1/profile/data-export/:id/download',
    {
      config: { access: 'public', ...FORM_LIMIT },
      schema: {
        tags,
        summary: 'The export ZIP, with the emailed link’s token: valid 24 hours, usable once',
        params: Type.Object({ id: Id() }),
        querystring: DataExportDownloadQuery,
        response: { ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      const { stream } = await exports.download(request.params.id, request.query.token, originOf(request));
      return download(reply, 'application/zip', 'onecare-miei-dati.zip', stream);
    },
  );

  // ── FHIR R4 export for the fund's other systems ─────────────────────────────────────────────
  app.get(
    '/api/v1/staff/fhir/Patient/:id/$everything',
    {
      config: { access: { staff: ['administrator'] } },
      schema: {
        tags: ['fhir'],
        summary:
          'FHIR R4 $everything for one member: Patient, Coverage, Claim, ClaimResponse, Appointment (read as sensitive_read)',
        params: Type.Object({ id: Id() }),
        response: { 200: FhirBundle, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { staff } = staffOf(request);
      const records = await app.claims.personRecords(request.params.id);
      const person = records?.persons[0];
      if (!records || !person) throw new AppError('NOT_FOUND');
      const plan = await app.db
        .selectFrom('plans')
        .select('code')
        .where('id', '=', person.planId)
        .executeTakeFirst();
      await app.audit.record(app.db, originOf(request), {
        event: 'sensitive_read',
        outcome: 'success',
        actorType: 'staff',
        actorId: staff.id,
        subjectId: person.id,
        details: { what: 'fhir_everything' },
      });
      const now = app.clock.now();
      const appointments = (await app.bookings.forPersons([person.id])).map((b) => appointmentInput(b));
      const bundle = everythingBundle(
        records,
        person.id,
        {
          planCode: plan?.code ?? '',
          fundName: app.config.fund.name,
          today: now.toISOString().slice(0, 10),
          baseUrl: `${app.config.publicUrl.origin}/api/v1/staff/fhir`,
          at: now.toISOString(),
        },
        appointments,
      );
      // The schema names the Bundle's outline; the resources are FHIR's own types (@medplum/fhirtypes).
      return reply
        .header('content-type', 'application/fhir+json; charset=utf-8')
        .send(bundle as unknown as Static<typeof FhirBundle>);
    },
  );
};

/** The length a booked visit is given in FHIR (start and end go together): the desk sets a start only. */
const VISIT_MINUTES = 30;
const APPOINTMENT_STATE: Record<PersonBooking['state'], AppointmentInput['status']> = {
  requested: 'requested',
  proposed: 'requested',
  confirmed: 'confirmed',
  performed: 'done',
  cancelled: 'cancelled',
  rejected: 'cancelled',
};

/** A booking as the FHIR Appointment mapping reads it. */
function appointmentInput(b: PersonBooking): AppointmentInput {
  return {
    id: b.id,
    patientId: b.beneficiaryId,
    status: APPOINTMENT_STATE[b.state],
    start: b.startAt,
    end: b.startAt ? new Date(Date.parse(b.startAt) + VISIT_MINUTES * 60_000).toISOString() : null,
    serviceText: CATEGORY_LABELS[b.service].en,
    facilityName: b.facilityName,
    createdAt: b.createdAt,
  };
}
