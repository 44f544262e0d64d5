import fp from 'fastify-plugin';
import type { PersonBooking } from './bookings.repository.js';
import { bookingsRoutes } from './bookings.routes.js';
import { BookingsService } from './bookings.service.js';
import { bookingsDeskRoutes } from './bookings-desk.routes.js';

/**
 * What the rest of the server uses of the bookings module: its jobs, the document sweep, and the
 * bookings of some persons (the member's data export and the FHIR export read them).
 */
export type BookingsApi = Pick<BookingsService, 'sendReminders' | 'expireProposals' | 'referencedKeys'> & {
  forPersons(personIds: readonly string[]): Promise<PersonBooking[]>;
};
export type { PersonBooking } from './bookings.repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    bookings: BookingsApi;
  }
}

/**
 * Bookings in the network (forma diretta, decision 044): the member's request, the booking desk,
 * the voucher and calendar files, the facility's code check, and the direct claim after the visit
 * (made through the claims module, decision 047).
 */
export const bookingsModule = fp(
  async (app) => {
    const bookings = new BookingsService({
      db: app.db,
      dialect: app.dialect,
      clock: app.clock,
      outbox: app.outbox,
      documents: app.documents,
      claims: app.claims,
      config: app.config,
      log: app.log,
    });
    app.decorate('bookings', {
      sendReminders: (now) => bookings.sendReminders(now),
      expireProposals: (now) => bookings.expireProposals(now),
      referencedKeys: (keys) => bookings.referencedKeys(keys),
      forPersons: (personIds) => bookings.repo.forPersons(app.db, personIds),
    } satisfies BookingsApi);
    await app.register(bookingsRoutes, { bookings });
    await app.register(bookingsDeskRoutes, { bookings });
  },
  {
    name: 'bookings',
    decorators: { fastify: ['db', 'clock', 'config', 'outbox', 'documents', 'claims', 'audit'] },
  },
);
