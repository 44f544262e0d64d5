import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const dataDir = () => mkdtempSync(join(tmpdir(), 'onecare-config-'));

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, { dataDir: dataDir() });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('configuration', () => {
  it('embedded defaults: SQLite under data/, captured mail, demo data, a generated and kept secret', () => {
    const dir = dataDir();
    const config = loadConfig({}, { dataDir: dir });
    expect(config.port).toBe(3000);
    expect(config.database.kind).toBe('sqlite');
    expect(config.databaseUrl).toBe('sqlite:./data/onecare.db');
    expect(config.mail).toEqual({ transport: 'capture' });
    expect(config.demoData).toBe(true);
    expect(config.publicUrl.origin).toBe('http://localhost:3000');
    expect(config.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(join(dir, 'session-secret'), 'utf8').trim()).toBe(config.sessionSecret);
    expect(loadConfig({}, { dataDir: dir }).sessionSecret).toBe(config.sessionSecret);
  });

  it('PostgreSQL: demo data off by default and a secret is required', () => {
    expect(problemsOf({ DATABASE_URL: 'postgres://u@db:5432/onecare' })).toEqual([
      'SESSION_SECRET is required with a PostgreSQL database (at least 32 characters)',
    ]);
    const config = loadConfig(
      { DATABASE_URL: 'postgres://u@db:5432/onecare', SESSION_SECRET: 's'.repeat(40) },
      { dataDir: dataDir() },
    );
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/onecare' });
    expect(config.demoData).toBe(false);
  });

  it('names the variable and the allowed values when a value is wrong', () => {
    expect(problemsOf({ MAIL_TRANSPORT: 'pigeon' })).toEqual([
      'MAIL_TRANSPORT must be one of capture, smtp (got "pigeon")',
    ]);
    expect(problemsOf({ PORT: 'eighty' })).toEqual([
      'PORT must be a whole number from 0 to 65535 (got "eighty")',
    ]);
    expect(problemsOf({ DATABASE_URL: 'mysql://x' })[0]).toContain('DATABASE_URL');
    expect(problemsOf({ MAIL_TRANSPORT: 'smtp' })[0]).toContain('SMTP_URL is required');
    expect(problemsOf({ MAIL_TRANSPORT: 'smtp', SMTP_URL: 'http://x' })[0]).toContain(
      'SMTP_URL must be a URL',
    );
    expect(problemsOf({ PUBLIC_URL: 'https://portal.example/app' })[0]).toContain('PUBLIC_URL');
    expect(problemsOf({ SESSION_SECRET: 'short' })[0]).toContain('SESSION_SECRET');
    expect(problemsOf({ DEMO_DATA: 'maybe' })[0]).toContain('DEMO_DATA must be true or false');
    expect(problemsOf({ REDIS_URL: 'localhost:6379' })[0]).toContain('REDIS_URL');
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ PORT: '-1', LOG_LEVEL: 'loud', SUPPORT_EMAIL: 'nope' })).toHaveLength(3);
  });
});
