/**
 * `npm run fuzz [-- requests-per-route-and-role [seed]]` (default 2000, seed from the clock):
 * generated requests for every /api route of the OpenAPI document, as every role (anonymous,
 * member, each staff role), through the real app on SQLite (TEST_DB=postgres and
 * TEST_DATABASE_URL for PostgreSQL). Prints a line per route and role, then
 *   fuzz: <routes> routes × <roles> roles, <requests> requests, 2xx <n>, 4xx <n>, 5xx <n>, bad shape <n>
 * and exits 1 if any answer was a 5xx, any 4xx was not the one error shape, or the process logged
 * an error. The integration suite runs a smaller, fixed-seed round of the same code.
 */
import { fuzzRoute, fuzzRoutes, type RouteReport } from './api-fuzz.js';
import { fuzzApp, NOT_FUZZED } from './fuzz-app.js';

const perRoute = Number(process.argv[2] ?? 2000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
const started = Date.now();
const app = await fuzzApp();
const reports: RouteReport[] = [];
try {
  const routes = fuzzRoutes(app.m.t.app).filter((r) => !NOT_FUZZED.test(r.path));
  console.log(`seed ${seed}; ${routes.length} routes × ${app.roles.length} roles × ${perRoute} requests`);
  for (const route of routes) {
    for (const [role, cookie] of app.roles) {
      const report = await fuzzRoute(app.m.t.app, route, role, cookie, perRoute, seed);
      reports.push(report);
      const flag = report.server > 0 || report.badShape > 0 ? '  <-- FAIL' : '';
      console.log(
        `${report.route} as ${role}: ${report.requests} requests, 2xx ${report.ok}, 4xx ${report.client}, 5xx ${report.server}${report.badShape ? `, bad shape ${report.badShape}` : ''}${flag}`,
      );
      for (const example of report.examples) console.log(`    ${example}`);
    }
  }
} finally {
  await app.close();
}
const sum = (key: 'requests' | 'ok' | 'client' | 'server' | 'badShape') =>
  reports.reduce((total, r) => total + r[key], 0);
const errors = app.logLines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
const routes = new Set(reports.map((r) => r.route)).size;
console.log(`process errors logged: ${errors.length}; ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(
  `fuzz: ${routes} routes × ${app.roles.length} roles, ${sum('requests')} requests, 2xx ${sum('ok')}, 4xx ${sum('client')}, 5xx ${sum('server')}, bad shape ${sum('badShape')}`,
);
process.exitCode = sum('server') > 0 || sum('badShape') > 0 || errors.length > 0 ? 1 : 0;
