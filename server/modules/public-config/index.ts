import type { FastifyPluginAsync } from 'fastify';
import { publicConfigRoutes } from './public-config.routes.js';

/** What the web app reads before anyone logs in. */
export const publicConfigModule: FastifyPluginAsync = async (app) => {
  await app.register(publicConfigRoutes);
};
