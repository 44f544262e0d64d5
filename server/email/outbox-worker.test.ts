import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './outbox-worker.js';

describe('retry delays', () => {
  it('double from 10 s and stop growing at one hour', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, mid))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(retryDelayMs(20, mid)).toBe(3_600_000);
    expect(retryDelayMs(200, mid)).toBe(3_600_000);
  });

  it('spread by ±20% so that instances do not retry in step', () => {
    expect(retryDelayMs(1, () => 0)).toBe(8_000);
    expect(retryDelayMs(1, () => 1)).toBe(12_000);
  });

  it('cover more than a day with the default 40 attempts, so a long SMTP outage loses nothing', () => {
    const total = Array.from({ length: 39 }, (_, i) => retryDelayMs(i + 1, () => 0)).reduce(
      (a, b) => a + b,
      0,
    );
    expect(total).toBeGreaterThan(24 * 3_600_000);
  });
});
