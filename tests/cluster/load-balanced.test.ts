import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoMember } from '../../server/demo/registry.js';
import { expectVisible, launchChromium } from '../helpers/browser.js';
import { invoicePdf } from '../helpers/claim-files.js';
import type { ReceivedEmail } from '../helpers/smtp.js';
import { DRAIN_MS, startTopology, type Topology } from './topology.js';

const PASSWORD = 'una frase lunga per il bilanciatore di carico';
const IBAN = 'IT60X0542811101000000123456';
const ANNA = demoMember('anna');

function line(mail: ReceivedEmail, label: string): string {
  const m = new RegExp(`^${label}: (\\S+)$`, 'm').exec(mail.text);
  if (!m?.[1]) throw new Error(`no ${label} in "${mail.subject}"`);
  return m[1];
}

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

interface Poll {
  started: number;
  ended: number;
  status: number;
}

/**
 * Requests through the load balancer, one after another on a few lanes, as long as it runs: what
 * other members' browsers would be doing while an instance goes away.
 */
function poller(url: string, cookie: string, lanes = 3) {
  const polls: Poll[] = [];
  let running = true;
  const lane = async () => {
    while (running) {
      const started = Date.now();
      const status = await fetch(`${url}/api/v1/claims`, { headers: { cookie } })
        .then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        })
        .catch(() => 0);
      polls.push({ started, ended: Date.now(), status });
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const done = Promise.all(Array.from({ length: lanes }, lane));
  return {
    polls,
    async stop() {
      running = false;
      await done;
    },
  };
}

