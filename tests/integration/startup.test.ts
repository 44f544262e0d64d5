import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const main = fileURLToPath(new URL('../../server/main.ts', import.meta.url));

function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsx, 'server/main.ts'], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    // The process compiles the whole server with tsx before it reads its settings: on a machine busy
    // with other test files that alone can pass 20 s.
    const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/** Starts the real process in `cwd` and resolves with the address it listens on. */
function listen(
  cwd: string,
  env: Record<string, string>,
  args = [tsx, main],
): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no "listening" line in time:\n${out}\n${err}`));
    }, 80_000);
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Server listening at (http:\/\/[^\s"]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${out}\n${err}`));
    });
  });
}

describe('start-up', () => {
  // Each rule of the configuration is unit-tested in server/config/config.test.ts; here the real
  // process, twice: every problem named at once on stderr, and exit code 78 (EX_CONFIG).
  it('[operator] a wrong value and a public interface without a metrics token stop the start, both named', async () => {
    const { code, stderr } = await start({
      MAIL_TRANSPORT: 'pigeon',
      HOST: '0.0.0.0',
      PORT: '0',
      DATABASE_URL: 'sqlite::memory:',
    });
    expect(code).toBe(78);
    expect(stderr).toContain('OneCare cannot start. Invalid configuration:');
    expect(stderr).toContain('MAIL_TRANSPORT must be one of capture, smtp (got "pigeon")');
    expect(stderr).toContain('METRICS_TOKEN is required when HOST is not loopback (HOST=0.0.0.0)');
  }, 120_000);

  it('[operator] a missing secret and the built-in mailbox behind a public address stop the start, both named', async () => {
    const { code, stderr } = await start({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      MAIL_TRANSPORT: 'capture',
      PUBLIC_URL: 'https://onecare.example',
      PORT: '0',
    });
    expect(code).toBe(78);
    expect(stderr).toContain('SESSION_SECRET is required with a PostgreSQL database');
    expect(stderr).toContain('MAIL_TRANSPORT=capture');
    expect(stderr).toContain('PUBLIC_URL=https://onecare.example');
  }, 120_000);

  // Demo data included, as `npm start` does on a first start: this one takes a while.
  it('[visitor] with no configuration at all the portal starts on loopback with its mailbox and API docs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onecare-start-'));
    const { child, url } = await listen(dir, { PORT: '0' });
    try {
      expect((await fetch(`${url}/dev/mailbox`)).status).toBe(200);
      expect((await fetch(`${url}/api/docs/json`)).status).toBe(200);
      expect((await fetch(`${url}/metrics`)).status).toBe(200);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('[operator] on SIGTERM the process drains: /readyz answers 503 at once, other requests are still served, then it exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onecare-drain-'));
    // As `npm start` runs it (tsx loaded in the process): the signal reaches the server itself.
    const { child, url } = await listen(dir, { PORT: '0', DEMO_DATA: 'false', SHUTDOWN_DRAIN_MS: '6000' }, [
      fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url)),
    ]);
    try {
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      const signalled = Date.now();
      child.kill('SIGTERM');
      await expect
        .poll(async () => (await fetch(`${url}/readyz`)).status, { interval: 20, timeout: 3000 })
        .toBe(503);
      expect(await (await fetch(`${url}/readyz`)).json()).toEqual({
        status: 'unavailable',
        checks: { shutdown: 'draining' },
      });
      // Still serving while the load balancer notices (6 s: room for a slow machine): the health of
      // the process and the pages.
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/api/v1/public-config`)).status).toBe(200);
      expect(await exited).toBe(0);
      expect(Date.now() - signalled).toBeGreaterThanOrEqual(6000);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
