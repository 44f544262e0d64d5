/**
 * The app killed (SIGKILL) in the middle of a claim document upload (decision 057). The real
 * server runs as a child process on a port of 127.0.0.1, over a database and a document folder
 * that outlive it; a member streams a large invoice slowly and the process is killed mid-body.
 * Then: no half claim (the draft is still a draft, no document row for the cut file), the sweep
 * removes the partial file, and after a restart on the same database and folder the member's
 * retry, sent twice with the same idempotency key, makes exactly one claim with its documents.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoNetwork } from '../../server/demo/network.js';
import { demoMember, seedDemoRegistry } from '../../server/demo/registry.js';
import { claimDocumentsSweepJob } from '../../server/jobs/claim-documents-sweep.job.js';
import { systemClock } from '../../server/lib/clock.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { largePdf, prescriptionPng } from '../helpers/claim-files.js';
import { IBAN, invoice, memberWithSession } from '../helpers/claims.js';
import { freePort } from '../helpers/server.js';
import { eventually } from '../helpers/tcp-proxy.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.js';

// tsx loaded inside the server's own process (as `npm start` does), not through its command line,
// which runs the server as a child of its own: a SIGKILL would end the wrapper and leave the
// server running.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const main = fileURLToPath(new URL('../../server/main.ts', import.meta.url));
const DAY = 86_400_000;

/** Every file below a folder, with its size. */
function filesIn(dir: string): { path: string; bytes: number }[] {
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true }).map(String);
  } catch {
    return [];
  }
  const files: { path: string; bytes: number }[] = [];
  for (const path of entries) {
    // The store's readiness probe writes and removes a `.probe-…` file of its own at any moment:
    // not a document, and it may be gone between the listing and the stat.
    if (path.split(/[\\/]/).pop()?.startsWith('.probe-')) continue;
    try {
      const info = statSync(join(dir, path));
      if (info.isFile()) files.push({ path, bytes: info.size });
    } catch {
      // Removed since the listing (a probe, or the sweep): not there.
    }
  }
  return files;
}

interface Child {
  process: ChildProcess;
  url: string;
  output: () => string;
}

