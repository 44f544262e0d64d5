import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ById } from '#contracts/common.js';
import { sendError } from '../../errors/error-handler.js';
import { listPage, MAILBOX_CSS, messagePage } from './mailbox.pages.js';
import { MailboxRepository } from './mailbox.repository.js';

/**
 * The built-in mailbox of the embedded mode: the emails the `capture` transport kept. Mounted only
 * when MAIL_TRANSPORT=capture, which the configuration allows only when HOST and PUBLIC_URL are
 * loopback; it shows every email to whoever opens it, so it is for trying the portal on one
 * machine, never for production (decisions 005 and 028).
 */
export const mailboxModule: FastifyPluginAsyncTypebox = async (app) => {
  const repository = new MailboxRepository();
  const hide = { hide: true };

  app.get('/dev/mailbox/mailbox.css', { schema: hide }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(MAILBOX_CSS),
  );

  app.get(
    '/dev/mailbox',
    { schema: { ...hide, querystring: Type.Object({ to: Type.Optional(Type.String({ maxLength: 320 })) }) } },
    async (request, reply) => {
      const to = request.query.to?.trim() || undefined;
      const emails = await repository.list(app.db, 200, to);
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(listPage(emails, to));
    },
  );

  app.get('/dev/mailbox/:id', { schema: { ...hide, params: ById } }, async (request, reply) => {
    const email = await repository.find(app.db, request.params.id);
    if (!email) return sendError(request, reply, 'NOT_FOUND');
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(messagePage(email));
  });

  // The email's own HTML, in a sandbox: no script runs, nothing is fetched but inline images.
  app.get('/dev/mailbox/:id/html', { schema: { ...hide, params: ById } }, async (request, reply) => {
    const email = await repository.find(app.db, request.params.id);
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
