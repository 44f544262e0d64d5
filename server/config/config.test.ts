import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, isLoopbackHost, loadConfig } from './config.js';

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
    expect(readFileSync(join(dir, 'document-key'), 'utf8').trim()).toBe(
      embedded.documentKey.toString('base64'),
    );
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

  it('loopback means localhost, 127.0.0.0/8 or ::1, nothing else', () => {
    for (const host of [
      'localhost',
      'LOCALHOST',
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '[::1]',
      '0:0:0:0:0:0:0:1',
    ])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of [
      '0.0.0.0',
      '::',
      '10.0.0.5',
      '128.0.0.1',
      '127.0.0.256',
      'onecare.example',
      'localhost.example',
      '',
    ])
      expect(isLoopbackHost(host), host).toBe(false);
  });

  it('the built-in mailbox, the API docs and a public /metrics are the defaults of the local setup only', () => {
    const local = loadConfig({}, { dataDir: dataDir() });
    expect(local.mail).toEqual({ transport: 'capture' });
    expect(local.apiDocs).toBe(true);
    expect(local.metricsToken).toBeUndefined();
    const onIp = loadConfig(
      { HOST: '127.0.0.1', PUBLIC_URL: 'http://127.0.0.1:3000' },
      { dataDir: dataDir() },
    );
    expect(onIp.mail).toEqual({ transport: 'capture' });
    expect(onIp.apiDocs).toBe(true);

    const exposed = loadConfig(
      {
        HOST: '0.0.0.0',
        PUBLIC_URL: 'https://onecare.example',
        SMTP_URL: 'smtp://mx:587',
        METRICS_TOKEN: 'm'.repeat(32),
      },
      { dataDir: dataDir() },
    );
    // SMTP_URL alone chooses SMTP: the mailbox is never the default once the portal is reachable.
    expect(exposed.mail).toEqual({ transport: 'smtp', smtpUrl: 'smtp://mx:587' });
    expect(exposed.apiDocs).toBe(false);
    expect(
      loadConfig(
        {
          HOST: '0.0.0.0',
          API_DOCS: 'true',
          MAIL_TRANSPORT: 'smtp',
          SMTP_URL: 'smtp://mx:587',
          METRICS_TOKEN: 'm'.repeat(32),
        },
        { dataDir: dataDir() },
      ).apiDocs,
    ).toBe(true);
    expect(loadConfig({ API_DOCS: 'false' }, { dataDir: dataDir() }).apiDocs).toBe(false);
  });

  it('[operator] the built-in mailbox is refused unless HOST and PUBLIC_URL are both loopback', () => {
    const token = { METRICS_TOKEN: 'm'.repeat(32) };
    const onAllInterfaces = problemsOf({ MAIL_TRANSPORT: 'capture', HOST: '0.0.0.0', ...token });
    expect(onAllInterfaces).toHaveLength(1);
    expect(onAllInterfaces[0]).toContain('MAIL_TRANSPORT=capture');
    expect(onAllInterfaces[0]).toContain('HOST');
    expect(onAllInterfaces[0]).toContain('PUBLIC_URL');
    expect(onAllInterfaces[0]).toContain('MAIL_TRANSPORT=smtp');
    const publicUrl = problemsOf({ MAIL_TRANSPORT: 'capture', PUBLIC_URL: 'https://onecare.example' });
    expect(publicUrl).toHaveLength(1);
    expect(publicUrl[0]).toContain('MAIL_TRANSPORT=capture');
    // Not set at all outside loopback: no silent fallback to the mailbox either.
    const unset = problemsOf({ PUBLIC_URL: 'https://onecare.example' });
    expect(unset).toHaveLength(1);
    expect(unset[0]).toContain('MAIL_TRANSPORT');
    expect(unset[0]).toContain('SMTP_URL');
    expect(problemsOf({ HOST: '::', ...token })[0]).toContain('SMTP_URL');
  });

  it('[operator] METRICS_TOKEN is required when the server listens outside loopback', () => {
    const smtp = { MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://mx:587' };
    const problems = problemsOf({ HOST: '0.0.0.0', ...smtp });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('METRICS_TOKEN is required');
    expect(problems[0]).toContain('HOST');
    expect(problemsOf({ HOST: '10.0.0.5', ...smtp, METRICS_TOKEN: 't'.repeat(32) })).toEqual([]);
    expect(problemsOf({ HOST: '127.0.0.1', ...smtp })).toEqual([]);
  });

  it('[administrator] the fund paying the claims: plainly fictitious demo values, or valid given ones', () => {
    expect(loadConfig({}, { dataDir: dataDir() }).fund).toEqual({
      name: 'Fondo Demo OneCare (FITTIZIO)',
      iban: 'IT60X0542811101000000123456',
      bic: 'DEMOITM1XXX',
    });
    const given = loadConfig(
      {
        FUND_NAME: 'Fondo Sanitario Esempio',
        FUND_IBAN: 'it42 l123 4512 3451 2345 6789 012',
        FUND_BIC: 'bppiitrrxxx',
      },
      { dataDir: dataDir() },
    );
    expect(given.fund).toEqual({
      name: 'Fondo Sanitario Esempio',
      iban: 'IT42L1234512345123456789012',
      bic: 'BPPIITRRXXX',
    });
    const wrong = problemsOf({
      FUND_NAME: 'Cassa Mutua Società & Figli',
      FUND_IBAN: 'IT00X0542811101000000123456',
    });
    expect(wrong).toHaveLength(2);
    expect(wrong[0]).toContain('FUND_NAME');
    expect(wrong[1]).toContain('FUND_IBAN');
    expect(problemsOf({ FUND_BIC: 'BPPI' })[0]).toContain('FUND_BIC');
    expect(problemsOf({ FUND_BIC: 'BPPIDERRXXX' })[0]).toContain("FUND_BIC's country");
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ PORT: '-1', LOG_LEVEL: 'loud', SUPPORT_EMAIL: 'nope' })).toHaveLength(3);
  });
});
