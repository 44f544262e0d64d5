import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../server/lib/clock.js';
import { expectAccessible, expectVisible, launchChromium, openPage } from '../helpers/browser.js';
import { type RunningServer, startServer } from '../helpers/server.js';
import { STAFF_PASSWORD, totpCode } from '../helpers/staff.js';

const MIN = 60_000;

/**
 * The server's clock for these tests: real time that the test moves forward in jumps. The browser's
 * clock (Playwright's `page.clock`) is installed at the same instant and jumps with it, so both
 * sides agree on "now" without anyone waiting.
 */
class JumpingClock implements Clock {
  private shift = 0;
  now(): Date {
    return new Date(Date.now() + this.shift);
  }
  advance(ms: number): void {
    this.shift += ms;
  }
}

/** What has the keyboard focus: `button:<its text>` or `<input type>:<name>`. */
function focused(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const el = document.activeElement;
    if (!el) return '';
    if (el.tagName === 'BUTTON') return 'button:' + el.textContent.trim();
    if (el.tagName === 'INPUT') return el.type + ':' + (el.closest('altcha-widget') ? 'altcha' : el.name);
    return el.tagName.toLowerCase();
  })()`);
}

describe('back-office sessions in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  const clock = new JumpingClock();

  beforeAll(async () => {
    server = await startServer({}, clock);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Moves both clocks: the server's and the page's (whose timers fire once, as after a sleep). */
  async function jump(page: Page, ms: number): Promise<void> {
    clock.advance(ms);
    await page.clock.fastForward(ms);
  }

  /**
   * A new staff user enrolled on the link page (the test reads the key there and computes the
   * codes on the server's clock); returns the key. The login will use the next code step.
   */
  async function enrol(page: Page, username: string, role: 'auditor' | 'claims_operator'): Promise<string> {
    const { link } = await server.app.staff.create({ username, role, email: `${username}@example.test` });
    const url = new URL(link);
    await page.goto(url.pathname + url.search);
    await page.getByRole('img', { name: /Codice QR/ }).waitFor();
    const secret = ((await page.locator('code.secret-key').textContent()) ?? '').replace(/\s+/g, '');
    await page.getByLabel('Nuova password', { exact: true }).fill(STAFF_PASSWORD);
    await page.getByLabel('Conferma password', { exact: true }).fill(STAFF_PASSWORD);
    await page.getByLabel('Codice di verifica', { exact: true }).fill(totpCode(secret, clock.now()));
    await page.getByRole('button', { name: 'ATTIVA' }).click();
    await page.getByText('Il tuo accesso al back office è attivo.').waitFor();
    return secret;
  }

  /** Keyboard only: Tab to the username, type the three fields, Enter. */
  async function typeLogin(page: Page, username: string, password: string, code: string) {
    const focusedName = () => page.evaluate<string>("document.activeElement?.getAttribute('name') ?? ''");
    for (let i = 0; i < 20 && (await focusedName()) !== 'username'; i++) await page.keyboard.press('Tab');
    expect(await focusedName()).toBe('username');
    await page.keyboard.type(username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(password);
    await page.keyboard.press('Tab');
    expect(await focusedName()).toBe('code');
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
  }

  const loginAnswer = (page: Page) =>
    page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/staff/auth/login') && r.request().method() === 'POST',
    );

  it('[auditor] is warned two minutes before 30 idle minutes, stays signed in, then is signed out when idle', async () => {
    const { context, page, errors } = await openPage(browser, server.url, 'about:blank');
    await page.clock.install({ time: clock.now() });
    const secret = await enrol(page, 'e2e.inattivo', 'auditor');
    await jump(page, 30_000);
    await page.goto('/backoffice');
    await page.getByRole('heading', { name: 'Accesso back office', level: 1 }).waitFor();
    await expectAccessible(page);
    await typeLogin(page, 'e2e.inattivo', STAFF_PASSWORD, totpCode(secret, clock.now()));
    await page.getByRole('heading', { name: 'Back office', level: 1 }).waitFor();
    await page
      .getByRole('navigation', { name: 'Funzioni del back office' })
      .getByRole('link', { name: 'Registro attività' })
      .click();
    await page.getByRole('heading', { name: 'Registro attività', level: 1 }).waitFor();
    await page.getByRole('table', { name: /Eventi registrati/ }).waitFor();
    await expectAccessible(page);
    const warning = page.getByRole('alertdialog', { name: 'La sessione sta per scadere' });
    expect(await warning.count()).toBe(0);

    // 28 minutes without doing anything: the warning, with the time left and the button focused.
    await jump(page, 28 * MIN + 10_000);
    await warning.waitFor();
    expect(await warning.textContent()).toMatch(/scadrà tra 1:[45]\d/);
    const stay = warning.getByRole('button', { name: 'RESTA COLLEGATO' });
    await stay.waitFor();
    expect(await focused(page)).toBe('button:RESTA COLLEGATO');
    await expectAccessible(page);
    const extended = page.waitForResponse((r) => r.url().endsWith('/api/v1/staff/auth/session/extend'));
    await page.keyboard.press('Enter');
    expect((await extended).status()).toBe(200);
    await warning.waitFor({ state: 'detached' });
    await expectVisible(page.getByRole('heading', { name: 'Registro attività', level: 1 }));

    // The session was renewed for 30 minutes: 29 later the warning is back (well before the end)…
    await jump(page, 20 * MIN);
    expect(await warning.count()).toBe(0);
    await jump(page, 9 * MIN);
    await warning.waitFor();
    // …and ignored, the session ends: back to the back-office login, which says why.
    await jump(page, 2 * MIN);
    await page.getByRole('heading', { name: 'Accesso back office', level: 1 }).waitFor();
    await page
      .getByText(
        'Sessione scaduta. Per sicurezza, dopo un periodo di inattività ti chiediamo di accedere di nuovo.',
      )
      .waitFor();
    expect(new URL(page.url()).pathname).toBe('/backoffice');
    expect(await warning.count()).toBe(0);
    await expectAccessible(page);
    // The server agrees: the cookie no longer opens anything.
    const session = await page.request.get('/api/v1/staff/auth/session');
    expect(session.status()).toBe(401);
    expect(errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
    await context.close();
  });

  it('[staff] after 5 failed sign-ins the login asks for the captcha; solved, the right credentials get in', async () => {
    const { context, page, errors } = await openPage(browser, server.url, 'about:blank');
    const secret = await enrol(page, 'e2e.tentativi', 'claims_operator');
    clock.advance(30_000);
    await page.goto('/backoffice');
    await page.getByRole('heading', { name: 'Accesso back office', level: 1 }).waitFor();
    await expectAccessible(page);

    for (let attempt = 1; attempt <= 5; attempt++) {
      const answer = loginAnswer(page);
      if (attempt === 1) {
        await typeLogin(page, 'e2e.tentativi', 'not the password', totpCode(secret, clock.now()));
      } else {
        await page.getByLabel('Password', { exact: true }).fill(`not the password ${attempt}`);
        await page.getByLabel('Password', { exact: true }).press('Enter');
      }
      expect((await answer).status()).toBe(401);
      await page.getByText(/Accesso non riuscito/).waitFor();
    }
    expect(await page.getByText('Non sono un robot').count()).toBe(0);
    await expectAccessible(page);

    // The next attempt waits a second after the last failure (decision 014): the server's clock
    // moves past it. The right credentials now are refused until the captcha is solved.
    clock.advance(2_000);
    await page.getByLabel('Password', { exact: true }).fill(STAFF_PASSWORD);
    await page.getByLabel('Codice di verifica', { exact: true }).fill(totpCode(secret, clock.now()));
    const refused = loginAnswer(page);
    await page.getByLabel('Codice di verifica', { exact: true }).press('Enter');
    const refusal = await refused;
    expect(refusal.status()).toBe(400);
    expect((await refusal.json()).error.code).toBe('CAPTCHA_REQUIRED');
    await page
      .getByText('Per continuare conferma di non essere un robot, poi premi di nuovo il pulsante.')
      .waitFor();
    await page
      .getByText('Dopo alcuni tentativi non riusciti chiediamo di confermare che non sei un robot.')
      .waitFor();
    const robot = page.getByRole('checkbox', { name: 'Non sono un robot' });
    await robot.waitFor();
    await expectAccessible(page);

    // The checkbox has the focus: Space ticks it, the widget solves the proof of work.
    await expect.poll(() => focused(page)).toBe('checkbox:altcha');
    await page.keyboard.press('Space');
    // Solved, the checkbox is ticked and its label says so.
    const solved = page.getByRole('checkbox', { name: 'Verificato' });
    await solved.waitFor({ timeout: 30_000 });
    expect(await solved.isChecked()).toBe(true);
    const accepted = loginAnswer(page);
    await page.getByRole('button', { name: 'ACCEDI' }).press('Enter');
    expect((await accepted).status()).toBe(200);
    await page.getByRole('heading', { name: 'Back office', level: 1 }).waitFor();
    await page.getByText('Collegato come e2e.tentativi · Operatore pratiche').waitFor();
    await expectAccessible(page);

    const fails = await server.app.db
      .selectFrom('audit_events')
      .select('event')
      .where('event', 'in', ['authn_login_fail', 'authn_login_success'])
      .where('details', 'like', '%"kind":"staff"%')
      .orderBy('occurred_at')
      .orderBy('id')
      .execute();
    expect(fails.slice(-6).map((e) => e.event)).toEqual([
      ...Array(5).fill('authn_login_fail'),
      'authn_login_success',
    ]);
    expect(errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
    await context.close();
  });
});
