/**
 * How long a failed login takes for a known username (wrong password) and for an unknown one,
 * through the real HTTP route on a fresh SQLite database. The two must cost the same, so that
 * timing reveals nothing about who has an account. Prints medians and their ratio.
 *   npm run bench:login [-- rounds]
 */
import { BENCH_MEMBER, benchAppWithMember } from './lib/bench-member.js';

const rounds = Number(process.argv[2] ?? 40);
const { app, close } = await benchAppWithMember();

async function attempt(username: string, i: number): Promise<number> {
  const start = process.hrtime.bigint();
  // A different address each time, so the per-address throttle never kicks in.
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: `10.9.${i >> 8}.${i & 255}`,
    payload: { username, password: 'a wrong password of enough length' },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.statusCode !== 401) throw new Error(`unexpected ${res.statusCode}`);
  // Keep the per-username counter below the captcha threshold.
  await app.db.deleteFrom('login_throttles').execute();
  await app.db.updateTable('member_accounts').set({ failed_logins: 0 }).execute();
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const known: number[] = [];
const unknown: number[] = [];
await attempt('warm.up', 0);
for (let i = 1; i <= rounds; i++) {
  // Interleaved, so machine noise hits both alike.
  known.push(await attempt(BENCH_MEMBER.username, i * 2));
  unknown.push(await attempt(`nobody.${i}`, i * 2 + 1));
}
await close();
const k = median(known);
const u = median(unknown);
console.log(`failed login, known username:   median ${k.toFixed(1)} ms over ${rounds}`);
console.log(`failed login, unknown username: median ${u.toFixed(1)} ms over ${rounds}`);
console.log(`login timing: unknown/known ratio ${(u / k).toFixed(2)}`);
