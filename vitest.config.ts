import { defineConfig } from 'vitest/config';
import { catalogueParts } from './web/build/catalogue-parts.js';

/**
 * Four tiers. `unit` is pure logic beside the code; `integration` goes through HTTP on a fresh
 * database per file (TEST_DB=sqlite|postgres chooses the dialect); `e2e` drives Chromium against
 * the built app; `cluster` runs the deploy/ topology (HAProxy, two processes). scripts/test.mjs runs
 * them in that order.
 */
// On CI a test of the integration or browser tier that fails gets one more try, and scripts/test.mjs
// lists every test that needed it, with its first failure: a shared two-core machine sometimes stalls
// a process for tens of seconds (docs/decisions/058-one-retry-on-ci.md). Locally: no retry.
const retries = process.env.CI === 'true' ? 1 : 0;

export default defineConfig({
  test: {
    root: '.',
    projects: [
      {
        // The web code imports its catalogues in parts (web/build/catalogue-parts.ts).
        plugins: [catalogueParts()],
        test: {
          name: 'unit',
          include: [
            'server/**/*.test.ts',
            'contracts/**/*.test.ts',
            'web/src/**/*.test.ts',
            'scripts/**/*.test.ts',
            'tests/architecture/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          retry: retries,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          retry: retries,
          fileParallelism: false,
        },
      },
      {
        test: {
          // deploy/ in action: HAProxy, two app processes, PostgreSQL, Redis, S3 (npm run test:cluster).
          name: 'cluster',
          include: ['tests/cluster/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
