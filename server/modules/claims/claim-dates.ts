import { CLAIM_LIMITS, type ClaimState } from '#contracts/claims.codes.js';
import { italianToday } from '../../lib/text.js';

/** Dates of claims, as `YYYY-MM-DD` strings (Italian calendar days): pure, no clock, no database. */

export const DAY_MS = 86_400_000;

/** Days since the epoch of a `YYYY-MM-DD` date. */
export function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** The instant an Italian calendar day starts (Europe/Rome: UTC+1, or UTC+2 in summer time). */
export function italianDayStart(date: string): Date {
  const midnightUtc = Date.parse(`${date}T00:00:00Z`);
  for (const hours of [2, 1]) {
    const start = new Date(midnightUtc - hours * 3_600_000);
    if (italianToday(start) === date && italianToday(new Date(start.getTime() - 1)) !== date) return start;
  }
  return new Date(midnightUtc - 3_600_000);
}

/** A person's coverage: from its start, to its end when it has one (both days included). */
export interface Coverage {
  coverage_start: string;
  coverage_end: string | null;
}

/** Covered on a day: coverage started on or before it and had not ended before it. */
export function coveredOn(person: Coverage, date: string): boolean {
  return person.coverage_start <= date && (person.coverage_end === null || person.coverage_end >= date);
}

/** Covered on at least one day of the year. */
export function coveredInYear(person: Coverage, year: number): boolean {
  return (
    person.coverage_start <= `${year}-12-31` &&
    (person.coverage_end === null || person.coverage_end >= `${year}-01-01`)
  );
}

/** When a reminder is possible: 30 days after the claim first went in review, then every 7 days. */
export function reminderWindow(
  claim: {
    state: ClaimState;
    submitted_at: string | null;
    created_at: string;
    last_reminder_at: string | null;
  },
  events: { to_state: ClaimState; at: string }[],
  today: string,
): { canRemind: boolean; reminderAvailableOn: string | null } {
  if (claim.state !== 'in_review') return { canRemind: false, reminderAvailableOn: null };
  const firstReview =
    events.find((e) => e.to_state === 'in_review')?.at ?? claim.submitted_at ?? claim.created_at;
  let from = addDays(italianToday(new Date(firstReview)), CLAIM_LIMITS.reminderAfterDays);
  if (claim.last_reminder_at) {
    const next = addDays(italianToday(new Date(claim.last_reminder_at)), CLAIM_LIMITS.reminderEveryDays);
    if (next > from) from = next;
  }
  return { canRemind: today >= from, reminderAvailableOn: from };
}
