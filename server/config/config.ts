import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { dirname, resolve } from 'node:path';
import { isValidBIC, isValidIBAN } from 'ibantools';

/**
 * Every setting of OneCare, read once from the environment and validated at boot.
 * A wrong or missing value stops the process with a message naming the variable.
 * Behaviour follows these explicit settings, never NODE_ENV.
 */
export interface AppConfig {
  port: number;
  host: string;
  publicUrl: URL;
  database: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };
  databaseUrl: string;
  mail: { transport: 'capture' } | { transport: 'smtp'; smtpUrl: string };
  mailFrom: string;
  /** Files the back office uploads for import (registry, network), kept for the import's history. */
  storageDir: string;
  /** Where members' documents are kept (sealed): a local folder or an S3-compatible bucket. */
  documents:
    | { driver: 'local'; dir: string }
    | {
        driver: 's3';
        /** For a non-AWS server; path-style addressing (`endpoint/bucket/key`) is then the default. */
        endpoint: string | undefined;
        region: string;
        bucket: string;
        accessKeyId: string | undefined;
        secretAccessKey: string | undefined;
        forcePathStyle: boolean;
      };
  /** 32 bytes: the master key documents are encrypted with (AES-256-GCM, decision 030). */
  documentKey: Buffer;
  redisUrl: string | undefined;
  sessionSecret: string;
  supportEmail: string;
  supportPhone: string;
  demoData: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  trustProxy: boolean;
  /** Required when HOST is not loopback: /metrics then answers only with it as a Bearer token. */
  metricsToken: string | undefined;
  /** Serve the OpenAPI document and its UI at /api/docs (default: only in the local setup). */
  apiDocs: boolean;
  outboxPollMs: number;
  /**
   * On SIGTERM/SIGINT, how long the process keeps serving while /readyz answers 503, before it
   * stops listening and finishes the requests under way: longer than the load balancer takes to
   * see it not ready (decision 054). 0 without a load balancer.
   */
  shutdownDrainMs: number;
  /** Days from a claim's submission to its expected decision date (shown to the member). */
  claimDecisionDays: number;
  /** Days a claim waits for documents asked for before the system cancels it. */
  claimIntegrationExpiryDays: number;
  /** A decision accepting more than this in total (cents) needs a second operator (four eyes). */
  claimFourEyesCents: number;
  /** Share of claims eligible for an automatic decision sent to the queue anyway (basis points). */
  claimAutoSampleBasisPoints: number;
  /** Hours before a booked appointment after which the member can no longer cancel or move it. */
  bookingCancelNoticeHours: number;
  /** Hours the member has to accept or decline a slot the booking desk proposed. */
  bookingProposalResponseHours: number;
  rateLimitPerMinute: number;
  /** Per address, on each public form that sends email or checks a secret (registration, recovery, activation). */
  formRateLimitPerMinute: number;
  /** PBKDF2 iterations per try of the captcha's proof of work. */
  captchaCost: number;
  /**
   * The fund that pays the claims: the debtor of the SEPA credit transfer files (decision 040) and
   * the sender of the settlement letters. The defaults are a demo's, plainly fictitious.
   */
  fund: { name: string; iban: string; bic: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Whether a host name or address can only be reached from this machine: `localhost`, 127.0.0.0/8
 * or ::1 (with or without the brackets of a URL). Any other name counts as reachable from outside,
 * even one that happens to resolve to a loopback address.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (isIPv6(h)) return new URL(`http://[${h}]`).hostname === '[::1]';
  return false;
}

