import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const SOURCES = [
  'web/index.html',
  'web/vite.config.ts',
  'web/src',
  'web/public',
  'contracts',
  'package-lock.json',
];
const STAMP = 'web/dist/.source-hash';

function files(path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [full];
  return readdirSync(full, { withFileTypes: true }).flatMap((e) => files(relative(root, join(full, e.name))));
}

/** A hash of everything the web build reads: the build is redone only when it changes. */
export function webSourceHash() {
  const hash = createHash('sha256');
  for (const f of SOURCES.flatMap(files).sort()) {
    hash.update(relative(root, f));
    hash.update(readFileSync(f));
  }
  return hash.digest('hex');
}

/** Builds web/dist when it is missing or older than its sources. Returns true when it built. */
export function ensureWebBuild({ quiet = false } = {}) {
  const want = webSourceHash();
  const stamp = join(root, STAMP);
  if (
    existsSync(join(root, 'web/dist/index.html')) &&
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8') === want
  ) {
    return false;
  }
  if (!quiet) console.log('Building the web app (web/dist)…');
  const vite = join(createRequire(import.meta.url).resolve('vite/package.json'), '..', 'bin', 'vite.js');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', quiet ? 'warn' : 'info'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) throw new Error('web build failed');
  writeFileSync(stamp, want);
  return true;
}
