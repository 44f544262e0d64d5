// npm test: every test, tier by tier. Unit tests; integration on SQLite; integration again on
// PostgreSQL when TEST_DATABASE_URL is set (required when CI or REQUIRE_POSTGRES is set); then the
// end-to-end suite in Chromium against the built app; then the cluster: deploy/haproxy.cfg in front
// of two app processes on PostgreSQL, Redis and S3 (needs haproxy, TEST_DATABASE_URL and
// TEST_REDIS_URL; required when CI is set). Ends with "N passed, N failed, N skipped".
//   TEST_SUITES=unit,integration npm test   runs only some tiers
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ensureWebBuild } from './lib/web-build.mjs';

const require = createRequire(import.meta.url);
const vitest = join(require.resolve('vitest/package.json'), '..', 'vitest.mjs');
const only = process.env.TEST_SUITES?.split(',').map((s) => s.trim());
const wanted = (name) => !only || only.includes(name);
const requirePostgres = process.env.CI === 'true' || process.env.REQUIRE_POSTGRES === '1';
const outDir = mkdtempSync(join(tmpdir(), 'onecare-test-results-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
const rows = [];
/** Tests that failed once and passed on their retry (CI only, see vitest.config.ts): listed, never hidden. */
const secondTries = [];
let broken = false;

function run(label, project, env = {}) {
  const out = join(outDir, `${label.replace(/\W+/g, '-')}.json`);
  console.log(`\n━━ ${label} ━━`);
  const result = spawnSync(
    process.execPath,
    [
      vitest,
      'run',
      '--project',
      project,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${out}`,
    ],
    { stdio: 'inherit', env: { ...process.env, ...env } },
  );
  if (!existsSync(out)) {
    console.error(`✗ ${label}: the runner produced no report (exit ${result.status})`);
    broken = true;
    rows.push([label, 0, 0, 0]);
    return;
  }
  const report = JSON.parse(readFileSync(out, 'utf8'));
  const passed = report.numPassedTests;
  const failed = report.numFailedTests + filesThatFailedToRun(report);
  const skipped = report.numPendingTests + (report.numTodoTests ?? 0);
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  rows.push([label, passed, failed, skipped]);
  for (const file of report.testResults)
    for (const t of file.assertionResults)
      if (t.status === 'passed' && t.failureMessages.length > 0)
        secondTries.push([label, t.fullName, t.failureMessages[0].split('\n')[0]]);
  if (result.status !== 0 && failed === 0) {
    console.error(`✗ ${label}: runner exited with ${result.status}`);
    broken = true;
  }
  if (report.numTotalTests === 0) {
    console.error(`✗ ${label}: no test ran`);
    broken = true;
  }
}

/** A file that failed to load or whose hooks failed counts as one failure; failed tests are counted already. */
function filesThatFailedToRun(report) {
  return report.testResults.filter(
    (f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed'),
  ).length;
}

async function postgresReachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (err) {
    console.error(`PostgreSQL at TEST_DATABASE_URL is not reachable: ${err.message}`);
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

if (wanted('unit')) run('unit', 'unit');
if (wanted('integration')) {
  run('integration · SQLite', 'integration', { TEST_DB: 'sqlite' });
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    if (await postgresReachable(url)) run('integration · PostgreSQL', 'integration', { TEST_DB: 'postgres' });
    else {
      broken = true;
      rows.push(['integration · PostgreSQL', 0, 0, 0]);
    }
  } else if (requirePostgres) {
    console.error(
      '\n✗ TEST_DATABASE_URL is not set: the PostgreSQL integration suite cannot be skipped here.',
    );
    broken = true;
  } else {
    console.log('\n(PostgreSQL integration suite not run: set TEST_DATABASE_URL=postgres://… to run it.)');
  }
}
if (wanted('e2e')) {
  if (!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
    console.error(
      '\n✗ Chromium not found at /usr/bin/chromium (apt-get install chromium): the browser tests cannot run.',
    );
    broken = true;
  } else {
    ensureWebBuild({ quiet: true });
    run('end to end · Chromium', 'e2e', { TEST_DB: 'sqlite' });
  }
}
if (wanted('cluster')) {
  const haproxy = process.env.HAPROXY_PATH ?? 'haproxy';
  const missing = [
    spawnSync(haproxy, ['-v'], { stdio: 'ignore' }).status === 0 ? null : 'HAProxy (apt-get install haproxy)',
    existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')
      ? null
      : 'Chromium (apt-get install chromium)',
    process.env.TEST_DATABASE_URL ? null : 'TEST_DATABASE_URL (PostgreSQL)',
    process.env.TEST_REDIS_URL ? null : 'TEST_REDIS_URL (Redis)',
  ].filter(Boolean);
  if (missing.length === 0) {
    ensureWebBuild({ quiet: true });
    run('cluster · HAProxy', 'cluster');
  } else if (requirePostgres || only?.includes('cluster')) {
    console.error(`\n✗ the cluster test cannot run without ${missing.join(', ')}.`);
    broken = true;
    rows.push(['cluster · HAProxy', 0, 0, 0]);
  } else {
    console.log(`\n(cluster test not run: it needs ${missing.join(', ')}.)`);
  }
}
rmSync(outDir, { recursive: true, force: true });

if (secondTries.length > 0) {
  console.log(`\nPassed on the second try (${secondTries.length}): look into these`);
  for (const [label, name, first] of secondTries) console.log(`  ${label} › ${name}\n      first: ${first}`);
}
console.log('\nSummary');
for (const [label, p, f, s] of rows)
  console.log(`  ${label.padEnd(28)} ${p} passed, ${f} failed, ${s} skipped`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || broken ? 1 : 0);
