import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ById } from '#contracts/common.js';
import { sendError } from '../../errors/error-handler.js';
import { listPage, MAILBOX_CSS, messagePage } from './mailbox.pages.js';
import type { MailboxService } from './mailbox.service.js';

/** The mailbox's pages: the list (optionally for one recipient), an email, its HTML in a sandbox. */
export const mailboxRoutes: FastifyPluginAsyncTypebox<{ mailbox: MailboxService }> = async (
  app,
  { mailbox },
) => {
  const hide = { hide: true };

  app.get('/dev/mailbox/mailbox.css', { schema: hide }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(MAILBOX_CSS),
  );

  app.get(
    '/dev/mailbox',
    { schema: { ...hide, querystring: Type.Object({ to: Type.Optional(Type.String({ maxLength: 320 })) }) } },
    async (request, reply) => {
      const to = request.query.to?.trim() || undefined;
      const emails = await mailbox.list(to);
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(listPage(emails, to));
    },
  );

  app.get('/dev/mailbox/:id', { schema: { ...hide, params: ById } }, async (request, reply) => {
    const email = await mailbox.find(request.params.id);
    if (!email) return sendError(request, reply, 'NOT_FOUND');
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(messagePage(email));
  });

  // The email's own HTML, in a sandbox: no script runs, nothing is fetched but inline images.
  app.get('/dev/mailbox/:id/html', { schema: { ...hide, params: ById } }, async (request, reply) => {
    const email = await mailbox.find(request.params.id);
    if (!email) return sendError(request, reply, 'NOT_FOUND');
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header(
        'content-security-policy',
        "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'",
      )
      .send(email.html_body);
  });
};
