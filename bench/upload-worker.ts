/**
 * One measurement of bench/upload.ts, in a process of its own so that its peak RSS is its own:
 *   tsx bench/upload-worker.ts <mode> <driver> <file> <uploads> <rounds>
 * mode: `http` (the real app over a socket: sign-in, draft, then the uploads sent by a `client`
 * process, so that this process holds the app alone), `bare-http` (a plain node:http server, no
 * app, that streams each body into the blob store as it is: the same client, no check, no
 * sealing), `direct` (checkAndSave on the document store, no HTTP), `bare` (a plain
 * stream-to-disk copy), `bare-put` (the blob store's put of the bytes as they are: no check, no
 * sealing), `pdf-lib` (each upload buffered and parsed by pdf-lib, nothing stored: the
 * alternative decision 034 measured).
 * Wherever the route would know the upload's length from its Content-Length (`direct`,
 * `bare-put`, `bare-http`), it is passed on as the route passes it.
 * driver: `local` or `s3` (S3_ENDPOINT and S3_BUCKET in the environment, an s3rver of the parent).
 * Prints one JSON line: { bytes, seconds, maxRssMb (the process's lifetime peak), setupRssMb (once
 * set up, before the first upload), uploadRssMb (the peak sampled while the uploads ran) }.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// Each mode loads only what it uses, so that the bare copy's peak RSS is not the app's.
const [mode = '', driver = '', file = '', uploadsArg, roundsArg] = process.argv.slice(2);
if (!mode || !driver || !file)
  throw new Error('usage: upload-worker <mode> <driver> <file> <uploads> <rounds>');
const MAX_BYTES = 10 * 1024 * 1024; // CLAIM_LIMITS.maxDocumentBytes
const uploads = Number(uploadsArg ?? 10);
const rounds = Number(roundsArg ?? 3);
const size = statSync(file).size;
const dir = mkdtempSync(join(tmpdir(), 'onecare-bench-upload-'));
const documentKey = randomBytes(32);
const s3 = {
  endpoint: process.env.S3_ENDPOINT ?? '',
  region: 'us-east-1',
  bucket: process.env.S3_BUCKET ?? '',
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
  forcePathStyle: true,
};

/** Runs `rounds` rounds of `uploads` concurrent uploads; the time is the sum of the rounds. */
let setupRssMb = 0;
let uploadRssMb = 0;
/**
 * Runs `rounds` rounds of `uploads` concurrent uploads; the time is the sum of the rounds. The
 * process's RSS is sampled every 5 ms meanwhile: the lifetime peak (maxRSS) would also count the
 * set-up (ten sign-ins hash with Argon2id, 19 MiB each).
 */
async function measure(one: (i: number, round: number) => Promise<void>): Promise<number> {
  return sampled(async () => {
    let seconds = 0;
    for (let round = 0; round < rounds; round++) {
      const start = process.hrtime.bigint();
      await Promise.all(Array.from({ length: uploads }, (_, i) => one(i, round)));
      seconds += Number(process.hrtime.bigint() - start) / 1e9;
    }
    return seconds;
  });
}

/** Runs `work` while sampling this process's RSS every 5 ms. */
async function sampled(work: () => Promise<number>): Promise<number> {
  // With --expose-gc (the parent passes it), the set-up's garbage is collected first.
  (globalThis as { gc?: () => void }).gc?.();
  // memoryUsage.rss() alone: memoryUsage() also walks the heap's spaces, every 5 ms.
  setupRssMb = Math.round(process.memoryUsage.rss() / 1024 / 1024);
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    return await work();
  } finally {
    clearInterval(sampler);
    uploadRssMb = Math.round(Math.max(peak, process.memoryUsage.rss()) / 1024 / 1024);
  }
}

async function bare(): Promise<number> {
  return measure((i, round) =>
    pipeline(createReadStream(file), createWriteStream(join(dir, `${round}-${i}`))),
  );
}

async function direct(): Promise<number> {
  const { checkAndSave, DocumentStore } = await import('../server/plugins/document-store/index.js');
  const { LocalBlobStore } = await import('../server/plugins/document-store/local-blob-store.js');
  const { S3BlobStore } = await import('../server/plugins/document-store/s3-blob-store.js');
  const blobs = driver === 's3' ? new S3BlobStore(s3) : new LocalBlobStore(dir);
  const store = new DocumentStore(blobs, documentKey);
  const seconds = await measure(async () => {
    const result = await checkAndSave(store, createReadStream(file), {
      maxBytes: MAX_BYTES,
      prefix: 'claims',
      declaredBytes: size,
    });
    if (!result.ok) throw new Error(`refused: ${result.code}`);
  });
  if (blobs instanceof S3BlobStore) blobs.close();
  return seconds;
}

async function pdfLib(): Promise<number> {
  const { PDFDict, PDFDocument, PDFRawStream } = await import('pdf-lib');
  return measure(async () => {
    const bytes = await buffer(createReadStream(file));
    if (bytes.length > MAX_BYTES) throw new Error('too large');
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    let keys = 0;
    for (const [, object] of doc.context.enumerateIndirectObjects()) {
      const dict = object instanceof PDFRawStream ? object.dict : object;
      if (dict instanceof PDFDict) keys += dict.keys().length;
    }
    if (keys === 0) throw new Error('nothing parsed');
  });
}