/** The real server process (server/main.ts), resolved once it listens. */
function startChild(env: Record<string, string>): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, main], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not listen in time:\n${out}`));
    }, 150_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ process: child, url: m[1], output: () => out });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}):\n${out}`));
    });
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('faults: the app killed in the middle of a claim upload', () => {
  let dir: string;
  let storage: string;
  let database: TestDatabase;
  let t: TestApp;
  let env: Record<string, string>;
  let cookie: string;
  let accountId: string;
  let draftId: string;
  let BIG: Buffer;
  let child: Child | undefined;
  const children: ChildProcess[] = [];

  const claimsOfAccount = () =>
    t.app.db
      .selectFrom('claims')
      .select(['id', 'state', 'number', 'idempotency_key'])
      .where('account_id', '=', accountId)
      .execute();
  const documentsOf = (claimId: string) =>
    t.app.db
      .selectFrom('claim_documents')
      .select(['id', 'kind', 'storage_key', 'sent'])
      .where('claim_id', '=', claimId)
      .execute();

  async function launch(): Promise<Child> {
    const port = await freePort();
    const started = await startChild({
      ...env,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    });
    children.push(started.process);
    return started;
  }

  function headers(c: Child, extra: Record<string, string> = {}) {
    return { origin: c.url, 'sec-fetch-site': 'same-origin', cookie, ...extra };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'onecare-crash-'));
    storage = join(dir, 'documents');
    database = await createTestDatabase();
    const databaseUrl =
      database.dialect === 'sqlite'
        ? `sqlite:${(database.config as { path: string }).path}`
        : // The child runs every query in this file's schema, as the test app does.
          (() => {
            const url = new URL((database.config as { url: string }).url);
            url.searchParams.set('options', `-c search_path=${database.schema}`);
            return url.toString();
          })();
    env = {
      DATABASE_URL: databaseUrl,
      STORAGE_DIR: storage,
      SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
      DOCUMENT_KEY: randomBytes(32).toString('hex'),
      MAIL_TRANSPORT: 'capture',
      DEMO_DATA: 'false',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      // Every claim waits for an operator: the claim's state after sending is always "submitted".
      CLAIM_AUTO_SAMPLE_BASIS_POINTS: '10000',
    };
    // The test's own app on the same database and folder: seeds, reads rows, runs the sweep.
    t = await buildTestApp({
      database,
      env: { STORAGE_DIR: storage, DOCUMENT_KEY: env.DOCUMENT_KEY ?? '' },
    });
    await seedDemoRegistry(t.app.db, t.app.dialect, systemClock);
    await seedDemoNetwork(t.app.db, systemClock);
    const mario = await t.app.db
      .selectFrom('registry_members')
      .select('id')
      .where('codice_fiscale', '=', demoMember('mario').codiceFiscale)
      .executeTakeFirstOrThrow();
    const account = await memberWithSession(t.app, mario.id);
    cookie = account.cookie;
    accountId = account.id;
    BIG = await largePdf(6 * 1024 * 1024);
  }, 240_000);

  afterAll(async () => {
    for (const c of children) await killed(c);
    await t?.close();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('[member] SIGKILL mid-upload: no half claim, the cut file is only a partial file', async () => {
    child = await launch();
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${child?.url}${path}`, {
        method,
        headers: headers(child as Child, body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    // The wizard: a draft, its fields, the prescription.
    const draft = await api('POST', '/api/v1/claims/drafts');
    expect([200, 201]).toContain(draft.status);
    draftId = ((await draft.json()) as { id: string }).id;
    const recent = new Date(Date.now() - 10 * DAY).toISOString().slice(0, 10);
    const saved = await api('PUT', `/api/v1/claims/drafts/${draftId}`, {
      beneficiaryId: (
        await t.app.db
          .selectFrom('member_accounts')
          .select('registry_member_id')
          .where('id', '=', accountId)
          .executeTakeFirstOrThrow()
      ).registry_member_id,
      category: 'visite_specialistiche',
      invoices: [invoice({ invoiceDate: recent })],
      iban: IBAN,
      accountHolder: 'Mario Demo',
    });
    expect(saved.status, await saved.clone().text()).toBe(200);
    const png = await fetch(
      `${child.url}/api/v1/claims/drafts/${draftId}/documents?kind=prescrizione&name=ricetta.png`,
      {
        method: 'POST',
        headers: headers(child, { 'content-type': 'image/png' }),
        body: new Uint8Array(await prescriptionPng()),
      },
    );
    expect(png.status).toBe(201);
    const before = filesIn(storage);
    expect(before).toHaveLength(1);

    // The invoice, 6 MB announced, sent slowly; the process is killed once part of it is on disk.
    const url = new URL(
      `/api/v1/claims/drafts/${draftId}/documents?kind=fattura&name=fattura.pdf`,
      child.url,
    );
    const upload = httpRequest(url, {
      method: 'POST',
      headers: headers(child, { 'content-type': 'application/pdf', 'content-length': String(BIG.length) }),
    });
    upload.on('error', () => {}); // the server goes away under it
    const answered = new Promise<number | 'cut'>((resolve) => {
      upload.on('response', (res) => resolve(res.statusCode ?? 0));
      upload.on('close', () => resolve('cut'));
    });
    const PIECE = 64 * 1024;
    let sent = 0;
    const partial = () => filesIn(storage).filter((f) => f.path.endsWith('.part') && f.bytes > 0);
    // Bounded: at most half the file is sent before the kill.
    while (sent < BIG.length / 2 && partial().length === 0) {
      upload.write(BIG.subarray(sent, sent + PIECE));
      sent += PIECE;
      await new Promise((r) => setTimeout(r, 20));
    }
    await eventually('a partial file on disk', async () => partial().length > 0, 20_000);
    await killed(child.process);
    upload.destroy();
    expect(await answered).toBe('cut');

    // No half claim: still the one draft, with only the prescription; no row for the cut invoice.
    const claims = await claimsOfAccount();
    expect(claims).toEqual([{ id: draftId, state: 'draft', number: null, idempotency_key: null }]);
    const docs = await documentsOf(draftId);
    expect(docs.map((d) => d.kind)).toEqual(['prescrizione']);
    // On disk: the prescription, and the killed write's partial file (no key refers to it).
    const after = filesIn(storage);
    expect(after.filter((f) => !f.path.endsWith('.part')).map((f) => f.path)).toEqual(
      before.map((f) => f.path),
    );
    expect(after.filter((f) => f.path.endsWith('.part'))).toHaveLength(1);
  }, 240_000);

  it('[operator] the sweep removes the partial file and keeps the documents a draft refers to', async () => {
    const job = claimDocumentsSweepJob({ documents: t.app.documents, claims: t.app.claims, log: t.app.log });
    // A day on, as the job's age rule wants (an upload under way is younger).
    await job.run(new Date(Date.now() + 2 * DAY));
    const left = filesIn(storage);
    expect(left.filter((f) => f.path.endsWith('.part'))).toEqual([]);
    const docs = await documentsOf(draftId);
    expect(left.map((f) => f.path.split(/[\\/]/).join('/')).sort()).toEqual(
      docs.map((d) => d.storage_key).sort(),
    );
  });

  it('[member] after a restart, the retry with the same idempotency key makes exactly one claim with its documents', async () => {
    child = await launch();
    const c = child;
    // The member's retry: the invoice again, whole this time.
    const pdf = await fetch(
      `${c.url}/api/v1/claims/drafts/${draftId}/documents?kind=fattura&name=fattura.pdf`,
      {
        method: 'POST',
        headers: headers(c, { 'content-type': 'application/pdf' }),
        body: new Uint8Array(BIG),
      },
    );
    expect(pdf.status, await pdf.clone().text()).toBe(201);
    const key = `retry-${randomBytes(8).toString('hex')}`;
    const submit = () =>
      fetch(`${c.url}/api/v1/claims/drafts/${draftId}/submit`, {
        method: 'POST',
        headers: headers(c, { 'content-type': 'application/json' }),
        body: JSON.stringify({ declaration: true, idempotencyKey: key }),
      });
    // Twice at once and once more: a double click and a retry after a lost answer.
    const [first, second] = await Promise.all([submit(), submit()]);
    const third = await submit();
    const answers = await Promise.all([first, second, third].map(async (r) => [r.status, await r.json()]));
    for (const [status] of answers) expect(status).toBe(200);
    const ids = new Set(answers.map(([, body]) => (body as { id: string }).id));
    const numbers = new Set(answers.map(([, body]) => (body as { number: string }).number));
    expect(ids).toEqual(new Set([draftId]));
    expect(numbers.size).toBe(1);

    const claims = await claimsOfAccount();
    expect(claims).toHaveLength(1);
    expect(claims[0]).toMatchObject({ id: draftId, state: 'submitted', idempotency_key: key });
    const docs = await documentsOf(draftId);
    expect(docs.map((d) => [d.kind, d.sent]).sort()).toEqual([
      ['fattura', 1],
      ['prescrizione', 1],
    ]);
    // The store holds exactly the claim's two documents, no partial file.
    expect(
      filesIn(storage)
        .map((f) => f.path.split(/[\\/]/).join('/'))
        .sort(),
    ).toEqual(docs.map((d) => d.storage_key).sort());
    // What the member sees: one claim, and the invoice reads back as sent.
    const list = await fetch(`${c.url}/api/v1/claims`, { headers: headers(c) });
    expect(((await list.json()) as { total: number }).total).toBe(1);
    const fattura = docs.find((d) => d.kind === 'fattura');
    const back = await fetch(`${c.url}/api/v1/claims/${draftId}/documents/${fattura?.id}`, {
      headers: headers(c),
    });
    expect(back.status).toBe(200);
    expect(Buffer.from(await back.arrayBuffer()).equals(BIG)).toBe(true);
    await killed(c.process);
  }, 240_000);
});
