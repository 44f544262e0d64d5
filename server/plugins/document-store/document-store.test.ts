import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobNotFoundError, type BlobStore } from './blob-store.js';
import { DocumentStore, DocumentTooLargeError } from './document-store.js';
import { LocalBlobStore } from './local-blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';
import { HEADER_BYTES, SEGMENT_BYTES, SealedDocumentError, sealedBytes } from './sealed-stream.js';

const KEY = randomBytes(32);
const BUCKET = 'onecare-documents';

/** A source that hands over `data` in uneven pieces, as a network upload does. */
function source(data: Buffer, piece = 10_007): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= data.length) return void this.push(null);
      this.push(data.subarray(offset, offset + piece));
      offset += piece;
    },
  });
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const raw = async (blobs: BlobStore, key: string) => buffer(await blobs.get(key));
const keys = async (blobs: BlobStore) => {
  const out: string[] = [];
  for await (const b of blobs.list()) out.push(b.key);
  return out.sort();
};

interface Backend {
  name: string;
  start(): Promise<BlobStore>;
  stop(): Promise<void>;
}

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'onecare-docs-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const local: Backend = {
  name: 'local folder',
  start: async () => new LocalBlobStore(tempDir()),
  stop: async () => {},
};

let s3server: S3rver | null = null;
let s3store: S3BlobStore | null = null;
const s3: Backend = {
  name: 'S3 API (s3rver)',
  async start() {
    s3server = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: tempDir(),
      configureBuckets: [{ name: BUCKET, configs: [] }],
    });
    const { port } = await s3server.run();
    s3store = new S3BlobStore({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      bucket: BUCKET,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    });
    return s3store;
  },
  async stop() {
    s3store?.close();
    await s3server?.close();
  },
};

