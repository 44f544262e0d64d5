import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect, onTestFailed } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with nothing reaching out to the network on its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A phone-sized screen (an iPhone 14's CSS pixels), touch, mobile layout. */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
} as const;
export const DESKTOP = { viewport: { width: 1280, height: 900 } } as const;

export async function newContext(
  browser: Browser,
  baseURL: string,
  locale = 'it-IT',
  screen: typeof PHONE | typeof DESKTOP = DESKTOP,
): Promise<BrowserContext> {
  return browser.newContext({ baseURL, locale, ...screen });
}

/** The page fits its window's width: nothing to scroll sideways (what a phone user would meet). */
export async function expectNoHorizontalScroll(page: Page, where: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate<{ scrollWidth: number; innerWidth: number }>(
    '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
  );
  expect([where, scrollWidth, innerWidth, scrollWidth <= innerWidth]).toEqual([
    where,
    scrollWidth,
    innerWidth,
    true,
  ]);
}

/** Runs axe (WCAG 2.1 A/AA and best practices) and returns the violations, summarised for a readable failure. */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** Collects CSP violations and console errors so a test can assert there were none. */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

/** The page's last API answers ("POST /api/v1/auth/login 200"), for the report of a failed test. */
function watchApiAnswers(page: Page, keep = 30): string[] {
  const answers: string[] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith('/api/')) return;
    answers.push(`${response.request().method()} ${url.pathname} ${response.status()}`);
    if (answers.length > keep) answers.shift();
  });
  return answers;
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen on the page. */
  errors: string[];
}

/**
 * A new browser context and page at `path`. When the running test fails, a full-page screenshot
 * of it goes to test-results/ (ignored by git) to show what the page looked like.
 */
export async function openPage(
  browser: Browser,
  baseURL: string,
  path: string,
  locale = 'it-IT',
): Promise<OpenedPage> {
  const context = await newContext(browser, baseURL, locale);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  const answers = watchApiAnswers(page);
  onTestFailed(async ({ task }) => {
    await page
      .screenshot({ path: `test-results/${task.name.replace(/\W+/g, '-').slice(0, 80)}.png`, fullPage: true })
      .catch(() => {});
    // The screenshot stays on the machine that ran the test; CI's log only has what is printed.
    const shown = await page
      .locator('h1, [role=alert], [role=status]')
      .allInnerTexts()
      .catch(() => []);
    process.stderr.write(
      [
        `--- page at failure of "${task.name}": ${page.isClosed() ? '(closed)' : page.url()}`,
        ...shown.filter((text) => text.trim() !== '').map((text) => `  shown: ${text.replace(/\s+/g, ' ')}`),
        ...answers.map((answer) => `  api: ${answer}`),
        ...errors.map((error) => `  console: ${error}`),
        '',
      ].join('\n'),
    );
  });
  await page.goto(path);
  return { context, page, errors };
}

export async function expectAccessible(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
}

/**
 * Waits until the element is visible (a retrying assertion, like the page would be looked at by a
 * person): fails with the locator's description if it does not appear within the timeout.
 */
export async function expectVisible(locator: Locator, timeoutMs = 10_000): Promise<void> {
  try {
    await locator.waitFor({ state: 'visible', timeout: timeoutMs });
  } catch {
    throw new Error(`expected to see ${locator.toString()} within ${timeoutMs} ms`);
  }
}