describe('cluster: HAProxy in front of two instances on one PostgreSQL, Redis and S3', () => {
  let topo: Topology;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let username = '';
  /** Every answer the member's browser got, and every request it saw fail. */
  const answers: Array<{ at: number; method: string; path: string; status: number }> = [];
  const failed: Array<{ at: number; method: string; path: string; error: string }> = [];
  const report: string[] = [];

  beforeAll(async () => {
    if (!ANNA.email) throw new Error('the demo registry has no Anna Esempio with an email');
    topo = await startTopology();
    browser = await launchChromium();
    context = await browser.newContext({ baseURL: topo.url, locale: 'it-IT' });
    page = await context.newPage();
    page.on('response', (r) => {
      const u = new URL(r.url());
      answers.push({ at: Date.now(), method: r.request().method(), path: u.pathname, status: r.status() });
    });
    page.on('requestfailed', (r) => {
      // The page's own doing: a navigation cancels the fetches of the page it leaves.
      if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
      failed.push({
        at: Date.now(),
        method: r.method(),
        path: new URL(r.url()).pathname,
        error: r.failure()?.errorText ?? '',
      });
    });
  }, 300_000);

  afterAll(async () => {
    report.push(...(topo?.lbEvents ?? []).map((e) => `HAProxy: ${e.trim()}`));
    process.stdout.write(`\n${report.join('\n')}\n`);
    await browser?.close();
    await topo?.close();
  }, 120_000);

  it('[member] registers through the load balancer, activates from the emailed link and logs in', async () => {
    const email = ANNA.email ?? '';
    await page.goto('/registrazione');
    await page.getByRole('heading', { name: 'Registrazione assistito' }).waitFor();
    await page.getByLabel('Cognome', { exact: true }).fill(ANNA.surname ?? '');
    await page.getByLabel('Nome', { exact: true }).fill(ANNA.givenName ?? '');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Conferma email', { exact: true }).fill(email);
    await page.getByLabel('Codice fiscale', { exact: true }).fill(ANNA.codiceFiscale ?? '');
    await page.getByLabel('Data di nascita', { exact: true }).fill(ANNA.birthDate ?? '');
    await page.getByText('Non sono un robot').click();
    await page.getByRole('button', { name: 'REGISTRAMI' }).click();
    await page.getByText(/Registrazione terminata correttamente/).waitFor();

    const ticketMail = await topo.smtp.waitForEmail(email, { subject: /completa la registrazione/ });
    const link = new URL(line(ticketMail, 'Attiva il tuo account'));
    expect(link.origin).toBe(topo.url);
    await page.goto(link.pathname + link.search);
    await page.getByRole('button', { name: 'REGISTRATI' }).click();
    await page.getByText('Il tuo account è attivo!').waitFor();
    username = line(await topo.smtp.waitForEmail(email, { subject: /username/ }), 'Username');
    const temporary = line(
      await topo.smtp.waitForEmail(email, { subject: /password temporanea/ }),
      'Password',
    );

    await page.goto('/');
    await page.getByLabel('Username', { exact: true }).fill(username);
    await page.getByLabel('Password', { exact: true }).fill(temporary);
    await page.getByRole('button', { name: 'LOGIN' }).click();
    await page.getByRole('heading', { name: 'Scegli la tua password' }).waitFor();
    await page.getByLabel('Nuova password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Conferma password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'SALVA' }).click();
    await page.getByRole('heading', { name: 'Area riservata' }).waitFor();
    await expectVisible(page.getByText('Anna Esempio').first());
    // The member's requests so far went to both instances.
    const served = new Set(topo.lbRequests.filter((r) => r.path.startsWith('/api/')).map((r) => r.server));
    expect([...served].sort()).toEqual(['app1', 'app2']);
  });

  /** Stops an instance with the signal while the member browses and others poll; starts it again. */
  async function stopAndStart(name: 'app1' | 'app2', signal: 'SIGTERM' | 'SIGKILL') {
    const cookies = await context.cookies();
    const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const lbBefore = topo.lbRequests.length;
    const eventsBefore = topo.lbEvents.length;
    const browserFrom = Date.now();
    const poll = poller(topo.url, cookie);
    await new Promise((r) => setTimeout(r, 500));
    const signalled = Date.now();
    const stopped = topo.stop(name, signal);
    // The member goes on browsing while the instance goes away, and after.
    const browse = async () => {
      for (const [path, heading] of [
        ['/area-riservata', 'Area riservata'],
        ['/pratiche', 'Le mie pratiche'],
      ] as const) {
        await page.goto(path);
        await expectVisible(page.getByRole('heading', { level: 1, name: heading }));
        await expectVisible(page.getByRole('button', { name: 'ESCI' }));
      }
    };
    let code: number | null = null;
    let exitedAt = 0;
    let restarting = 0;
    try {
      await browse();
      code = await stopped;
      exitedAt = Date.now();
      await topo.waitForLb(name, 'DOWN', eventsBefore);
      await browse();
      restarting = Date.now();
      await topo.start(name);
      await topo.waitForLb(name, 'UP', eventsBefore);
      await browse();
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      await poll.stop();
      // Whatever failed above, the next test finds both instances running.
      await stopped;
      if (!topo.instances[name].child) await topo.start(name);
    }

    const polls = poll.polls;
    const bad = polls.filter((p) => p.status !== 200);
    // In flight on the stopped instance: sent before it went and answered after.
    const inFlight = bad.filter((p) => p.started <= exitedAt && p.ended >= signalled);
    const lb = topo.lbRequests.slice(lbBefore);
    const retried = lb.filter((r) => r.retries > 0 || r.redispatched);
    const browserBad = answers.filter((a) => a.at >= browserFrom && a.status >= 500);
    const browserFailed = failed.filter((f) => f.at >= browserFrom);
    report.push(
      `${signal} ${name}: exit ${code} after ${exitedAt - signalled} ms, restarted in ${Date.now() - restarting} ms; ` +
        `${polls.length} polled requests (${polls.filter((p) => p.started >= signalled && p.started <= exitedAt).length} during the stop), ` +
        `${bad.length} failed (${inFlight.length} in flight); HAProxy retried ${retried.length} of ${lb.length} ` +
        `(${retried.filter((r) => r.redispatched).length} to the other instance); browser: ${browserBad.length} 5xx, ${browserFailed.length} failed${browserFailed.length > 0 ? ` (${browserFailed.map((f) => `${f.method} ${f.path} ${f.error}`).join(', ')})` : ''}`,
    );
    return { code, polls, bad, inFlight, lb, browserBad, browserFailed, signalled, exitedAt };
  }

  it('[member] an instance stopped with SIGTERM drains: no request fails, the member stays signed in', async () => {
    const r = await stopAndStart('app1', 'SIGTERM');
    expect(r.code).toBe(0);
    expect(r.exitedAt - r.signalled).toBeGreaterThanOrEqual(DRAIN_MS);
    expect(r.polls.length).toBeGreaterThan(50);
    expect(r.bad).toEqual([]);
    expect(r.browserBad).toEqual([]);
    expect(r.browserFailed).toEqual([]);
    // After the restart both instances serve again.
    const after = r.lb.filter((x) => x.path === '/api/v1/claims').slice(-20);
    expect(new Set(after.map((x) => x.server)).size).toBe(2);
  });

  it('[member] an instance killed with SIGKILL: only requests in flight on it may fail, the rest are retried elsewhere', async () => {
    const r = await stopAndStart('app2', 'SIGKILL');
    expect(r.polls.length).toBeGreaterThan(50);
    // Every failure was a request under way on the killed instance.
    expect(r.bad.filter((p) => !r.inFlight.includes(p))).toEqual([]);
    expect(r.browserBad.filter((a) => a.at > r.exitedAt + 1000)).toEqual([]);
    const after = r.lb.filter((x) => x.path === '/api/v1/claims').slice(-20);
    expect(new Set(after.map((x) => x.server)).size).toBe(2);
  });

  it('[member] sends a claim with a document (S3); the answer to the first send is lost, the retry makes one claim', async () => {
    await page.goto('/area-riservata');
    await page.getByRole('link', { name: /Richiedi un rimborso/ }).click();
    await expectVisible(page.getByRole('heading', { level: 2, name: /Passo 1 di 6/ }));
    const next = () => page.getByRole('button', { name: 'AVANTI', exact: true }).click();
    await page.getByRole('radio', { name: 'Anna Esempio' }).check();
    await next();
    await expectVisible(page.getByRole('heading', { level: 2, name: /Passo 2 di 6/ }));
    await page.getByRole('radio', { name: 'Visite specialistiche' }).check();
    await next();
    await expectVisible(page.getByRole('heading', { level: 2, name: /Passo 3 di 6/ }));
    const first = page.getByRole('group', { name: 'Fattura 1' });
    await first.getByLabel('Data fattura').fill(daysAgo(6));
    await first.getByLabel('Numero fattura').fill('2026/301');
    await first.getByLabel('Emessa da').fill('Dott.ssa Bianchi');
    await first.getByLabel('Importo (€)').fill('120,00');
    await first.getByLabel('Canale').selectOption({ label: 'Fuori rete' });
    await next();
    await expectVisible(page.getByRole('heading', { level: 2, name: /Passo 4 di 6/ }));
    await page.getByLabel('Tipo di documento').selectOption({ label: 'Fattura o ricevuta' });
    await page.getByLabel('Scegli un file').setInputFiles([
      {
        name: 'fattura.pdf',
        mimeType: 'application/pdf',
        buffer: await invoicePdf(
          'Fattura n. 2026/301 - Visita specialistica - 120,00 EUR (documento di prova)',
        ),
      },
    ]);
    await expectVisible(page.getByText('fattura.pdf caricato.'));
    await page.getByLabel('Tipo di documento').selectOption({ label: 'Prescrizione medica' });
    const photo = await sharp({
      create: { width: 320, height: 200, channels: 3, background: { r: 230, g: 236, b: 240 } },
    })
      .jpeg()
      .toBuffer();
    await page
      .getByLabel('Scegli un file')
      .setInputFiles([{ name: 'prescrizione.jpg', mimeType: 'image/jpeg', buffer: photo }]);
    await expectVisible(page.getByText('prescrizione.jpg caricato.'));
    await next();
    await expectVisible(page.getByRole('heading', { level: 2, name: /Passo 5 di 6/ }));
    await page.getByLabel('IBAN', { exact: true }).fill(IBAN);
    await page.getByLabel('Intestatario del conto').fill('Anna Esempio');
    await next();
    await expectVisible(page.getByRole('heading', { level: 2, name: /Passo 6 di 6/ }));
    await page.getByRole('checkbox', { name: /Dichiaro che i dati e i documenti sono veritieri/ }).check();

    // The first send reaches an instance and is done there, but its answer never comes back (the
    // connection drops, as when the instance dies after the commit): the member sees an error and
    // presses again; the same idempotency key answers the same claim.
    const keys: string[] = [];
    let lost = false;
    await page.route('**/api/v1/claims/drafts/*/submit', async (route) => {
      keys.push((route.request().postDataJSON() as { idempotencyKey: string }).idempotencyKey);
      if (lost) return route.continue();
      lost = true;
      const answered = await route.fetch();
      expect(answered.status()).toBe(200);
      await route.abort('connectionreset');
    });
    await page.getByRole('button', { name: 'INVIA RICHIESTA' }).click();
    await expectVisible(page.getByRole('alert').first());
    await page.getByRole('button', { name: 'INVIA RICHIESTA' }).click();
    const sent = page.getByText(/La tua richiesta n\. RSM-\d{4}-\d{6,} è stata inviata\./);
    await expectVisible(sent, 20_000);
    await page.unroute('**/api/v1/claims/drafts/*/submit');
    const number = /RSM-\d{4}-\d{6,}/.exec((await sent.textContent()) ?? '')?.[0] ?? '';
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);

    const claims = await topo.db.query<{ number: string }>(
      `select c.number from claims c join member_accounts a on a.id = c.account_id
       where a.username = $1 and c.state <> 'draft'`,
      [username],
    );
    expect(claims.rows.map((c) => c.number)).toEqual([number]);
    // The documents went to the S3 store through whichever instance took each upload.
    const documents = await topo.db.query<{ n: string }>(
      `select count(*) as n from claim_documents d join claims c on c.id = d.claim_id where c.number = $1`,
      [number],
    );
    expect(Number(documents.rows[0]?.n)).toBe(2);

    await page.getByRole('link', { name: 'Le mie pratiche', exact: true }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Le mie pratiche' }));
    await expectVisible(page.locator('.claim-card').filter({ hasText: number }));
    const receipt = await topo.smtp.waitForEmail(ANNA.email ?? '', { subject: new RegExp(number) });
    expect(receipt.text).toContain(number);
    report.push(`claim ${number}: sent twice with one idempotency key, one claim, 2 documents in S3`);
  });

  it('[visitor] failed logins spread over both instances count once: the captcha (database) and the per-minute limit (Redis)', async () => {
    const from = topo.lbRequests.length;
    const results: Array<{ status: number; code: string; remaining: number }> = [];
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${topo.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: topo.url,
          'sec-fetch-site': 'same-origin',
          // A client that names its own address is not believed: HAProxy drops the header.
          'x-forwarded-for': `198.51.100.${i + 1}`,
        },
        body: JSON.stringify({ username, password: `sbagliata ${i}` }),
      });
      const body = (
        res.headers.get('content-type')?.includes('json')
          ? await res.json()
          : { error: { code: `${res.status}` } }
      ) as { error?: { code: string } };
      results.push({
        status: res.status,
        code: body.error?.code ?? '',
        remaining: Number(res.headers.get('x-ratelimit-remaining') ?? -1),
      });
      if (results.length > 1 && res.status === 429 && results.at(-1)?.remaining === 0) {
        if (results.filter((r) => r.remaining === 0).length > 1) break;
      }
    }
    const served = topo.lbRequests.slice(from).filter((r) => r.path === '/api/v1/auth/login');
    expect(new Set(served.map((r) => r.server)).size).toBe(2);
    // Five wrong passwords, on either instance, then the account wants the wait and the captcha.
    expect(results.slice(0, 5).map((r) => r.code)).toEqual(Array(5).fill('INVALID_CREDENTIALS'));
    expect(['RATE_LIMITED', 'CAPTCHA_REQUIRED']).toContain(results[5]?.code);
    // One counter in Redis for both instances: it goes down by one at each request, whoever serves it.
    const counted = results.filter((r) => r.remaining > 0);
    for (let i = 1; i < counted.length; i++)
      expect(counted[i]?.remaining).toBe((counted[i - 1]?.remaining ?? 0) - 1);
    expect(results.at(-1)).toMatchObject({ status: 429, remaining: 0 });
    report.push(
      `logins: ${results.length} attempts over ${new Set(served.map((r) => r.server)).size} instances; captcha/wait from attempt 6; per-minute limit reached after ${counted.length}`,
    );
  });

  it('[system] the outbox delivers each email once although both instances run its worker', async () => {
    await expect
      .poll(async () => {
        const r = await topo.db.query<{ n: string }>(
          `select count(*) as n from outbox_emails where status <> 'sent'`,
        );
        return Number(r.rows[0]?.n);
      })
      .toBe(0);
    const sent = await topo.db.query<{ n: string }>(
      `select count(*) as n from outbox_emails where status = 'sent'`,
    );
    const received = topo.smtp.received.map((m) => `${m.to} ${m.subject} ${m.messageId ?? ''}`);
    expect(new Set(received).size).toBe(received.length);
    const byMessage = topo.smtp.received.map((m) => `${m.to} ${m.subject} ${m.text}`);
    expect(new Set(byMessage).size).toBe(byMessage.length);
    expect(received.length).toBe(Number(sent.rows[0]?.n));
    report.push(`outbox: ${received.length} emails sent, ${received.length} received, no duplicate`);
  });
});
