import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CapsResponse } from '#contracts/claim-caps.js';
import { errorResponses } from '#contracts/common.js';
import { member } from '../../plugins/route-access.js';
import type { ClaimCapsService } from './claim-caps.service.js';

/** The member dashboard's live caps (decision 043). */
export const claimCapsRoutes: FastifyPluginAsyncTypebox<{ caps: ClaimCapsService }> = async (
  app,
  { caps },
) => {
  app.get(
    '/api/v1/claims/caps',
    {
      config: { access: 'member' },
      schema: {
        tags: ['claims'],
        summary:
          'What is used and left of each cap this plan year, per person and for the family, with the amounts still in review apart',
        response: { 200: CapsResponse, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => caps.caps(member(request).account),
  );
};