// One suite, both stores: what holds for the local folder holds for the bucket.
describe.each([local, s3])('documents in the $name', (backend) => {
  let blobs: BlobStore;
  let store: DocumentStore;
  beforeAll(async () => {
    blobs = await backend.start();
    store = new DocumentStore(blobs, KEY);
  });
  afterAll(() => backend.stop());

  it('[member] what is stored comes back byte for byte, at every size around a segment boundary', async () => {
    for (const size of [0, 1, SEGMENT_BYTES - 1, SEGMENT_BYTES, SEGMENT_BYTES + 1, 3 * SEGMENT_BYTES + 123]) {
      const data = randomBytes(size);
      // With the length announced (one streamed request to S3) and without (multipart).
      for (const bytes of [size, undefined]) {
        const saved = await store.save(source(data), { maxBytes: 10 * 1024 * 1024, folder: 'claims', bytes });
        expect(saved.bytes).toBe(size);
        expect(saved.sha256).toBe(sha256(data));
        expect(saved.key).toMatch(/^claims\/[0-9a-f]{64}$/);
        expect((await raw(blobs, saved.key)).length).toBe(sealedBytes(size));
        expect((await buffer(await store.open(saved.key))).equals(data)).toBe(true);
      }
    }
  });

  it('[attacker] the stored bytes reveal nothing of the document', async () => {
    const text = Buffer.from(
      'FATTURA n. 42 — Visita cardiologica — Mario Demo — DMEMRA75C14H501B\n'.repeat(2000),
    );
    const saved = await store.save(source(text), { maxBytes: 1_000_000 });
    const stored = await raw(blobs, saved.key);
    expect(stored.includes(Buffer.from('FATTURA'))).toBe(false);
    expect(stored.includes(Buffer.from('DMEMRA75C14H501B'))).toBe(false);
    // Header, then each segment with its tag: only the overhead is added.
    const segments = Math.ceil(text.length / SEGMENT_BYTES);
    expect(stored.length).toBe(HEADER_BYTES + text.length + 16 * segments);
    // The same document twice is stored differently (a fresh key and nonces each time).
    const again = await store.save(source(text), { maxBytes: 1_000_000 });
    expect((await raw(blobs, again.key)).subarray(HEADER_BYTES, HEADER_BYTES + 64)).not.toEqual(
      stored.subarray(HEADER_BYTES, HEADER_BYTES + 64),
    );
  });

  it('[attacker] an altered, cut, extended or foreign file is refused', async () => {
    const data = randomBytes(2 * SEGMENT_BYTES + 500);
    const saved = await store.save(source(data), { maxBytes: 1_000_000 });
    const stored = await raw(blobs, saved.key);
    const flipped = (at: number) => {
      const copy = Buffer.from(stored);
      copy.writeUInt8(copy.readUInt8(at) ^ 1, at);
      return copy;
    };
    const variants: [string, Buffer][] = [
      ['a flipped bit in the last segment', flipped(stored.length - 20)],
      ['a flipped bit in the header', flipped(10)],
      ['the last segment cut off', stored.subarray(0, HEADER_BYTES + 2 * (SEGMENT_BYTES + 16))],
      ['bytes appended', Buffer.concat([stored, randomBytes(40)])],
      ['an empty file', Buffer.alloc(0)],
    ];
    for (const [what, bytes] of variants) {
      const key = store.newKey();
      await blobs.put(key, Readable.from([bytes]));
      await expect(buffer(await store.open(key)), what).rejects.toBeInstanceOf(SealedDocumentError);
    }
    const otherKey = new DocumentStore(blobs, randomBytes(32));
    await expect(buffer(await otherKey.open(saved.key))).rejects.toThrow(/another key/);
  });

  it('[member] a file over the limit, or an upload that breaks off, leaves nothing behind', async () => {
    const before = await keys(blobs);
    await expect(store.save(source(randomBytes(300_000)), { maxBytes: 200_000 })).rejects.toBeInstanceOf(
      DocumentTooLargeError,
    );
    let sent = 0;
    const breaking = new Readable({
      read() {
        sent++;
        if (sent > 5) this.destroy(new Error('connection reset'));
        else this.push(randomBytes(50_000));
      },
    });
    await expect(store.save(breaking, { maxBytes: 10_000_000 })).rejects.toThrow('connection reset');
    expect(await keys(blobs)).toEqual(before);
  });

  it('[member] with its length announced, an upload that breaks off, falls short or runs over leaves nothing readable behind', async () => {
    const before = new Set(await keys(blobs));
    let sent = 0;
    const reset = new Error('connection reset');
    const breaking = new Readable({
      read() {
        sent++;
        if (sent > 5) this.destroy(reset);
        else this.push(randomBytes(50_000));
      },
    });
    // The body's own error, not the store's aborted request, is what the caller hears.
    await expect(store.save(breaking, { maxBytes: 10_000_000, bytes: 1_000_000 })).rejects.toBe(reset);
    const data = randomBytes(300_000);
    await expect(store.save(source(data), { maxBytes: 10_000_000, bytes: 300_001 })).rejects.toThrow(
      'not as long as announced',
    );
    await expect(store.save(source(data), { maxBytes: 10_000_000, bytes: 299_999 })).rejects.toThrow(
      'not as long as announced',
    );
    // An announced length over the limit is no promise: the limit still stops the upload.
    await expect(store.save(source(data), { maxBytes: 200_000, bytes: 300_000 })).rejects.toBeInstanceOf(
      DocumentTooLargeError,
    );
    // S3 keeps nothing of a PUT that did not complete. s3rver, the stand-in here, may still write
    // what it had received after the store has deleted the key: whatever is left never opens.
    const left = (await keys(blobs)).filter((key) => !before.has(key));
    if (blobs.kind === 'local') expect(left).toEqual([]);
    for (const key of left)
      await expect(store.open(key).then(buffer)).rejects.toSatisfy(
        (err) => err instanceof SealedDocumentError || err instanceof BlobNotFoundError,
      );
  });

  it('[anyone] a key that holds nothing answers not found; a key that could escape the store is refused', async () => {
    await expect(store.open(store.newKey())).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.open('../../etc/passwd')).rejects.toThrow('invalid document key');
    await expect(store.open(`claims/../${'a'.repeat(64)}`)).rejects.toThrow('invalid document key');
  });

  it('[operator] the sweep removes old documents nothing refers to, and keeps the rest', async () => {
    const kept = await store.save(source(Buffer.from('kept')), { maxBytes: 100 });
    const orphan = await store.save(source(Buffer.from('orphan')), { maxBytes: 100 });
    const future = new Date(Date.now() + 60_000);
    const removed = await store.sweep(future, async (batch) => new Set(batch.filter((k) => k === kept.key)));
    expect(removed).toBeGreaterThanOrEqual(1);
    const left = await keys(blobs);
    expect(left).toContain(kept.key);
    expect(left).not.toContain(orphan.key);
    // Nothing younger than the cut-off is touched, referenced or not (an upload may be in progress).
    const young = await store.save(source(Buffer.from('young')), { maxBytes: 100 });
    expect(await store.sweep(new Date(Date.now() - 60_000), async () => new Set())).toBe(0);
    expect(await keys(blobs)).toContain(young.key);
  });

  it('[operator] the store answers its readiness check', async () => {
    await expect(blobs.check()).resolves.toBeUndefined();
  });
});

describe('local folder: what a killed process leaves', () => {
  it('[operator] a partial file of a write cut short is removed by the sweep once old, a young one is kept', async () => {
    const dir = tempDir();
    const blobs = new LocalBlobStore(dir);
    const store = new DocumentStore(blobs, KEY);
    const key = store.newKey('claims');
    // What `put` writes before the rename, as a SIGKILL leaves it.
    mkdirSync(join(dir, 'claims'), { recursive: true });
    const part = join(dir, ...`${key}.0123456789ab.part`.split('/'));
    writeFileSync(part, Buffer.from('half a document'));
    // Not a key: the list does not show it, nothing can refer to it.
    expect(await keys(blobs)).toEqual([]);
    expect(await store.sweep(new Date(Date.now() - 60_000), async () => new Set())).toBe(0);
    expect(existsSync(part)).toBe(true);
    expect(await store.sweep(new Date(Date.now() + 60_000), async () => new Set())).toBe(1);
    expect(existsSync(part)).toBe(false);
  });
});
