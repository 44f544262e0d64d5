import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { CaptchaService } from './captcha.service.js';

/** The "Non sono un robot" challenge for the ALTCHA widget. */
export const captchaRoutes: FastifyPluginAsyncTypebox<{ captcha: CaptchaService }> = async (
  app,
  { captcha },
) => {
  app.get(
    '/api/v1/captcha/challenge',
    {
      config: { access: 'public', rateLimit: { max: 60, timeWindow: 60_000 } },
      schema: {
        tags: ['auth'],
        summary: 'A signed proof-of-work challenge (ALTCHA v2) valid for 10 minutes',
        response: {
          200: Type.Object({
            parameters: Type.Record(Type.String(), Type.Unknown()),
            signature: Type.Optional(Type.String()),
          }),
        },
      },
    },
    async () => captcha.challenge(),
  );
};
