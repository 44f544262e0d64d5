import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '#contracts/common.js';
import { FacilitySearchQuery, FacilitySearchResponse, ServicesResponse } from '#contracts/network.js';
import type { NetworkSearchService } from './network-search.service.js';

const summary =
  'Facilities of the network, filtered by service, province, city or CAP; by distance from a CAP or a point, else by name';

/** The service catalogue (public) and the facility search, for members and for the back office. */
export const networkRoutes: FastifyPluginAsyncTypebox<{ search: NetworkSearchService }> = async (
  app,
  { search },
) => {
  app.get(
    '/api/v1/network/services',
    {
      config: { access: 'public' },
      schema: {
        tags: ['network'],
        summary: 'The services a facility can offer, with Italian and English labels',
        response: { 200: ServicesResponse },
      },
    },
    async () => ({ services: search.services() }),
  );

  app.get(
    '/api/v1/network/facilities',
    {
      config: { access: 'member' },
      schema: {
        tags: ['network'],
        summary,
        querystring: FacilitySearchQuery,
        response: { 200: FacilitySearchResponse, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => search.search(request.query),
  );

  app.get(
    '/api/v1/staff/network/facilities',
    {
      config: { access: { staff: 'any' } },
      schema: {
        tags: ['staff'],
        summary,
        querystring: FacilitySearchQuery,
        response: { 200: FacilitySearchResponse, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => search.search(request.query),
  );
};
