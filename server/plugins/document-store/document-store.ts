import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type BlobStore, checkKey } from './blob-store.js';
import { openStream, sealedBytes, sealStream } from './sealed-stream.js';

export interface StoredDocument {
  /** Random, unguessable, never derived from the member's file name. */
  key: string;
  /** Plaintext size and SHA-256 (hex), as the member sent it. */
  bytes: number;
  sha256: string;
}

/** The upload was longer than allowed: nothing was kept. */
export class DocumentTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`document larger than ${maxBytes} bytes`);
    this.name = 'DocumentTooLargeError';
  }
}

/**
 * Counts and hashes the plaintext as it is sealed; stops the stream past `maxBytes`, and, when the
 * length was announced, at any other length.
 */
class Measure {
  bytes = 0;
  private readonly hash = createHash('sha256');
  constructor(
    private readonly maxBytes: number,
    private readonly announced: number | undefined,
  ) {}
  chunk(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) throw new DocumentTooLargeError(this.maxBytes);
    if (this.announced !== undefined && this.bytes > this.announced) throw lengthMismatch();
    this.hash.update(chunk);
  }
  end(): void {
    if (this.announced !== undefined && this.bytes !== this.announced) throw lengthMismatch();
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

const lengthMismatch = () => new Error('the document is not as long as announced');

/**
 * Documents (invoices, prescriptions, photos) kept encrypted in a blob store: streamed through,
 * never whole in memory; sealed with AES-256-GCM in authenticated segments (sealed-stream.ts);
 * stored under random keys. Who may read a document is the caller's business (ownership checks
 * live with the claims); this store only keeps bytes safely.
 */
export class DocumentStore {
  constructor(
    readonly blobs: BlobStore,
    private readonly masterKey: Buffer,
  ) {}

  /** A new random key, optionally grouped in a folder (e.g. "claims"). */
  newKey(folder?: string): string {
    const name = randomBytes(32).toString('hex');
    return checkKey(folder ? `${folder}/${name}` : name);
  }

  /**
   * Seals and stores the stream under a new key. On any failure (too large, the source broke, the
   * store refused) nothing is left under the key and the error is thrown. `bytes`, the plaintext's
   * exact length when it is known before it arrives (an upload's Content-Length), lets the blob
   * store write the sealed bytes in one request, as they come; a body of another length fails.
   */
  async save(
    body: Readable,
    options: { maxBytes: number; folder?: string; bytes?: number },
  ): Promise<StoredDocument> {
    const key = this.newKey(options.folder);
    const announced =
      options.bytes !== undefined && options.bytes <= options.maxBytes ? options.bytes : undefined;
    const measure = new Measure(options.maxBytes, announced);
    // One stage counts, hashes and seals; the blob store reads from it.
    const sealed = sealStream(this.masterKey, measure);
    const stored = this.blobs.put(
      key,
      sealed,
      announced === undefined ? undefined : { bytes: sealedBytes(announced) },
    );
    try {
      await Promise.all([pipeline(body, sealed), stored]);
    } catch (err) {
      sealed.destroy();
      await stored.catch(() => {});
      await this.blobs.delete(key).catch(() => {});
      throw err;
    }
    return { key, bytes: measure.bytes, sha256: measure.digest() };
  }

  /**
   * The plaintext of a stored document. Only authenticated bytes are released: a damaged, truncated
   * or foreign file ends the stream with a SealedDocumentError.
   */
  async open(key: string): Promise<Readable> {
    const sealed = await this.blobs.get(key);
    const plain = openStream(this.masterKey);
    sealed.on('error', (err) => plain.destroy(err));
    return sealed.pipe(plain);
  }

  async remove(key: string): Promise<void> {
    await this.blobs.delete(key);
  }

  /**
   * Removes stored documents that nothing refers to: those older than `before` (an upload in
   * progress is younger) for which `isReferenced` answers false, and the leftovers of writes cut
   * short (a killed process's partial file) older than `before`. Returns how many were removed.
   */
  async sweep(before: Date, isReferenced: (keys: string[]) => Promise<Set<string>>): Promise<number> {
    let removed = 0;
    let batch: string[] = [];
    const flush = async () => {
      const kept = await isReferenced(batch);
      for (const key of batch) {
        if (kept.has(key)) continue;
        await this.blobs.delete(key);
        removed++;
      }
      batch = [];
    };
    for await (const blob of this.blobs.list()) {
      if (blob.modifiedAt >= before) continue;
      batch.push(blob.key);
      if (batch.length === 500) await flush();
    }
    if (batch.length > 0) await flush();
    // What a write cut short by a crash left behind (no key, so never in the list above).
    if (this.blobs.removeLeftovers) removed += await this.blobs.removeLeftovers(before);
    return removed;
  }
}
