import { describe, expect, it } from 'vitest';
import { CLAIM_LIMITS } from '#contracts/claims.codes.js';
import {
  addDays,
  coveredInYear,
  coveredOn,
  dayNumber,
  italianDayStart,
  reminderWindow,
} from './claim-dates.js';

describe('claim dates', () => {
  it('counts days between dates, across months, leap days and the summer time change', () => {
    expect(dayNumber('2026-03-30') - dayNumber('2026-03-28')).toBe(2);
    expect(dayNumber('2024-03-01') - dayNumber('2024-02-28')).toBe(2);
    expect(dayNumber('2026-01-01') - dayNumber('2025-12-31')).toBe(1);
  });

  it('adds days, forwards and backwards', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-12-20', 30)).toBe('2027-01-19');
  });

  it('is covered on a day from the start to the end, both included; no end is open', () => {
    const ended = { coverage_start: '2025-03-01', coverage_end: '2026-02-28' };
    expect(coveredOn(ended, '2025-02-28')).toBe(false);
    expect(coveredOn(ended, '2025-03-01')).toBe(true);
    expect(coveredOn(ended, '2026-02-28')).toBe(true);
    expect(coveredOn(ended, '2026-03-01')).toBe(false);
    expect(coveredOn({ coverage_start: '2025-03-01', coverage_end: null }, '2099-01-01')).toBe(true);
  });

  it('is covered in a year when covered on at least one of its days', () => {
    const ended = { coverage_start: '2025-12-31', coverage_end: '2026-01-01' };
    expect(coveredInYear(ended, 2024)).toBe(false);
    expect(coveredInYear(ended, 2025)).toBe(true);
    expect(coveredInYear(ended, 2026)).toBe(true);
    expect(coveredInYear(ended, 2027)).toBe(false);
    expect(coveredInYear({ coverage_start: '2025-12-31', coverage_end: null }, 2030)).toBe(true);
  });
});

describe('reminder window', () => {
  const claim = {
    state: 'in_review' as const,
    submitted_at: '2026-01-05T09:00:00.000Z',
    created_at: '2026-01-04T09:00:00.000Z',
    last_reminder_at: null,
  };
  const inReview = [{ to_state: 'in_review' as const, at: '2026-01-10T09:00:00.000Z' }];
  const firstOn = addDays('2026-01-10', CLAIM_LIMITS.reminderAfterDays);

  it('opens after the days in review, counted from the first move to review', () => {
    expect(reminderWindow(claim, inReview, addDays(firstOn, -1))).toEqual({
      canRemind: false,
      reminderAvailableOn: firstOn,
    });
    expect(reminderWindow(claim, inReview, firstOn)).toEqual({
      canRemind: true,
      reminderAvailableOn: firstOn,
    });
  });

  it('counts from the submission when no move to review is recorded', () => {
    expect(reminderWindow(claim, [], '2026-01-05').reminderAvailableOn).toBe(
      addDays('2026-01-05', CLAIM_LIMITS.reminderAfterDays),
    );
  });

  it('after a reminder, opens again only after the days between reminders', () => {
    const reminded = { ...claim, last_reminder_at: '2026-03-01T10:00:00.000Z' };
    const next = addDays('2026-03-01', CLAIM_LIMITS.reminderEveryDays);
    expect(reminderWindow(reminded, inReview, addDays(next, -1))).toEqual({
      canRemind: false,
      reminderAvailableOn: next,
    });
    expect(reminderWindow(reminded, inReview, next).canRemind).toBe(true);
  });

  it('reads the reminder day in Italian time (late evening UTC is the next day in Rome)', () => {
    const reminded = { ...claim, last_reminder_at: '2026-03-01T23:30:00.000Z' };
    expect(reminderWindow(reminded, inReview, '2026-04-01').reminderAvailableOn).toBe(
      addDays('2026-03-02', CLAIM_LIMITS.reminderEveryDays),
    );
  });

  it('is closed outside the review', () => {
    expect(reminderWindow({ ...claim, state: 'submitted' }, inReview, '2027-01-01')).toEqual({
      canRemind: false,
      reminderAvailableOn: null,
    });
  });
});

describe('italianDayStart', () => {
  it('is midnight in Rome, in winter and in summer time, and around the changes', () => {
    expect(italianDayStart('2026-01-15').toISOString()).toBe('2026-01-14T23:00:00.000Z');
    expect(italianDayStart('2026-07-15').toISOString()).toBe('2026-07-14T22:00:00.000Z');
    // The last Sunday of March and of October 2026: the day starts before the change (03:00 / 02:00).
    expect(italianDayStart('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(italianDayStart('2026-03-30').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(italianDayStart('2026-10-25').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(italianDayStart('2026-10-26').toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });
});
