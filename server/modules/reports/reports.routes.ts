import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '#contracts/common.js';
import {
  ClaimsByStateReport,
  DecisionTimesReport,
  PaymentsReport,
  REPORT_ROLES,
  type Report,
  type ReportCsvQuery,
  ReportCsvQuery as ReportCsvQuerySchema,
  type ReportRange,
  ReportRangeQuery,
} from '#contracts/reports.js';
import { requestLocale } from '../../plugins/request-context.js';
import { claimsByStateCsv, csvFileName, decisionTimesCsv, paymentsCsv } from './report-csv.js';
import type { ReportsService } from './reports.service.js';

const tags = ['staff'];
const access = { staff: REPORT_ROLES };
const PATH = '/api/v1/staff/reports';

function sendCsv(
  request: FastifyRequest<{ Querystring: ReportCsvQuery }>,
  reply: FastifyReply,
  report: Report,
  range: ReportRange,
  toCsv: (locale: 'it' | 'en') => string,
) {
  const locale = request.query.lang ?? requestLocale(request);
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${csvFileName(report, range)}"`)
    .send(toCsv(locale));
}

/** The reports for administrators and auditors (read only): JSON for the page, CSV to download. */
export const reportsRoutes: FastifyPluginAsyncTypebox<{ reports: ReportsService }> = async (
  app,
  { reports },
) => {
  const csvSchema = (summary: string) => ({
    tags,
    summary,
    querystring: ReportCsvQuerySchema,
    produces: ['text/csv'],
    response: { 200: Type.String(), ...errorResponses(400, 401, 403) },
  });

  app.get(
    `${PATH}/claims-by-state`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Claims sent in the range (a year or months), by the state they are in now',
        querystring: ReportRangeQuery,
        response: { 200: ClaimsByStateReport, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => reports.claimsByState(request.query),
  );

  app.get(
    `${PATH}/claims-by-state.csv`,
    {
      config: { access },
      schema: csvSchema('Claims by state as CSV (semicolons, safe against formula injection)'),
    },
    async (request, reply) => {
      const report = await reports.claimsByState(request.query);
      return sendCsv(request, reply, 'claims-by-state', report.range, (l) => claimsByStateCsv(report, l));
    },
  );

  app.get(
    `${PATH}/decision-times`,
    {
      config: { access },
      schema: {
        tags,
        summary:
          'Median days from submission to decision per month, automatic and staff decisions apart, and the share decided automatically',
        querystring: ReportRangeQuery,
        response: { 200: DecisionTimesReport, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => reports.decisionTimes(request.query),
  );

  app.get(
    `${PATH}/decision-times.csv`,
    {
      config: { access },
      schema: csvSchema('Decision times as CSV (semicolons, safe against formula injection)'),
    },
    async (request, reply) => {
      const report = await reports.decisionTimes(request.query);
      return sendCsv(request, reply, 'decision-times', report.range, (l) => decisionTimesCsv(report, l));
    },
  );

  app.get(
    `${PATH}/payments`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Amounts paid per month of the value date and per category',
        querystring: ReportRangeQuery,
        response: { 200: PaymentsReport, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => reports.payments(request.query),
  );

  app.get(
    `${PATH}/payments.csv`,
    {
      config: { access },
      schema: csvSchema('Amounts paid as CSV (semicolons, safe against formula injection)'),
    },
    async (request, reply) => {
      const report = await reports.payments(request.query);
      return sendCsv(request, reply, 'payments', report.range, (l) => paymentsCsv(report, l));
    },
  );
};
