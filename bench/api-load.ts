/**
 * The load generator of bench/api.ts, in a process of its own so that it does not share the
 * servers' event loop. Reads a JSON plan (argv[2]); prints one JSON line with the figures.
 *
 * `list`: GET requests round-robin over the paths and the session cookies (each request the next
 * member). `logins` (optional): that many logins kept in flight at once for the whole run, each
 * from a client address of its own (X-Forwarded-For; the app trusts the proxy in the bench).
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

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

let n = 0;
const list = run({
  url: plan.url,
  connections: plan.connections,
  duration: plan.seconds,
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
console.log(
  JSON.stringify({
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    total: r.requests.total,
    non2xx: r.non2xx,
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
