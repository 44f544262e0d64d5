import { describe, expect, it } from 'vitest';
import {
  checkWindows,
  holidaysBetween,
  isItalianHoliday,
  isWorkingDay,
  nextWorkingDay,
  romeInstant,
  romeWallClock,
  withinNotice,
} from './booking-time.js';

describe('Italian working days and public holidays', () => {
  it('knows the fixed holidays, Easter Sunday and Easter Monday (computed)', () => {
    for (const day of ['2026-01-01', '2026-01-06', '2026-04-25', '2026-05-01', '2026-06-02', '2026-08-15']) {
      expect(isItalianHoliday(day), day).toBe(true);
    }
    for (const day of ['2026-11-01', '2026-12-08', '2026-12-25', '2026-12-26'])
      expect(isItalianHoliday(day)).toBe(true);
    expect(isItalianHoliday('2026-04-05')).toBe(true);
    expect(isItalianHoliday('2026-04-06')).toBe(true);
    expect(isItalianHoliday('2027-03-29')).toBe(true);
    expect(isItalianHoliday('2026-04-03')).toBe(false);
    expect(holidaysBetween('2026-04-01', '2026-04-30')).toEqual(['2026-04-05', '2026-04-06', '2026-04-25']);
  });

  it('counts Monday to Friday but holidays as working days', () => {
    expect(isWorkingDay('2026-03-27')).toBe(true);
    expect(isWorkingDay('2026-03-28')).toBe(false);
    expect(isWorkingDay('2026-04-06')).toBe(false);
    expect(nextWorkingDay('2026-04-03')).toBe('2026-04-07');
    expect(nextWorkingDay('2026-12-24')).toBe('2026-12-28');
  });
});

describe('wall-clock times in Rome', () => {
  it('turns a day and a time into the UTC instant on either side of the time changes', () => {
    expect(romeInstant('2026-03-27', '09:00')?.toISOString()).toBe('2026-03-27T08:00:00.000Z');
    expect(romeInstant('2026-03-30', '09:00')?.toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(romeInstant('2026-10-23', '09:00')?.toISOString()).toBe('2026-10-23T07:00:00.000Z');
    expect(romeInstant('2026-10-26', '09:00')?.toISOString()).toBe('2026-10-26T08:00:00.000Z');
  });

  it('refuses the hour skipped in March and takes the first of the hour doubled in October', () => {
    expect(romeInstant('2026-03-29', '02:30')).toBeNull();
    expect(romeInstant('2026-03-29', '03:00')?.toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(romeInstant('2026-10-25', '02:30')?.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(romeWallClock(new Date('2026-10-25T01:30:00.000Z'))).toBe('2026-10-25T02:30');
    expect(romeInstant('2026-02-30', '09:00')).toBeNull();
    expect(romeInstant('2026-03-30', '24:00')).toBeNull();
  });
});

describe('the member’s windows', () => {
  const friday = new Date('2026-03-27T09:00:00.000Z');

  it('accepts a working day from the next working day on, with its UTC range', () => {
    const result = checkWindows(
      [
        { date: '2026-03-30', part: 'afternoon' },
        { date: '2026-03-31', from: '07:30', to: '09:00' },
      ],
      friday,
    );
    expect(result).toEqual({
      ok: true,
      windows: [
        {
          date: '2026-03-30',
          part: 'afternoon',
          from: '14:00',
          to: '19:00',
          startsAt: '2026-03-30T12:00:00.000Z',
          endsAt: '2026-03-30T17:00:00.000Z',
        },
        {
          date: '2026-03-31',
          part: null,
          from: '07:30',
          to: '09:00',
          startsAt: '2026-03-31T05:30:00.000Z',
          endsAt: '2026-03-31T07:00:00.000Z',
        },
      ],
    });
  });

  it('says what is wrong with each window', () => {
    const result = checkWindows(
      [
        { date: '2026-03-26', part: 'morning' },
        { date: '2026-03-27', part: 'afternoon' },
        { date: '2026-03-28', part: 'morning' },
        { date: '2026-03-30', part: 'morning', from: '08:00' },
        { date: '2026-12-30', part: 'morning' },
      ],
      friday,
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        { index: 0, code: 'booking_window_past' },
        { index: 1, code: 'booking_window_too_soon' },
        { index: 2, code: 'booking_window_not_working_day' },
        { index: 3, code: 'booking_window_invalid' },
        { index: 4, code: 'booking_window_too_far' },
      ],
    });
    expect(
      checkWindows(
        [
          { date: '2026-03-30', part: 'morning' },
          { date: '2026-03-30', part: 'morning' },
        ],
        friday,
      ),
    ).toEqual({
      ok: false,
      problems: [{ index: 1, code: 'booking_window_duplicate' }],
    });
  });

  it('counts "today" in Rome: late on Friday evening UTC is already Saturday in Rome', () => {
    // 23:30 UTC on Friday 23 October = 01:30 on Saturday 24 in Rome: Monday 26 is the next working day.
    const late = new Date('2026-10-23T23:30:00.000Z');
    expect(checkWindows([{ date: '2026-10-26', part: 'morning' }], late).ok).toBe(true);
    // 21:30 UTC on Thursday 22 = 23:30 on Thursday in Rome: Friday 23 is the next working day.
    expect(
      checkWindows([{ date: '2026-10-23', part: 'afternoon' }], new Date('2026-10-22T21:30:00.000Z')).ok,
    ).toBe(true);
    // 22:30 UTC on Thursday 22 = 00:30 on Friday 23 in Rome: Friday is today, too soon.
    expect(
      checkWindows([{ date: '2026-10-23', part: 'afternoon' }], new Date('2026-10-22T22:30:00.000Z')),
    ).toEqual({
      ok: false,
      problems: [{ index: 0, code: 'booking_window_too_soon' }],
    });
  });
});

describe('the cancellation notice', () => {
  it('is real hours before the start, the limit itself included, across a time change', () => {
    const start = new Date('2026-03-30T07:00:00.000Z');
    expect(withinNotice(start, new Date('2026-03-28T07:00:00.000Z'), 48)).toBe(true);
    expect(withinNotice(start, new Date('2026-03-28T07:00:00.001Z'), 48)).toBe(false);
    expect(withinNotice(start, new Date('2026-03-30T06:59:59.999Z'), 0)).toBe(true);
  });
});
