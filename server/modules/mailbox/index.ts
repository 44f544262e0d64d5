import type { FastifyPluginAsync } from 'fastify';
import { MailboxRepository } from './mailbox.repository.js';
import { mailboxRoutes } from './mailbox.routes.js';
import { MailboxService } from './mailbox.service.js';

/**
 * The built-in mailbox of the embedded mode: the emails the `capture` transport kept. Mounted only
 * when MAIL_TRANSPORT=capture, which the configuration allows only when HOST and PUBLIC_URL are
 * loopback; it shows every email to whoever opens it, so it is for trying the portal on one
 * machine, never for production (decisions 005 and 028).
 */
export const mailboxModule: FastifyPluginAsync = async (app) => {
  await app.register(mailboxRoutes, { mailbox: new MailboxService(app.db, new MailboxRepository()) });
};
