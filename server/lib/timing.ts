import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs `work` and settles (with its result or its error) no sooner than `floorMs` after the call,
 * in real time (not the app's clock: the point is what a client can measure). For answers whose
 * duration must not depend on what the work found, e.g. whether an account exists.
 */
export async function noSoonerThan<T>(floorMs: number, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    const left = floorMs - (performance.now() - start);
    if (left > 0) await sleep(left);
  }
}
