/**
 * Upload benchmark: 10 members at once each send a 10 MB invoice PDF (a scan: pages of JPEG,
 * just under CLAIM_LIMITS.maxDocumentBytes) through the whole path, HTTP into the real app with a
 * member's sign-in, the claim draft's upload route, the content check, sealing and storage. In the
 * same run, the same bytes are copied from file to file with a bare stream (the baseline), and
 * checkAndSave alone is timed without HTTP. Each measurement runs in its own process
 * (upload-worker.ts), so its RSS is its own; for S3 the s3rver runs here, in this process. Peak
 * RSS is the whole worker process's (app, client and all), sampled while the uploads run.
 * The app runs from its TypeScript sources under tsx, as `npm start` runs it in production
 * (decision 001); tsx's loader thread and source maps are part of its RSS.
 *
 * Two more baselines put the ratio in context: the bare put of the bytes into the store, and a
 * bare HTTP upload (the same client against a plain node:http server that streams each body into
 * the store as it is: no app, no check, no sealing). The client runs on the same machine, so on
 * a small one the bare HTTP upload itself stays well below the bare copy (decision 034).
 * MB is 2^20 bytes. Last lines: one `ratios` line per store, then one per store:
 *   upload <local|s3>: <MB/s> MB/s, ratio <upload ÷ bare copy>, peak RSS <MB> MB
 *
 *   npm run bench:upload [-- rounds [uploads]]      (default 3 rounds of 10 concurrent uploads)
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import S3rver from 's3rver';
import sharp from 'sharp';
import { CLAIM_LIMITS } from '../contracts/claims.codes.js';

const rounds = Number(process.argv[2] ?? 3);
const uploads = Number(process.argv[3] ?? 10);
const dir = mkdtempSync(join(tmpdir(), 'onecare-bench-upload-'));
const file = join(dir, 'fattura.pdf');
const worker = fileURLToPath(new URL('./upload-worker.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const MB = 1024 * 1024;
const BUCKET = 'onecare-bench';

/** A scanned invoice: a text page, then pages each holding one noisy A4 JPEG, up to ~9.9 MB. */
async function scannedInvoice(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText('FATTURA n. 42 - Visita specialistica - 120,00 EUR', {
    x: 40,
    y: 780,
    size: 12,
    font,
  });
  const scan = await sharp({
    create: {
      width: 1240,
      height: 1754,
      channels: 3,
      background: '#ffffff',
      noise: { type: 'gaussian', mean: 200, sigma: 30 },
    },
  })
    .jpeg({ quality: 80 })
    .toBuffer();
  const pages = Math.floor((CLAIM_LIMITS.maxDocumentBytes * 0.97) / scan.length);
  for (let i = 0; i < pages; i++) {
    const image = await doc.embedJpg(scan);
    doc.addPage([595, 842]).drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
  }
  return Buffer.from(await doc.save());
}

/** Asynchronously: the s3rver of this process must keep answering while a worker runs. */
async function run(mode: string, driver: string, env: Record<string, string> = {}) {
  const { stdout: out } = await promisify(execFile)(
    process.execPath,
    [tsx, '--expose-gc', worker, mode, driver, file, String(uploads), String(rounds)],
    { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 20 },
  );
  const last = out.trim().split('\n').at(-1) ?? '{}';
  const r = JSON.parse(last) as {
    bytes: number;
    seconds: number;
    maxRssMb: number;
    setupRssMb: number;
    uploadRssMb: number;
  };
  return { ...r, rate: r.bytes / MB / r.seconds };
}

const pdf = await scannedInvoice();
writeFileSync(file, pdf);
console.log(
  `file: ${(pdf.length / MB).toFixed(2)} MB PDF; ${rounds} rounds of ${uploads} concurrent uploads`,
);

let s3server: S3rver | null = null;
const ratios: string[] = [];
const lines: string[] = [];
try {
  for (const driver of ['local', 's3'] as const) {
    let env: Record<string, string> = {};
    if (driver === 's3') {
      s3server = new S3rver({
        port: 0,
        address: '127.0.0.1',
        silent: true,
        directory: join(dir, 's3'),
        configureBuckets: [{ name: BUCKET, configs: [] }],
      });
      const { port } = await s3server.run();
      env = { S3_ENDPOINT: `http://127.0.0.1:${port}`, S3_BUCKET: BUCKET };
    }
    const bare = await run('bare', driver);
    const direct = await run('direct', driver, env);
    const http = await run('http', driver, env);
    const bareHttp = await run('bare-http', driver, env);
    const show = (name: string, r: Awaited<ReturnType<typeof run>>) =>
      console.log(
        `${driver} ${name}: ${r.rate.toFixed(1)} MB/s (${r.seconds.toFixed(2)} s), RSS ${r.setupRssMb} MB before the uploads, peak ${r.uploadRssMb} MB during them (lifetime peak ${r.maxRssMb} MB)`,
      );
    show('bare copy', bare);
    const barePut = await run('bare-put', driver, env);
    show(driver === 's3' ? 'bare S3 put (no check, no sealing)' : 'bare blob put', barePut);
    show('bare HTTP upload into the store (node:http, no app, no check, no sealing)', bareHttp);
    show('checkAndSave, no HTTP', direct);
    show('HTTP upload', http);
    if (driver === 'local')
      show('pdf-lib parse of a buffered upload, nothing stored', await run('pdf-lib', driver));
    ratios.push(
      `ratios ${driver}: HTTP upload ÷ bare HTTP upload ${(http.rate / bareHttp.rate).toFixed(2)}, ÷ bare ${driver === 's3' ? 'S3' : 'blob'} put ${(http.rate / barePut.rate).toFixed(2)}; bare HTTP upload ÷ bare copy ${(bareHttp.rate / bare.rate).toFixed(2)}`,
    );
    lines.push(
      `upload ${driver}: ${http.rate.toFixed(1)} MB/s, ratio ${(http.rate / bare.rate).toFixed(2)}, peak RSS ${http.uploadRssMb} MB`,
    );
  }
} finally {
  await s3server?.close();
  rmSync(dir, { recursive: true, force: true });
}
for (const l of [...ratios, ...lines]) console.log(l);
