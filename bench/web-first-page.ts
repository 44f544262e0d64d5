/**
 * First-page benchmark: what a visitor's browser downloads to show the login page, and when it
 * paints the page's largest element (LCP), in Chromium against the real app (`npm run build` first;
 * the script does it when web/dist is missing). Each load is a fresh browser context (nothing cached).
 *
 * Two conditions in the same run, alternating: the browser as it is (it accepts brotli, so it gets
 * the precompressed files) and the same browser told to accept no compression (the baseline: what
 * every visit cost before the files were precompressed). Both on a desktop viewport, unthrottled,
 * and on a phone viewport with a simulated "fast 3G"-like link (1.6 Mbit/s down, 150 ms RTT, CPU 4×
 * slower), where the bytes matter.
 *
 * Last lines, medians of the runs:
 *   web baseline (no compression): login JS <KB> KB transferred, LCP <ms> ms, phone LCP <ms> ms
 *   web: login JS <KB> KB transferred, LCP <ms> ms, phone LCP <ms> ms, ratio <KB ÷ baseline KB>
 *
 *   npm run bench:web [-- runs]        (default 7 runs per condition)
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, CDPSession } from 'playwright-core';
import { DEFAULT_WEB_DIR } from '../server/app.js';
import { launchChromium, PHONE } from '../tests/helpers/browser.js';
import { startServer } from '../tests/helpers/server.js';

const runs = Number(process.argv[2] ?? 7);
const KB = 1024;

if (!existsSync(join(DEFAULT_WEB_DIR, 'index.html'))) {
  execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
}

interface Load {
  jsTransferred: number;
  jsDecoded: number;
  lcp: number;
}

async function load(browser: Browser, url: string, compressed: boolean, phone: boolean): Promise<Load> {
  const context = await browser.newContext({
    ...(phone ? PHONE : { viewport: { width: 1280, height: 900 } }),
    locale: 'it-IT',
  });
  const page = await context.newPage();
  const cdp: CDPSession = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (!compressed) {
    await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
  }
  if (phone) {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6 * 1024 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  }
  const scripts = new Set<string>();
  const decoded = new Map<string, number>();
  let jsTransferred = 0;
  const names = new Map<string, string>();
  cdp.on('Network.responseReceived', (event) => {
    if (event.type === 'Script') scripts.add(event.requestId);
    names.set(event.requestId, event.response.url.replace(url, ''));
  });
  cdp.on('Network.dataReceived', (event) => {
    decoded.set(event.requestId, (decoded.get(event.requestId) ?? 0) + event.dataLength);
  });
  cdp.on('Network.loadingFinished', (event) => {
    if (scripts.has(event.requestId)) jsTransferred += event.encodedDataLength;
  });
  await page.goto(`${url}/login`, { waitUntil: 'networkidle' });
  await page.getByRole('heading', { level: 1 }).waitFor();
  // A string, evaluated in the page: the server's type definitions know no browser entry types.
  const lcp = Number(
    await page.evaluate(`new Promise((resolve) => {
      new PerformanceObserver((list) => resolve(list.getEntries().at(-1)?.startTime ?? NaN))
        .observe({ type: 'largest-contentful-paint', buffered: true });
    })`),
  );
  let jsDecoded = 0;
  for (const id of scripts) jsDecoded += decoded.get(id) ?? 0;
  if (process.env.BENCH_WEB_LIST) {
    for (const id of scripts)
      console.log(`  ${names.get(id)}: ${((decoded.get(id) ?? 0) / KB).toFixed(1)} KB`);
  }
  await context.close();
  return { jsTransferred, jsDecoded, lcp };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const server = await startServer({ LOG_LEVEL: 'warn' });
const browser = await launchChromium();
try {
  const results = {
    plain: [] as Load[],
    brotli: [] as Load[],
    plainPhone: [] as Load[],
    brotliPhone: [] as Load[],
  };
  // One warm-up load of each, not counted (the server's first requests compile routes).
  await load(browser, server.url, true, false);
  await load(browser, server.url, false, false);
  for (let i = 0; i < runs; i += 1) {
    results.plain.push(await load(browser, server.url, false, false));
    results.brotli.push(await load(browser, server.url, true, false));
    results.plainPhone.push(await load(browser, server.url, false, true));
    results.brotliPhone.push(await load(browser, server.url, true, true));
  }
  const kB = (list: Load[]) => median(list.map((l) => l.jsTransferred)) / KB;
  const ms = (list: Load[]) => median(list.map((l) => l.lcp));
  const baseKB = kB(results.plain);
  const newKB = kB(results.brotli);
  console.log(
    `runs: ${runs} per condition; login JS decoded ${(median(results.brotli.map((l) => l.jsDecoded)) / KB).toFixed(1)} KB`,
  );
  console.log(
    `web baseline (no compression): login JS ${baseKB.toFixed(1)} KB transferred, LCP ${ms(results.plain).toFixed(0)} ms, phone LCP ${ms(results.plainPhone).toFixed(0)} ms`,
  );
  console.log(
    `web: login JS ${newKB.toFixed(1)} KB transferred, LCP ${ms(results.brotli).toFixed(0)} ms, phone LCP ${ms(results.brotliPhone).toFixed(0)} ms, ratio ${(newKB / baseKB).toFixed(2)}`,
  );
} finally {
  await browser.close();
  await server.stop();
}
