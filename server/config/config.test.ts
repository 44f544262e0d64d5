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
      'DOCUMENT_KEY is required with PostgreSQL or S3 storage (32 bytes: openssl rand -base64 32)',
    ]);
    const config = loadConfig(
      {
        DATABASE_URL: 'postgres://u@db:5432/onecare',
        SESSION_SECRET: 's'.repeat(40),
        DOCUMENT_KEY: Buffer.alloc(32, 7).toString('base64'),
      },
      { dataDir: dataDir() },
    );
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/onecare' });
    expect(config.demoData).toBe(false);
  });

  it('documents: a local folder and a generated, kept key by default; S3 with its settings and a given key', () => {
    const dir = dataDir();
    const embedded = loadConfig({}, { dataDir: dir });
    expect(embedded.documents).toEqual({ driver: 'local', dir: embedded.storageDir });
    expect(embedded.documentKey.length).toBe(32);
    expect(readFileSync(join(dir, 'document-key'), 'utf8').trim()).toBe(embedded.documentKey.toString('base64'));
    expect(loadConfig({}, { dataDir: dir }).documentKey.equals(embedded.documentKey)).toBe(true);

    const key = Buffer.alloc(32, 9);
    const s3 = loadConfig(
      {
        STORAGE_DRIVER: 's3',
        S3_ENDPOINT: 'http://127.0.0.1:9000',
        S3_BUCKET: 'documenti',
        S3_ACCESS_KEY_ID: 'id',
        S3_SECRET_ACCESS_KEY: 'secret',
        DOCUMENT_KEY: key.toString('hex'),
      },
      { dataDir: dataDir() },
    );
    expect(s3.documents).toEqual({
      driver: 's3',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-south-1',
      bucket: 'documenti',
      accessKeyId: 'id',
      secretAccessKey: 'secret',
      forcePathStyle: true,
    });
    expect(s3.documentKey.equals(key)).toBe(true);

    expect(problemsOf({ STORAGE_DRIVER: 's3', S3_ACCESS_KEY_ID: 'id', DOCUMENT_KEY: 'short' })).toEqual([
      'S3_BUCKET is required when STORAGE_DRIVER=s3',
      'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together (or neither, for the SDK defaults)',
      'DOCUMENT_KEY must be 32 bytes in base64 or hex (e.g. openssl rand -base64 32)',
    ]);
    expect(problemsOf({ STORAGE_DRIVER: 's3', S3_BUCKET: 'b' })).toEqual([
      'DOCUMENT_KEY is required with PostgreSQL or S3 storage (32 bytes: openssl rand -base64 32)',
    ]);
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