/** The same bytes put in the store's bucket or folder as they are: no check, no sealing. */
async function barePut(): Promise<number> {
  const { LocalBlobStore } = await import('../server/plugins/document-store/local-blob-store.js');
  const { S3BlobStore } = await import('../server/plugins/document-store/s3-blob-store.js');
  const blobs = driver === 's3' ? new S3BlobStore(s3) : new LocalBlobStore(dir);
  const seconds = await measure(() =>
    blobs.put(randomBytes(32).toString('hex'), createReadStream(file), { bytes: size }),
  );
  if (blobs instanceof S3BlobStore) blobs.close();
  return seconds;
}

async function http(): Promise<number> {
  const { insertDefaultPlanVersion } = await import('../server/modules/plans/index.js');
  const { addBenchMembers, BENCH_MEMBER, benchAppWithMember } = await import('./lib/bench-member.js');
  const env: Record<string, string> = {
    DOCUMENT_KEY: documentKey.toString('base64'),
    STORAGE_DIR: join(dir, 'documents'),
  };
  if (driver === 's3')
    Object.assign(env, {
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: s3.bucket,
      S3_REGION: s3.region,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    });
  const { app, close } = await benchAppWithMember(env);
  try {
    // The bench plan gets its default rules, so that its members can open claims.
    const plan = await app.db
      .selectFrom('plans')
      .select('id')
      .where('code', '=', 'BENCH')
      .executeTakeFirstOrThrow();
    await insertDefaultPlanVersion(app.db, plan.id, new Date());
    const usernames = [BENCH_MEMBER.username, ...(await addBenchMembers(app, uploads - 1))];
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    const base = `http://127.0.0.1:${address.port}`;
    // Each member signs in and opens a draft (one per account), one after the other.
    const members: { cookie: string; draftId: string }[] = [];
    for (const username of usernames) {
      members.push(
        await (async () => {
          const login = await fetch(`${base}/api/v1/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username, password: BENCH_MEMBER.password }),
          });
          if (login.status !== 200) throw new Error(`sign-in: ${login.status}`);
          const cookie = login.headers
            .getSetCookie()
            .map((c) => c.split(';')[0])
            .join('; ');
          const draft = await fetch(`${base}/api/v1/claims/drafts`, { method: 'POST', headers: { cookie } });
          if (draft.status !== 201) throw new Error(`draft: ${draft.status} ${await draft.text()}`);
          const { id } = (await draft.json()) as { id: string };
          return { cookie, draftId: id };
        })(),
      );
    }
    // The members' side runs in a process of its own, so that this one's RSS is the app's alone.
    return await sampled(() => uploadsFromClient(base, members));
  } finally {
    await close();
  }
}

/** Runs the `client` mode in a process of its own against `base`; answers its seconds. */
async function uploadsFromClient(
  base: string,
  members: { cookie: string; draftId: string }[],
): Promise<number> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      'client',
      driver,
      file,
      String(uploads),
      String(rounds),
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, BENCH_BASE_URL: base, BENCH_MEMBERS: JSON.stringify(members) },
    },
  );
  return (JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { seconds: number }).seconds;
}

/**
 * The same client against a plain node:http server in this process that streams each body into
 * the blob store as it is, its length from Content-Length: what HTTP and the store cost without
 * the app, the check or the sealing.
 */
async function bareHttp(): Promise<number> {
  const { createServer } = await import('node:http');
  const { LocalBlobStore } = await import('../server/plugins/document-store/local-blob-store.js');
  const { S3BlobStore } = await import('../server/plugins/document-store/s3-blob-store.js');
  const blobs = driver === 's3' ? new S3BlobStore(s3) : new LocalBlobStore(dir);
  const server = createServer((req, res) => {
    blobs.put(randomBytes(32).toString('hex'), req, { bytes: Number(req.headers['content-length']) }).then(
      () => res.writeHead(201).end('{}'),
      (err: unknown) => res.writeHead(500).end(String(err)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    const members = Array.from({ length: uploads }, () => ({ cookie: '', draftId: 'bare' }));
    return await sampled(() => uploadsFromClient(`http://127.0.0.1:${address.port}`, members));
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    if (blobs instanceof S3BlobStore) blobs.close();
  }
}

/** The members' side of `http`: each uploads the file to their draft, all at once. */
async function client(): Promise<number> {
  const base = process.env.BENCH_BASE_URL ?? '';
  const members = JSON.parse(process.env.BENCH_MEMBERS ?? '[]') as { cookie: string; draftId: string }[];
  // Another kind each round: the same file of the same kind again would be answered as a retry.
  const kinds = ['fattura', 'prescrizione', 'altro', 'cartella_clinica'];
  return measure(
    (i, round) =>
      new Promise<void>((resolve, reject) => {
        const member = members[i];
        if (!member) return reject(new Error('no member'));
        const req = request(
          `${base}/api/v1/claims/drafts/${member.draftId}/documents?kind=${kinds[round % kinds.length]}&name=fattura.pdf`,
          {
            method: 'POST',
            headers: {
              cookie: member.cookie,
              'content-type': 'application/pdf',
              'content-length': String(size),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              res.statusCode === 201
                ? resolve()
                : reject(new Error(`upload: ${res.statusCode} ${Buffer.concat(chunks).toString()}`)),
            );
          },
        );
        req.on('error', reject);
        createReadStream(file).pipe(req);
      }),
  );
}

const modes: Record<string, () => Promise<number>> = {
  client,
  bare,
  'bare-http': bareHttp,
  'bare-put': barePut,
  direct,
  http,
  'pdf-lib': pdfLib,
};
const run = modes[mode];
if (!run) throw new Error(`unknown mode ${mode}`);
try {
  const seconds = await run();
  const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify({ bytes: size * uploads * rounds, seconds, maxRssMb, setupRssMb, uploadRssMb }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
