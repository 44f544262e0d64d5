import { TZDate } from '@date-fns/tz';
import { BOOKING_LIMITS, DAY_PART_HOURS, type DayPart } from '#contracts/bookings.codes.js';
import { italianToday } from '../../lib/text.js';
import { addDays, easterSunday } from '../payments/index.js';

/**
 * Days and times of bookings (decision 046): Italian working days and public holidays, and the
 * member's windows and the desk's slots, which are wall-clock times in Europe/Rome, turned into
 * UTC instants. Pure: the caller passes "now".
 */

export const ROME = 'Europe/Rome';

/** National public holidays, as MM-DD, besides Easter Sunday and Monday. */
const FIXED_HOLIDAYS = [
  '01-01',
  '01-06',
  '04-25',
  '05-01',
  '06-02',
  '08-15',
  '11-01',
  '12-08',
  '12-25',
  '12-26',
];

/** An Italian national public holiday: the fixed ones, Easter Sunday and Easter Monday (Pasquetta). */
export function isItalianHoliday(date: string): boolean {
  if (FIXED_HOLIDAYS.includes(date.slice(5))) return true;
  const easter = easterSunday(Number(date.slice(0, 4)));
  return date === easter || date === addDays(easter, 1);
}

/** Monday to Friday and not a public holiday. */
export function isWorkingDay(date: string): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !isItalianHoliday(date);
}

/** The first working day after `date`. */
export function nextWorkingDay(date: string): string {
  let day = addDays(date, 1);
  while (!isWorkingDay(day)) day = addDays(day, 1);
  return day;
}

/** The public holidays between two dates (inclusive): what the date picker marks. */
export function holidaysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) if (isItalianHoliday(day)) days.push(day);
  return days;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

function isRealDate(date: string): boolean {
  const m = DATE.exec(date);
  if (!m) return false;
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

/**
 * The UTC instant of a wall-clock time in Rome, or null when that time does not exist (the hour
 * skipped on the last Sunday of March). A time that happens twice (the last Sunday of October)
 * is the first of the two, still in summer time.
 */
export function romeInstant(date: string, time: string): Date | null {
  const d = DATE.exec(date);
  const t = TIME.exec(time);
  if (!d || !t || !isRealDate(date)) return null;
  const [year, month, day, hour, minute] = [
    Number(d[1]),
    Number(d[2]),
    Number(d[3]),
    Number(t[1]),
    Number(t[2]),
  ];
  // Try both offsets Rome uses and keep the earliest that reads back as the same wall clock.
  const candidates = [2, 1]
    .map((offset) => new Date(Date.UTC(year, month - 1, day, hour - offset, minute)))
    .filter((instant) => romeWallClock(instant) === `${date}T${time}`);
  return candidates[0] ?? null;
}

/** `YYYY-MM-DDTHH:MM`, the wall clock in Rome at an instant. */
export function romeWallClock(instant: Date): string {
  const local = new TZDate(instant.getTime(), ROME);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}T${pad(local.getHours())}:${pad(local.getMinutes())}`;
}

/** The instant as a TZDate in Rome (what the calendar file is written from). */
export function inRome(instant: Date): TZDate {
  return new TZDate(instant.getTime(), ROME);
}

/** A preferred window as the member gives it: a day and a part of the day, or a time range. */
export interface BookingWindow {
  date: string;
  part?: DayPart;
  from?: string;
  to?: string;
}

/** A window checked: its wall-clock range and its UTC instants. */
export interface CheckedWindow {
  date: string;
  part: DayPart | null;
  from: string;
  to: string;
  startsAt: string;
  endsAt: string;
}

export type WindowProblem =
  | 'booking_window_invalid'
  | 'booking_window_past'
  | 'booking_window_too_soon'
  | 'booking_window_not_working_day'
  | 'booking_window_too_far'
  | 'booking_window_duplicate';

/**
 * Checks a member's windows against "now": a real day, a part of the day or a range with `from`
 * before `to`; not in the past; on a working day at least one working day after today (Rome's
 * today, not UTC's); within BOOKING_LIMITS.maxDaysAhead; no window twice. Returns the checked
 * windows or the problems by index.
 */
export function checkWindows(
  windows: BookingWindow[],
  now: Date,
):
  | { ok: true; windows: CheckedWindow[] }
  | { ok: false; problems: { index: number; code: WindowProblem }[] } {
  const today = italianToday(now);
  const earliest = nextWorkingDay(today);
  const latest = addDays(today, BOOKING_LIMITS.maxDaysAhead);
  const problems: { index: number; code: WindowProblem }[] = [];
  const checked: CheckedWindow[] = [];
  const seen = new Set<string>();
  windows.forEach((w, index) => {
    const range = w.part ? DAY_PART_HOURS[w.part] : w.from && w.to ? { from: w.from, to: w.to } : null;
    if (!isRealDate(w.date) || !range || (w.part && (w.from || w.to))) {
      problems.push({ index, code: 'booking_window_invalid' });
      return;
    }
    const start = romeInstant(w.date, range.from);
    const end = romeInstant(w.date, range.to);
    if (!start || !end || end <= start) {
      problems.push({ index, code: 'booking_window_invalid' });
      return;
    }
    const key = `${w.date} ${range.from}-${range.to}`;
    let code: WindowProblem | null = null;
    if (start <= now) code = 'booking_window_past';
    else if (!isWorkingDay(w.date)) code = 'booking_window_not_working_day';
    else if (w.date < earliest) code = 'booking_window_too_soon';
    else if (w.date > latest) code = 'booking_window_too_far';
    else if (seen.has(key)) code = 'booking_window_duplicate';
    if (code) {
      problems.push({ index, code });
      return;
    }
    seen.add(key);
    checked.push({
      date: w.date,
      part: w.part ?? null,
      from: range.from,
      to: range.to,
      startsAt: start.toISOString(),
      endsAt: end.toISOString(),
    });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, windows: checked };
}

/** Whether the member may still cancel or move: up to `hours` before the start, that instant included. */
export function withinNotice(startAt: Date, now: Date, hours: number): boolean {
  return now.getTime() <= startAt.getTime() - hours * 3_600_000;
}

/** The day before a date, as the reminder job counts it (Rome's calendar). */
export function dayBefore(date: string): string {
  return addDays(date, -1);
}
