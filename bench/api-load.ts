/**
 * The load generator of bench/api.ts, in a process of its own so that it does not share the
 * servers' event loop. Reads a JSON plan (argv[2]); prints one JSON line with the figures.
 *
 * `list`: GET requests round-robin over the paths and the session cookies (each request the next
 * member). `logins` (optional): that many logins kept in flight at once for the whole run, each
 * from a client address of its own (X-Forwarded-For; the app trusts the proxy in the bench).
 *
 * The list's figures count only the answers after the first second (`SETTLE_MS`). Every round
 * opens its connections anew, and a server busy with the open ones answers the first request of
 * each new connection one by one, as it accepts them: in a 2–5 s round those 50 first requests
 * were 1–2.5% of all and made the whole p99 (700 ms against 4 ms of handling, seen in both the app
 * and the bare route), though in a steady run with kept-alive connections, as behind the load
 * balancer, they are a single event. The load runs a second longer to keep the measured time.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

interface Plan {
  url: string;
  cookieName: string;
  paths: string[];
  cookies: string[];
  connections: number;
  seconds: number;
  logins?: { connections: number; usernames: string[]; password: string };
}

const plan = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Plan;

const SETTLE_MS = 1000;

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** The list's answers that completed after the settling second: latency (ms) and status. */
const settled: number[] = [];
let settledNon2xx = 0;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;

let n = 0;
const started = performance.now();
const listOptions: autocannon.Options = {
  url: plan.url,
  connections: plan.connections,
  duration: plan.seconds + SETTLE_MS / 1000,
  requests: [
    {
      method: 'GET',
      setupRequest: (req) => {
        // Mutated in place: autocannon refuses a copy of its request object.
        const i = n++;
        req.path = plan.paths[i % plan.paths.length] as string;
        req.headers = { cookie: `${plan.cookieName}=${plan.cookies[i % plan.cookies.length]}` };
        return req;
      },
    },
  ],
};
const list = new Promise<autocannon.Result>((resolve, reject) => {
  const instance = autocannon(listOptions, (err, result) => (err ? reject(err) : resolve(result)));
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (performance.now() - started < SETTLE_MS) return;
    settled.push(ms);
    if (status < 200 || status > 299) settledNon2xx += 1;
  });
});

let l = 0;
const logins = plan.logins;
const storm = logins
  ? run({
      url: plan.url,
      connections: logins.connections,
      // A little longer than the measured load, so the storm covers all of it.
      duration: plan.seconds + 2,
      timeout: 60,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/auth/login',
          setupRequest: (req) => {
            const i = l++;
            req.headers = {
              'content-type': 'application/json',
              'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
            };
            req.body = JSON.stringify({
              username: logins.usernames[i % logins.usernames.length],
              password: logins.password,
            });
            return req;
          },
        },
      ],
    })
  : undefined;

const [r, s] = await Promise.all([list, storm]);
const sorted = settled.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    rps: sorted.length / plan.seconds,
    p50: Math.round(percentile(sorted, 50) * 10) / 10,
    p99: Math.round(percentile(sorted, 99) * 10) / 10,
    total: sorted.length,
    non2xx: settledNon2xx,
    errors: r.errors + r.timeouts,
    ...(s
      ? {
          logins: s.requests.total,
          loginNon2xx: s.non2xx,
          loginP99: s.latency.p99,
          loginRps: s.requests.average,
        }
      : {}),
  }),
);
