import { REPORT_LIMITS, type ReportRange, type ReportRangeQuery } from '#contracts/reports.js';
import { AppError } from '../../errors/app-error.js';

/**
 * Months as the reports count them (`YYYY-MM`, in Italian time): pure, no clock, no database.
 * A claim decided at 23:30 UTC on 31 January was decided on 1 February in Rome, and counts there.
 */

const ROME = 'Europe/Rome';
const romeParts = new Intl.DateTimeFormat('en-US', {
  timeZone: ROME,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The wall clock in Rome at an instant, as the UTC milliseconds of the same digits. */
function romeWallClock(utcMs: number): number {
  const part: Record<string, number> = {};
  for (const p of romeParts.formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal') part[p.type] = Number(p.value);
  }
  return Date.UTC(
    part.year ?? 1970,
    (part.month ?? 1) - 1,
    part.day ?? 1,
    part.hour ?? 0,
    part.minute ?? 0,
    part.second ?? 0,
  );
}

/** The Italian month of an ISO instant: `2026-01-31T23:30:00.000Z` → `2026-02`. */
export function romeMonth(instant: string): string {
  return new Date(romeWallClock(Date.parse(instant))).toISOString().slice(0, 7);
}

/** The month after: `2026-12` → `2027-01`. */
export function nextMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

/** Months from `from` to `to`, both included (`to` before `from`: 0 or less). */
export function monthCount(from: string, to: string): number {
  const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
  return index(to) - index(from) + 1;
}

/** Every month from `from` to `to`, both included. */
export function monthsOf(range: ReportRange): string[] {
  const months: string[] = [];
  for (let m = range.from; months.length < monthCount(range.from, range.to); m = nextMonth(m)) months.push(m);
  return months;
}

/**
 * The instant a month starts in Rome, as ISO UTC: `2026-01` → `2025-12-31T23:00:00.000Z`,
 * `2026-07` → `2026-06-30T22:00:00.000Z`. (Daylight saving never changes at midnight on the first.)
 */
export function monthStart(month: string): string {
  const guess = Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1);
  const offset = romeWallClock(guess) - guess;
  return new Date(guess - offset).toISOString();
}

/** The range's bounds as instants (`[start, end)`) and as dates (`[firstDay, endDay)`), for queries. */
export function rangeBounds(range: ReportRange) {
  const after = nextMonth(range.to);
  return {
    start: monthStart(range.from),
    end: monthStart(after),
    firstDay: `${range.from}-01`,
    endDay: `${after}-01`,
  };
}

/**
 * The range a query asks for: a year, or a first and a last month (both needed), or else the
 * year of `today` (`YYYY-MM-DD`, Italian). Refused: a year with months, only one of the months,
 * the last before the first, more than REPORT_LIMITS.maxMonths.
 */
export function resolveRange(query: ReportRangeQuery, today: string): ReportRange {
  const { year, from, to } = query;
  if (year !== undefined && (from !== undefined || to !== undefined)) {
    throw new AppError('VALIDATION_FAILED', [{ field: 'year', code: 'range_conflict' }]);
  }
  if (from === undefined && to === undefined) {
    const y = year ?? Number(today.slice(0, 4));
    return { from: `${y}-01`, to: `${y}-12` };
  }
  if (from === undefined || to === undefined) {
    throw new AppError('VALIDATION_FAILED', [
      { field: from === undefined ? 'from' : 'to', code: 'required' },
    ]);
  }
  const months = monthCount(from, to);
  if (months < 1) throw new AppError('VALIDATION_FAILED', [{ field: 'to', code: 'range_reversed' }]);
  if (months > REPORT_LIMITS.maxMonths) {
    throw new AppError('VALIDATION_FAILED', [
      { field: 'to', code: 'range_too_long', params: { max: REPORT_LIMITS.maxMonths } },
    ]);
  }
  return { from, to };
}
