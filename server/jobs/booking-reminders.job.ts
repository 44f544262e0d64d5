import type { FastifyBaseLogger } from 'fastify';
import type { BookingsApi } from '../modules/bookings/index.js';
import type { ScheduledJob } from './job-runner.js';

export const BOOKING_REMINDERS_JOB = 'booking-reminders';
export const BOOKING_REMINDERS_EVERY_MS = 15 * 60_000;

/**
 * The reminder email the day before a confirmed appointment. Once across instances: the job runner
 * runs it on one instance at a time, and each booking's reminder is marked sent in the transaction
 * that queues it, only where still unmarked. The log line has a count only.
 */
export function bookingRemindersJob(d: {
  bookings: Pick<BookingsApi, 'sendReminders'>;
  log: FastifyBaseLogger;
}): ScheduledJob {
  return {
    name: BOOKING_REMINDERS_JOB,
    everyMs: BOOKING_REMINDERS_EVERY_MS,
    async run(now) {
      const sent = await d.bookings.sendReminders(now);
      d.log.info({ job: BOOKING_REMINDERS_JOB, sent }, 'booking reminders queued');
    },
  };
}
