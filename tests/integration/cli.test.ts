import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../helpers/cli.js';

// The command line's commands are tested in-process through `runCli` where they are used (registry
// import, staff users, mail); this file checks the process around it and the common exits.
describe('admin command line', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'onecare-cli-'));
    env = {
      DATABASE_URL: `sqlite:${join(dir, 'cli.db')}`,
      SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
      LOG_LEVEL: 'warn',
      DEMO_DATA: 'false',
      MAIL_TRANSPORT: 'capture',
    };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('[operator] runs as a process: migrations applied, the outbox counted, exit code 0', async () => {
    const migrated = await spawnCli(env, 'migrate');
    expect(migrated.err).toBe('');
    expect(migrated.code).toBe(0);
    expect(migrated.out).toMatch(/^applied: /);
    const status = await runCli(env, 'outbox', 'status');
    expect(status.code).toBe(0);
    expect(status.out).toBe('pending  0\nsent     0\nfailed   0\n');
    // A real process compiles the whole server with tsx first: over 30 s when the machine is busy
    // with the other test files running beside it.
  }, 120_000);

  it('[operator] a wrong setting: the variable named on stderr and exit code 78', async () => {
    const result = await runCli({ ...env, SESSION_SECRET: 'short' }, 'outbox', 'status');
    expect(result.code).toBe(78);
    expect(result.err).toContain('SESSION_SECRET');
    expect(result.out).toBe('');
  });

  it('[operator] help answers 0; an unknown command or a missing option answers 1 with the help hint', async () => {
    const help = await runCli(env, '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('registry');
    const unknown = await runCli(env, 'no-such-command');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("unknown command 'no-such-command'");
    const missing = await runCli(env, 'staff', 'create', '--role', 'auditor');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("required option '--username <name>' not specified");
  });
});
