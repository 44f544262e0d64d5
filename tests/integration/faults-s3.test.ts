/**
 * The S3 store goes down under uploads (decision 057): the app reaches s3rver through a TCP proxy in
 * this process, which is cut (connections refused) and restored. An upload meanwhile is refused
 * with 503 SERVICE_UNAVAILABLE in the error shape, leaving no document row and no object; once the
 * store is back the same upload works, without a restart.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../server/plugins/document-store/s3-blob-store.js';
import { invoicePdf, prescriptionPng } from '../helpers/claim-files.js';
import { accountFor, api, claimsContext } from '../helpers/claims.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const BUCKET = 'onecare-faults';
const S3_KEYS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

describe('faults: the S3 document store down', () => {
  let s3dir: string;
  let s3server: S3rver;
  let proxy: TcpProxy;
  let bucket: S3BlobStore;
  let c: Awaited<ReturnType<typeof claimsContext>>;
  let m: ReturnType<typeof api>;
  let cookie: string;
  let draftId: string;
  let PDF: Buffer;
  let PNG: Buffer;

  const objects = async () => {
    const keys: string[] = [];
    for await (const blob of bucket.list()) keys.push(blob.key);
    return keys;
  };
  const rows = () =>
    c.t.app.db
      .selectFrom('claim_documents')
      .select(['id', 'storage_key'])
      .where('claim_id', '=', draftId)
      .execute();

  beforeAll(async () => {
    PDF = await invoicePdf();
    PNG = await prescriptionPng();
    s3dir = mkdtempSync(join(tmpdir(), 'onecare-s3-faults-'));
    s3server = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: s3dir,
      configureBuckets: [{ name: BUCKET, configs: [] }],
    });
    const { port } = await s3server.run();
    proxy = await startTcpProxy(port);
    // The test reads the bucket directly, not through the proxy.
    bucket = new S3BlobStore({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      bucket: BUCKET,
      ...S3_KEYS,
      forcePathStyle: true,
    });
    c = await claimsContext(undefined, {
      STORAGE_DRIVER: 's3',
      S3_BUCKET: BUCKET,
      S3_ENDPOINT: `http://127.0.0.1:${proxy.port}`,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: S3_KEYS.accessKeyId,
      S3_SECRET_ACCESS_KEY: S3_KEYS.secretAccessKey,
      DOCUMENT_KEY: randomBytes(32).toString('base64'),
    });
    cookie = (await accountFor(c, 'mario')).cookie;
    m = api(c, cookie);
    const draft = await m.post('/api/v1/claims/drafts');
    expect([200, 201]).toContain(draft.statusCode);
    draftId = (draft.json() as { id: string }).id;
  });
  afterAll(async () => {
    await c?.close();
    await proxy?.close();
    bucket?.close();
    await s3server?.close();
    if (s3dir) rmSync(s3dir, { recursive: true, force: true });
  });

  it('[member] store down: an upload is refused with 503 and a clear message, nothing written', async () => {
    expect(await objects()).toEqual([]);
    await proxy.cut();
    // A PDF (its length known: one streamed PutObject) and a photo (re-encoded: a multipart upload).
    const pdf = await m.upload(
      `/api/v1/claims/drafts/${draftId}/documents?kind=fattura&name=fattura.pdf`,
      PDF,
    );
    expect(pdf.statusCode, pdf.body).toBe(503);
    expect(pdf.json()).toEqual({
      error: {
        code: 'SERVICE_UNAVAILABLE',
        message: 'Servizio momentaneamente non disponibile: riprova più tardi.',
      },
    });
    const png = await c.t.app.inject({
      method: 'POST',
      url: `/api/v1/claims/drafts/${draftId}/documents?kind=prescrizione&name=ricetta.png`,
      headers: {
        origin: 'http://localhost:3000',
        'sec-fetch-site': 'same-origin',
        cookie,
        'content-type': 'image/png',
        'accept-language': 'en',
      },
      payload: PNG,
    });
    expect(png.statusCode, png.body).toBe(503);
    expect(png.json()).toEqual({
      error: { code: 'SERVICE_UNAVAILABLE', message: 'Service temporarily unavailable: try again later.' },
    });
    expect(await rows()).toEqual([]);
    expect(await objects()).toEqual([]);
  });

  it('[member] store back: the same uploads work, one row and one object each', async () => {
    await proxy.restore();
    const pdf = await m.upload(
      `/api/v1/claims/drafts/${draftId}/documents?kind=fattura&name=fattura.pdf`,
      PDF,
    );
    expect(pdf.statusCode, pdf.body).toBe(201);
    const png = await m.upload(
      `/api/v1/claims/drafts/${draftId}/documents?kind=prescrizione&name=ricetta.png`,
      PNG,
      'image/png',
    );
    expect(png.statusCode, png.body).toBe(201);
    const stored = await rows();
    expect(stored).toHaveLength(2);
    expect((await objects()).sort()).toEqual(stored.map((r) => r.storage_key).sort());
    // And the member reads the invoice back, the bytes sent.
    const back = await m.get(`/api/v1/claims/${draftId}/documents/${(pdf.json() as { id: string }).id}`);
    expect(back.statusCode).toBe(200);
    expect(back.rawPayload.equals(PDF)).toBe(true);
  });
});
