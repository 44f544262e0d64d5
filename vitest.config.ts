import { defineConfig } from 'vitest/config';

/**
 * Three tiers. `unit` is pure logic beside the code; `integration` goes through HTTP on a fresh
 * database per file (TEST_DB=sqlite|postgres chooses the dialect); `e2e` drives Chromium against
 * the built app. scripts/test.mjs runs them in that order.
 */
export default defineConfig({
  test: {
    root: '.',
    projects: [
      {
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
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
