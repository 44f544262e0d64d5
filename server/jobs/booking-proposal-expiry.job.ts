import type { FastifyBaseLogger } from 'fastify';
import type { BookingsApi } from '../modules/bookings/index.js';
import type { ScheduledJob } from './job-runner.js';

export const BOOKING_PROPOSAL_EXPIRY_JOB = 'booking-proposal-expiry';
export const BOOKING_PROPOSAL_EXPIRY_EVERY_MS = 15 * 60_000;

/**
 * Slots the desk proposed and the member did not answer by the deadline go back to the desk
 * (`requested`, decision 044); the member gets the news email. The log line has a count only.
 */
export function bookingProposalExpiryJob(d: {
  bookings: Pick<BookingsApi, 'expireProposals'>;
  log: FastifyBaseLogger;
}): ScheduledJob {
  return {
    name: BOOKING_PROPOSAL_EXPIRY_JOB,
    everyMs: BOOKING_PROPOSAL_EXPIRY_EVERY_MS,
    async run(now) {
      const expired = await d.bookings.expireProposals(now);
      d.log.info(
        { job: BOOKING_PROPOSAL_EXPIRY_JOB, expired },
        'unanswered booking proposals returned to the desk',
      );
    },
  };
}
