import { describe, expect, it } from 'vitest';
import { failureNotice, lockDurationMs, lockEnd } from './account-lock.js';

const MIN = 60_000;

describe('account locks', () => {
  it('last 15 minutes, then twice as long each time, at most a day', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => lockDurationMs(n) / MIN)).toEqual([
      15, 30, 60, 120, 240, 480, 960, 1440,
    ]);
    expect(lockDurationMs(40)).toBe(1440 * MIN);
  });

  it('end by themselves', () => {
    const at = '2026-12-03T10:00:00.000Z';
    expect(lockEnd(null, 20, 20, new Date(at))).toBeUndefined();
    expect(lockEnd(at, 20, 20, new Date('2026-12-03T10:14:59.000Z'))?.toISOString()).toBe(
      '2026-12-03T10:15:00.000Z',
    );
    expect(lockEnd(at, 20, 20, new Date('2026-12-03T10:15:00.000Z'))).toBeUndefined();
    expect(lockEnd(at, 41, 20, new Date('2026-12-03T10:29:00.000Z'))).toBeDefined();
  });

  it('tell the owner once per burst: at the 5th failure and when a lock begins', () => {
    const told = Array.from({ length: 45 }, (_, i) => i + 1).filter((n) => failureNotice(n, 20));
    expect(told).toEqual([5, 20, 40]);
  });
});
