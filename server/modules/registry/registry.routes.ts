import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '#contracts/common.js';
import { FamilyMember } from '#contracts/registry.js';
import { member } from '../../plugins/route-access.js';
import type { RegistryAdminService } from './registry-admin.service.js';

/** What a member reads of the registry: the family covered with them, on the dashboard. */
export const registryRoutes: FastifyPluginAsyncTypebox<{ registry: RegistryAdminService }> = async (
  app,
  { registry },
) => {
  app.get(
    '/api/v1/me/family',
    {
      config: { access: 'member' },
      schema: {
        tags: ['members'],
        summary: 'The family members covered with the logged-in member',
        response: { 200: Type.Object({ family: Type.Array(FamilyMember) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ family: await registry.familyOf(member(request).account.registry_member_id) }),
  );
};
