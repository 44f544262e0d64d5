import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.js';

const redisUrl = process.env.TEST_REDIS_URL;

// Runs where a Redis is available (CI sets TEST_REDIS_URL); counted as skipped elsewhere.
describe.skipIf(!redisUrl)('rate limits shared through Redis', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { REDIS_URL: redisUrl ?? '', RATE_LIMIT_PER_MINUTE: '6' };
    a = await buildTestApp({ database, env });
    b = await buildTestApp({ database, env });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('[client] two instances count the same address together', async () => {
    const address = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.7`;
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const app = i % 2 === 0 ? a.app : b.app;
      statuses.push((await app.inject({ url: '/api/v1/public-config', remoteAddress: address })).statusCode);
    }
    expect(statuses.slice(0, 6)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(statuses.slice(6)).toEqual([429, 429]);
  });
});
