import fp from 'fastify-plugin';
import { captchaRoutes } from './captcha.routes.js';
import { CaptchaService } from './captcha.service.js';

export type { CaptchaResult, CaptchaService } from './captcha.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The self-hosted proof-of-work captcha: the forms and the login throttles verify with it. */
    captcha: CaptchaService;
  }
}

/** The captcha: `app.captcha` for the modules whose forms ask for it, and the challenge route. */
export const captchaModule = fp(
  async (app) => {
    const captcha = new CaptchaService(app.db, app.clock, app.config.sessionSecret, app.config.captchaCost);
    app.decorate('captcha', captcha);
    await app.register(captchaRoutes, { captcha });
  },
  { name: 'captcha', decorators: { fastify: ['db', 'clock', 'config'] } },
);
