import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDirectory } from '../../web/build/precompress.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';

/** A built app in miniature: a page and a script big enough to be worth compressing. */
function writeWebDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'onecare-web-'));
  mkdirSync(join(dir, 'assets'));
  const filler = Array.from({ length: 200 }, (_, i) => `<!-- riga ${i} della pagina -->`).join('\n');
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html lang="it"><body><div id="root"></div>${filler}</body></html>`,
  );
  const script = Array.from({ length: 500 }, (_, i) => `export const value${i} = 'valore ${i}';`).join('\n');
  writeFileSync(join(dir, 'assets', 'app-abc123.js'), script);
  writeFileSync(join(dir, 'assets', 'tiny.js'), 'export {};\n');
  return dir;
}

describe('static files precompressed at build time', () => {
  let t: TestApp;
  let dir = '';
  beforeAll(async () => {
    dir = writeWebDir();
    const totals = precompressDirectory(dir);
    expect(totals.files).toBe(2);
    t = await buildTestApp({ webDir: dir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('[build] writes brotli and gzip beside each text file worth it, and leaves tiny files alone', () => {
    const script = readFileSync(join(dir, 'assets', 'app-abc123.js'));
    expect(brotliDecompressSync(readFileSync(join(dir, 'assets', 'app-abc123.js.br')))).toEqual(script);
    expect(gunzipSync(readFileSync(join(dir, 'assets', 'app-abc123.js.gz')))).toEqual(script);
    expect(existsSync(join(dir, 'assets', 'tiny.js.br'))).toBe(false);
  });

  it('[anyone] a script comes as brotli, gzip or plain as the browser accepts, same bytes, same cache rule', async () => {
    const original = readFileSync(join(dir, 'assets', 'app-abc123.js'));
    const br = await t.app.inject({
      url: '/assets/app-abc123.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.headers['cache-control']).toContain('immutable');
    expect(br.rawPayload.length).toBeLessThan(original.length / 4);
    expect(brotliDecompressSync(br.rawPayload)).toEqual(original);

    const gz = await t.app.inject({ url: '/assets/app-abc123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload)).toEqual(original);

    const plain = await t.app.inject({
      url: '/assets/app-abc123.js',
      headers: { 'accept-encoding': 'identity' },
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload).toEqual(original);
  });

  it('[member] the page is compressed too and still never cached (the variant keeps the page’s rule)', async () => {
    for (const url of ['/', '/index.html', '/pratiche', '/attivazione?ticket=ABCD-EFGH-JKMN-PQRS']) {
      const res = await t.app.inject({ url, headers: { accept: 'text/html', 'accept-encoding': 'br' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-encoding'], url).toBe('br');
      expect(res.headers['cache-control'], url).toBe('no-store');
      expect(res.headers['content-type'], url).toMatch(/text\/html/);
      expect(brotliDecompressSync(res.rawPayload).toString(), url).toContain('<div id="root">');
    }
  });
});
