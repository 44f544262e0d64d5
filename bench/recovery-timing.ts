/**
 * How long password recovery and username recovery take when the data belong together (a link
 * or a reminder is written to the outbox) and when they do not (nothing is sent), through the
 * real HTTP routes on a fresh SQLite database. The two must cost the same, so that timing reveals
 * nothing about who has an account with which address. Prints medians and their ratio.
 *   npm run bench:recovery [-- rounds]
 */
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { BENCH_MEMBER, benchAppWithMember } from './lib/bench-member.js';

const rounds = Number(process.argv[2] ?? 40);
const { app, close } = await benchAppWithMember({
  MAIL_TRANSPORT: 'capture',
  FORM_RATE_LIMIT_PER_MINUTE: '1000000',
  // The captcha is solved before the clock starts; a cheap one keeps the run short.
  CAPTCHA_COST: '10',
});

async function captcha(i: number): Promise<string> {
  // A different address each time, so the challenge route's own rate limit never kicks in.
  const got = await app.inject({
    url: '/api/v1/captcha/challenge',
    remoteAddress: `10.8.${i >> 8}.${i & 255}`,
  });
  if (got.statusCode !== 200) throw new Error(`challenge: ${got.statusCode} ${got.body}`);
  const challenge = got.json();
  const solution = await solveChallenge({ challenge, deriveKey, timeout: 30_000 });
  if (!solution) throw new Error('captcha not solved');
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

async function attempt(url: string, payload: Record<string, string>, i: number): Promise<number> {
  const altcha = await captcha(i);
  const start = process.hrtime.bigint();
  const res = await app.inject({
    method: 'POST',
    url,
    remoteAddress: `10.9.${i >> 8}.${i & 255}`,
    headers: { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' },
    payload: { ...payload, altcha },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.statusCode !== 202) throw new Error(`unexpected ${res.statusCode}: ${res.body}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function compare(
  label: string,
  url: string,
  matching: Record<string, string>,
  notMatching: (i: number) => Record<string, string>,
): Promise<void> {
  const yes: number[] = [];
  const no: number[] = [];
  await attempt(url, notMatching(0), 0);
  for (let i = 1; i <= rounds; i++) {
    // Interleaved, so machine noise hits both alike.
    yes.push(await attempt(url, matching, i * 2));
    no.push(await attempt(url, notMatching(i), i * 2 + 1));
  }
  const y = median(yes);
  const n = median(no);
  console.log(`${label}, data belong together: median ${y.toFixed(2)} ms over ${rounds}`);
  console.log(`${label}, data do not match:    median ${n.toFixed(2)} ms over ${rounds}`);
  console.log(
    `${label} timing: match/no-match ratio ${(y / n).toFixed(3)} (difference ${(y - n).toFixed(2)} ms)`,
  );
}

await compare(
  'password recovery',
  '/api/v1/auth/password-recovery',
  { username: BENCH_MEMBER.username, email: BENCH_MEMBER.email },
  (i) =>
    // Half the misses name a real user with another address, half an unknown user.
    i % 2 === 0
      ? { username: BENCH_MEMBER.username, email: `someone.${i}@example.test` }
      : { username: `nobody.${i}`, email: BENCH_MEMBER.email },
);
await compare(
  'username recovery',
  '/api/v1/auth/username-recovery',
  { email: BENCH_MEMBER.email, codiceFiscale: BENCH_MEMBER.codiceFiscale },
  (i) =>
    i % 2 === 0
      ? { email: `someone.${i}@example.test`, codiceFiscale: BENCH_MEMBER.codiceFiscale }
      : { email: BENCH_MEMBER.email, codiceFiscale: 'BNCGLI90A41H501X' },
);
await close();