/** The demo's fund: a name that says so, the IBAN of the Italian banks' documentation examples. */
export const DEMO_FUND = {
  name: 'Fondo Demo OneCare (FITTIZIO)',
  iban: 'IT60X0542811101000000123456',
  bic: 'DEMOITM1XXX',
} as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads and checks the configuration. `dataDir` is where an embedded-mode secret is kept. */
export function loadConfig(env: Env = process.env, options: { dataDir?: string } = {}): AppConfig {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = get(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
    return fallback;
  };
  const url = (name: string, raw: string, protocols: string[]): URL | undefined => {
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) throw new Error('protocol');
      return u;
    } catch {
      problems.push(`${name} must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
      return undefined;
    }
  };

  const port = int('PORT', 3000, 0, 65535);
  const host = get('HOST') ?? 'localhost';
  const publicUrlRaw = get('PUBLIC_URL') ?? `http://localhost:${port}`;
  const publicUrl = url('PUBLIC_URL', publicUrlRaw, ['http:', 'https:']) ?? new URL('http://localhost');
  if (publicUrl.pathname !== '/' || publicUrl.search || publicUrl.hash) {
    problems.push(
      'PUBLIC_URL must be an origin without path, query or fragment (e.g. https://onecare.example)',
    );
  }

  const databaseUrl = get('DATABASE_URL') ?? 'sqlite:./data/onecare.db';
  let database: AppConfig['database'] = { kind: 'sqlite', path: './data/onecare.db' };
  if (databaseUrl.startsWith('sqlite:')) {
    const path = databaseUrl.slice('sqlite:'.length);
    if (path === '') problems.push('DATABASE_URL "sqlite:" needs a file path, e.g. sqlite:./data/onecare.db');
    database = { kind: 'sqlite', path: path === ':memory:' ? path : resolve(path) };
  } else if (databaseUrl.startsWith('postgres://') || databaseUrl.startsWith('postgresql://')) {
    if (url('DATABASE_URL', databaseUrl, ['postgres:', 'postgresql:']))
      database = { kind: 'postgres', url: databaseUrl };
  } else {
    problems.push('DATABASE_URL must start with sqlite: or postgres:// (got another scheme)');
  }

  // The local setup: nobody but this machine reaches the server, nor is sent to it by an email
  // link. Only there may the built-in mailbox run, and only there is it the default (decision 028).
  const hostIsLoopback = isLoopbackHost(host);
  const local = hostIsLoopback && isLoopbackHost(publicUrl.hostname);
  const where = `HOST=${host}, PUBLIC_URL=${publicUrl.origin}`;
  const transportSet = get('MAIL_TRANSPORT') !== undefined;
  const transport = oneOf('MAIL_TRANSPORT', ['capture', 'smtp'] as const, local ? 'capture' : 'smtp');
  let mail: AppConfig['mail'] = { transport: 'capture' };
  if (transport === 'capture' && !local) {
    problems.push(
      `MAIL_TRANSPORT=capture (the built-in mailbox at /dev/mailbox, which shows every email to anyone) is allowed only when HOST and PUBLIC_URL are both loopback (localhost, 127.0.0.0/8, ::1); got ${where}. Use MAIL_TRANSPORT=smtp with SMTP_URL.`,
    );
  }
  if (transport === 'smtp') {
    const smtpUrl = get('SMTP_URL');
    if (!smtpUrl)
      problems.push(
        transportSet
          ? 'SMTP_URL is required when MAIL_TRANSPORT=smtp (e.g. smtp://127.0.0.1:2525)'
          : `SMTP_URL is required: when HOST or PUBLIC_URL is not loopback (${where}) emails go through SMTP (MAIL_TRANSPORT=smtp, the default there); the built-in mailbox is only for a local setup`,
      );
    else if (url('SMTP_URL', smtpUrl, ['smtp:', 'smtps:'])) mail = { transport: 'smtp', smtpUrl };
  }
  const mailFrom = get('MAIL_FROM') ?? 'OneCare <no-reply@onecare.localhost>';
  if (!/<[^<>@\s]+@[^<>@\s]+>$|^[^<>@\s]+@[^<>@\s]+$/.test(mailFrom)) {
    problems.push('MAIL_FROM must be an address, optionally with a name: "OneCare <no-reply@example.it>"');
  }

  const redisRaw = get('REDIS_URL');
  const redisUrl = redisRaw && url('REDIS_URL', redisRaw, ['redis:', 'rediss:']) ? redisRaw : undefined;

  const dataDir = resolve(options.dataDir ?? './data');
  let sessionSecret = get('SESSION_SECRET');
  if (sessionSecret !== undefined && sessionSecret.length < 32) {
    problems.push('SESSION_SECRET must be at least 32 characters long (e.g. openssl rand -base64 48)');
  }
  if (sessionSecret === undefined) {
    if (database.kind === 'sqlite') {
      sessionSecret = problems.length === 0 ? embeddedSecret(dataDir) : 'x'.repeat(32);
    } else {
      problems.push('SESSION_SECRET is required with a PostgreSQL database (at least 32 characters)');
      sessionSecret = '';
    }
  }

  const storageDir = resolve(get('STORAGE_DIR') ?? './data/documents');
  let documents: AppConfig['documents'] = { driver: 'local', dir: storageDir };
  if (oneOf('STORAGE_DRIVER', ['local', 's3'] as const, 'local') === 's3') {
    const bucket = get('S3_BUCKET');
    if (!bucket) problems.push('S3_BUCKET is required when STORAGE_DRIVER=s3');
    const endpointRaw = get('S3_ENDPOINT');
    const endpoint =
      endpointRaw && url('S3_ENDPOINT', endpointRaw, ['http:', 'https:']) ? endpointRaw : undefined;
    const accessKeyId = get('S3_ACCESS_KEY_ID');
    const secretAccessKey = get('S3_SECRET_ACCESS_KEY');
    if ((accessKeyId === undefined) !== (secretAccessKey === undefined))
      problems.push(
        'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together (or neither, for the SDK defaults)',
      );
    documents = {
      driver: 's3',
      endpoint,
      region: get('S3_REGION') ?? 'eu-south-1',
      bucket: bucket ?? '',
      accessKeyId,
      secretAccessKey,
      forcePathStyle: bool('S3_FORCE_PATH_STYLE', endpoint !== undefined),
    };
  }
  let documentKey: Buffer = Buffer.alloc(32);
  const documentKeyRaw = get('DOCUMENT_KEY');
  if (documentKeyRaw !== undefined) {
    const decoded = /^[0-9a-fA-F]{64}$/.test(documentKeyRaw)
      ? Buffer.from(documentKeyRaw, 'hex')
      : Buffer.from(documentKeyRaw, 'base64');
    if (decoded.length !== 32 || !/^[A-Za-z0-9+/=_-]+$/.test(documentKeyRaw))
      problems.push('DOCUMENT_KEY must be 32 bytes in base64 or hex (e.g. openssl rand -base64 32)');
    else documentKey = decoded;
  } else if (database.kind === 'sqlite' && documents.driver === 'local') {
    if (problems.length === 0) documentKey = embeddedDocumentKey(dataDir);
  } else {
    problems.push(
      'DOCUMENT_KEY is required with PostgreSQL or S3 storage (32 bytes: openssl rand -base64 32)',
    );
  }

  const supportEmail = get('SUPPORT_EMAIL') ?? 'supporto@onecare.example';
  if (!/^[^@\s]+@[^@\s]+$/.test(supportEmail)) problems.push('SUPPORT_EMAIL must be an email address');
  const supportPhone = get('SUPPORT_PHONE') ?? '800 000 000';

  const fundName = get('FUND_NAME') ?? DEMO_FUND.name;
  if (fundName.length > 70 || !/^[A-Za-z0-9/?:().,'+ -]+$/.test(fundName))
    problems.push(
      "FUND_NAME must be at most 70 characters of the SEPA set: letters a-z A-Z without accents, digits, space and / - ? : ( ) . , ' +",
    );
  const fundIban = (get('FUND_IBAN') ?? DEMO_FUND.iban).replace(/\s+/g, '').toUpperCase();
  if (!isValidIBAN(fundIban))
    problems.push('FUND_IBAN must be a valid IBAN (e.g. IT60X0542811101000000123456)');
  const fundBic = (get('FUND_BIC') ?? DEMO_FUND.bic).toUpperCase();
  if (!isValidBIC(fundBic))
    problems.push('FUND_BIC must be a valid BIC of 8 or 11 characters (e.g. BPPIITRRXXX)');
  else if (isValidIBAN(fundIban) && fundBic.slice(4, 6) !== fundIban.slice(0, 2))
    problems.push("FUND_BIC's country (5th and 6th characters) must be FUND_IBAN's");

  const metricsToken = get('METRICS_TOKEN');
  if (metricsToken === undefined && !hostIsLoopback) {
    problems.push(
      `METRICS_TOKEN is required when HOST is not loopback (HOST=${host}): without it /metrics is public. Choose a random value (e.g. openssl rand -base64 32); scrapers send "Authorization: Bearer <token>"`,
    );
  }

  const config: AppConfig = {
    port,
    host,
    publicUrl,
    database,
    databaseUrl,
    mail,
    mailFrom,
    storageDir,
    documents,
    documentKey,
    redisUrl,
    sessionSecret,
    supportEmail,
    supportPhone,
    demoData: bool('DEMO_DATA', database.kind === 'sqlite'),
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    trustProxy: bool('TRUST_PROXY', false),
    metricsToken,
    apiDocs: bool('API_DOCS', local),
    outboxPollMs: int('OUTBOX_POLL_MS', 1000, 10, 600_000),
    shutdownDrainMs: int('SHUTDOWN_DRAIN_MS', 0, 0, 300_000),
    claimDecisionDays: int('CLAIM_DECISION_DAYS', 30, 1, 365),
    claimIntegrationExpiryDays: int('CLAIM_INTEGRATION_EXPIRY_DAYS', 60, 1, 365),
    claimFourEyesCents: int('CLAIM_FOUR_EYES_CENTS', 100_000, 0, 100_000_000),
    claimAutoSampleBasisPoints: int('CLAIM_AUTO_SAMPLE_BASIS_POINTS', 500, 0, 10_000),
    bookingCancelNoticeHours: int('BOOKING_CANCEL_NOTICE_HOURS', 48, 0, 720),
    bookingProposalResponseHours: int('BOOKING_PROPOSAL_RESPONSE_HOURS', 48, 1, 720),
    rateLimitPerMinute: int('RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
    formRateLimitPerMinute: int('FORM_RATE_LIMIT_PER_MINUTE', 10, 1, 1_000_000),
    captchaCost: int('CAPTCHA_COST', 5000, 1, 1_000_000),
    fund: { name: fundName, iban: fundIban, bic: fundBic },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** In the embedded mode a secret is generated once and kept beside the database. */
function embeddedSecret(dataDir: string): string {
  const file = resolve(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

/** In the embedded mode the document key is generated once and kept beside the database. */
function embeddedDocumentKey(dataDir: string): Buffer {
  const file = resolve(dataDir, 'document-key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
