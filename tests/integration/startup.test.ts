import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const tsx = createRequire(import.meta.url).resolve('tsx/cli');

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
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('start-up', () => {
  it('[operator] a wrong configuration value stops the start with a message naming the variable', async () => {
    const { code, stderr } = await start({
      MAIL_TRANSPORT: 'pigeon',
      PORT: '0',
      DATABASE_URL: 'sqlite::memory:',
    });
    expect(code).toBe(78);
    expect(stderr).toContain('OneCare cannot start. Invalid configuration:');
    expect(stderr).toContain('MAIL_TRANSPORT must be one of capture, smtp (got "pigeon")');
  });

  it('[operator] a missing required value is named too', async () => {
    const { code, stderr } = await start({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      PORT: '0',
    });
    expect(code).toBe(78);
    expect(stderr).toContain('SESSION_SECRET is required with a PostgreSQL database');
  });
});
