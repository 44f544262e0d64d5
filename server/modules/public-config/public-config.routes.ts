import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PublicConfigResponse } from '#contracts/public-config.js';

/** What the web app needs before anyone logs in: support contacts and the mode it runs in. */
export const publicConfigRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/public-config',
    {
      config: { access: 'public' },
      schema: {
        tags: ['portal'],
        summary: 'Support contacts and portal mode',
        response: { 200: PublicConfigResponse },
      },
    },
    async () => ({
      supportEmail: app.config.supportEmail,
      supportPhone: app.config.supportPhone,
      mailbox: app.config.mail.transport === 'capture',
      demo: app.config.demoData,
    }),
  );
};
