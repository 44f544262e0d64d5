import { afterEach, describe, expect, it, vi } from 'vitest';
import { noSoonerThan } from './timing.js';

describe('noSoonerThan', () => {
  afterEach(() => vi.useRealTimers());

  it('holds a quick answer until the floor, result or error alike', async () => {
    vi.useFakeTimers();
    let settled = false;
    const answer = noSoonerThan(250, async () => 'done').then((v) => {
      settled = true;
      return v;
    });
    await vi.advanceTimersByTimeAsync(249);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await answer).toBe('done');

    let failed = false;
    const error = noSoonerThan(250, async () => {
      throw new Error('boom');
    }).catch(() => {
      failed = true;
    });
    await vi.advanceTimersByTimeAsync(249);
    expect(failed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await error;
    expect(failed).toBe(true);
  });
});
