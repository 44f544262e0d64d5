import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzRoute, fuzzRoutes, isErrorShape } from '../fuzz/api-fuzz.js';
import { type FuzzApp, fuzzApp, NOT_FUZZED } from '../fuzz/fuzz-app.js';
import { ORIGIN } from '../helpers/member-flow.js';

/**
 * A small fixed-seed round of `npm run fuzz` (which sends thousands per route and role): every
 * /api route of the OpenAPI document, as every role, with generated valid-shaped and hostile
 * requests. Never a 5xx; every 4xx in the one error shape; nothing logged as an error.
 */
describe('generated requests on every route, as every role', () => {
  let f: FuzzApp;
  beforeAll(async () => {
    f = await fuzzApp();
  });
  afterAll(() => f?.close());

  it('[anyone, member, every staff role] never a 5xx, every refusal in the one error shape', async () => {
    const routes = fuzzRoutes(f.m.t.app).filter((r) => !NOT_FUZZED.test(r.path));
    expect(routes.length).toBeGreaterThan(90);
    expect(routes.filter((r) => r.body).length).toBeGreaterThan(25);
    const problems: string[] = [];
    let requests = 0;
    let accepted = 0;
    for (const route of routes) {
      for (const [role, cookie] of f.roles) {
        const report = await fuzzRoute(f.m.t.app, route, role, cookie, 6, 20261204);
        requests += report.requests;
        accepted += report.ok;
        if (report.server > 0 || report.badShape > 0) {
          problems.push(`${report.route} as ${role}: ${report.server} × 5xx, ${report.badShape} × bad shape`);
          problems.push(...report.examples);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(requests).toBeGreaterThan(3000);
    // Some generated requests are accepted: the fuzzer reaches the handlers, not only the checks.
    expect(accepted).toBeGreaterThan(100);
    expect(f.logLines.filter((l) => (JSON.parse(l) as { level: number }).level >= 50)).toEqual([]);
  }, 300_000);

  it('[anyone] an id longer than the router reads, or a URL that cannot be decoded: 404 in the error shape', async () => {
    for (const url of [`/api/v1/claims/${'x'.repeat(300)}`, '/api/v1/claims/%E0%A4%A']) {
      const res = await f.m.t.app.inject({ url, headers: { ...ORIGIN, 'accept-language': 'en' } });
      expect(res.statusCode, url).toBe(404);
      expect(isErrorShape(res), url).toBe(true);
      expect(res.json().error.code).toBe('NOT_FOUND');
      expect(res.body).not.toContain('xxxxxxxxxx');
    }
  });
});
