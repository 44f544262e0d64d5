/**
 * Redis goes away under the rate limits (decision 057): a TCP proxy in front of the real Redis is
 * cut, so the app sees refused connections; nothing touches the Redis other tests share.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/lib/password-hashing.js';
import { fallbackMax, REDIS_DOWN_FACTOR } from '../../server/plugins/rate-limit.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { memberWithSession } from '../helpers/claims.js';
import { createPlan, createRegistryMember } from '../helpers/factories.js';
import { ORIGIN } from '../helpers/member-flow.js';
import { eventually, startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const redisUrl = process.env.TEST_REDIS_URL;
const LIMIT = 8;
const PASSWORD = 'girasole verde sul balcone di via Po';

let addresses = 0;
/** A client address of its own for each check, so counters of one check never meet another's. */
const freshAddress = () =>
  `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${(addresses++ % 250) + 1}`;

// Runs where a Redis is available (CI sets TEST_REDIS_URL); counted as skipped elsewhere.
describe.skipIf(!redisUrl)('faults: Redis down under the rate limits', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  let direct: Redis;
  let member: { cookie: string; username: string };

  beforeAll(async () => {
    const target = new URL(redisUrl ?? 'redis://127.0.0.1:6379');
    proxy = await startTcpProxy(Number(target.port || 6379), target.hostname);
    direct = new Redis(redisUrl ?? '');
    t = await buildTestApp({
      env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}`, RATE_LIMIT_PER_MINUTE: String(LIMIT) },
    });
    const planId = await createPlan(t.app);
    const person = await createRegistryMember(t.app, planId);
    const account = await memberWithSession(t.app, person.id);
    await t.app.db
      .updateTable('member_accounts')
      .set({ password_hash: await hashPassword(PASSWORD) })
      .where('id', '=', account.id)
      .execute();
    member = account;
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    direct?.disconnect();
  });

  const get = (url: string, remoteAddress: string, headers: Record<string, string> = {}) =>
    t.app.inject({ url, remoteAddress, headers });
  /** The statuses of `n` requests in a row from one address. */
  async function statuses(n: number, remoteAddress: string): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await get('/api/v1/public-config', remoteAddress)).statusCode);
    return out;
  }

  it('[client] with Redis up the shared limit applies, counted in Redis', async () => {
    const address = freshAddress();
    expect(await statuses(LIMIT + 1, address)).toEqual([...Array(LIMIT).fill(200), 429]);
    expect(await direct.keys(`onecare-rl:*${address}*`)).not.toEqual([]);
  });

  it('[client] Redis down: the stricter per-instance limit answers 429 in the error shape, never open', async () => {
    await proxy.cut();
    const strict = fallbackMax(LIMIT);
    expect(strict).toBe(Math.floor(LIMIT / REDIS_DOWN_FACTOR));
    const address = freshAddress();
    const seen = await statuses(strict + 1, address);
    expect(seen).toEqual([...Array(strict).fill(200), 429]);
    const refused = await get('/api/v1/public-config', address, { 'accept-language': 'en' });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({
      error: { code: 'RATE_LIMITED', message: 'Too many requests: try again in a few minutes.' },
    });
    // Nothing reached Redis for this address.
    expect(await direct.keys(`onecare-rl:*${address}*`)).toEqual([]);
  });

  it('[member] Redis down: a member with a session goes on, and a login still works', async () => {
    const session = await t.app.inject({
      url: '/api/v1/auth/session',
      remoteAddress: freshAddress(),
      headers: { cookie: member.cookie },
    });
    expect(session.statusCode).toBe(200);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: freshAddress(),
      headers: ORIGIN,
      payload: { username: member.username, password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    expect(login.cookies.some((c) => c.name.endsWith('onecare_session'))).toBe(true);
  });

  it('[client] Redis down: the login route’s own limit falls back too, stricter, never open', async () => {
    const address = freshAddress();
    const strict = fallbackMax(30); // the login route's own limit
    const seen: number[] = [];
    for (let i = 0; i < strict + 1; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: address,
        headers: ORIGIN,
        // Right credentials: the failed-login throttles (decision 014) stay out of the count.
        payload: { username: member.username, password: PASSWORD },
      });
      seen.push(res.statusCode);
    }
    expect(
      seen.slice(0, strict).filter((s) => s === 429),
      seen.join(','),
    ).toEqual([]);
    expect(seen[strict]).toBe(429);
  });

  it('[client] Redis back: the shared counters are used again, without a restart', async () => {
    await proxy.restore();
    // ioredis reconnects by itself; until then the fallback answers. Once a fresh address gets
    // more than the stricter limit through, the count is Redis's again.
    await eventually(
      'rate limits shared again',
      async () => {
        const seen = await statuses(fallbackMax(LIMIT) + 1, freshAddress());
        return seen.every((s) => s === 200);
      },
      15_000,
      250,
    );
    const address = freshAddress();
    expect(await statuses(LIMIT + 1, address)).toEqual([...Array(LIMIT).fill(200), 429]);
    expect(await direct.keys(`onecare-rl:*${address}*`)).not.toEqual([]);
  }, 60_000);
});
