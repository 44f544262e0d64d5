import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** Text files worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|txt|map|webmanifest)$/;
/** Below this, the headers weigh more than what compression saves. */
const MIN_BYTES = 1024;

/**
 * Writes `file.br` (brotli, quality 11) and `file.gz` (gzip, level 9) beside every compressible
 * file of at least 1 KiB in `dir`, keeping a variant only where it is smaller. Done once at build
 * time with the strongest settings, so the server never compresses a response (decision 052).
 * Returns what was written, for the build's log.
 */
export function precompressDirectory(dir: string): { files: number; bytes: number; brotliBytes: number } {
  const totals = { files: 0, bytes: 0, brotliBytes: 0 };
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      if (!COMPRESSIBLE.test(name)) continue;
      const content = readFileSync(path);
      if (content.length < MIN_BYTES) continue;
      const brotli = brotliCompressSync(content, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        },
      });
      const gzip = gzipSync(content, { level: 9 });
      if (brotli.length < content.length) writeFileSync(`${path}.br`, brotli);
      if (gzip.length < content.length) writeFileSync(`${path}.gz`, gzip);
      totals.files += 1;
      totals.bytes += content.length;
      totals.brotliBytes += Math.min(brotli.length, content.length);
    }
  };
  walk(dir);
  return totals;
}

/** The Vite plugin: precompresses the build's output once it is written. */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'onecare-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const { files, bytes, brotliBytes } = precompressDirectory(outDir);
      const kB = (n: number) => (n / 1024).toFixed(1);
      this.info?.(`precompressed ${files} files: ${kB(bytes)} kB → ${kB(brotliBytes)} kB with brotli`);
    },
  };
}
