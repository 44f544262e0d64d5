import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../../contracts/common.js';
import { requireMember } from '../auth/member-guard.js';
import { MAX_PAGE_SIZE, NetworkService } from './network.service.js';
import { SERVICE_CODES } from './network.table.js';

const ServiceCode = Type.Enum(SERVICE_CODES);

const FacilitySearchQuery = Type.Object({
  service: Type.Optional(ServiceCode),
  province: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$', description: 'Province sigla, e.g. MI' })),
  city: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  cap: Type.Optional(
    Type.String({
      pattern: '^[0-9]{2,5}$',
      description:
        'Five digits: sort by distance from this CAP (a CAP we do not know answers 400). ' +
        '2 to 4 digits: only facilities whose CAP starts with them',
    }),
  ),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90, description: 'With lon: sort by distance' })),
  lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 }),
});

const FacilityItem = Type.Object({
  id: Type.String(),
  name: Type.String(),
  address: Type.String(),
  city: Type.String(),
  province: Type.String(),
  cap: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  latitude: Type.Number(),
  longitude: Type.Number(),
  services: Type.Array(ServiceCode),
  distanceKm: Type.Optional(Type.Number({ description: 'Km from the CAP or point given, one decimal' })),
});

const FacilitySearchResponse = Type.Object({
  items: Type.Array(FacilityItem),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  reference: Type.Optional(
    Type.Object({
      latitude: Type.Number(),
      longitude: Type.Number(),
      town: Type.Optional(Type.String({ description: 'The town a CAP was resolved to' })),
      cap: Type.Optional(Type.String()),
    }),
  ),
});

const ServicesResponse = Type.Object({
  services: Type.Array(
    Type.Object({ code: ServiceCode, labels: Type.Object({ it: Type.String(), en: Type.String() }) }),
  ),
});

const summary =
  'Facilities of the network, filtered by service, province, city or CAP; by distance from a CAP or a point, else by name';

/** The provider network: the member search, the same search for the back office, the service catalogue. */
export const networkModule: FastifyPluginAsyncTypebox = async (app) => {
  const network = new NetworkService(app.db);

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
    async () => ({ services: network.services() }),
  );

  app.get(
    '/api/v1/network/facilities',
    {
      config: { access: 'member' },
      preValidation: requireMember(),
      schema: {
        tags: ['network'],
        summary,
        querystring: FacilitySearchQuery,
        response: { 200: FacilitySearchResponse, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => network.search(request.query),
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
    async (request) => network.search(request.query),
  );
};
