import type { Readable } from 'node:stream';

/**
 * Where sealed documents' bytes live: a local folder or an S3-compatible bucket, chosen by
 * configuration (`STORAGE_DRIVER`). Keys are made by the document store (random, never a member's
 * file name); a blob store only keeps bytes.
 */
export interface BlobStore {
  readonly kind: 'local' | 's3';
  /**
   * Writes the whole stream under `key`; nothing is visible under the key until it is complete.
   * `bytes`, when given, is the stream's exact length (a store may then send it in one request).
   */
  put(key: string, body: Readable, options?: { bytes?: number }): Promise<void>;
  /** The bytes under `key`; throws BlobNotFoundError when there is none. */
  get(key: string): Promise<Readable>;
  /** Removes `key`; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Every key with its last change, for the sweep of orphans. */
  list(): AsyncIterable<{ key: string; modifiedAt: Date }>;
  /**
   * Removes what writes cut short left behind, older than `before` (a local `.part` file of a
   * process killed mid-upload); returns how many. A store whose incomplete writes leave nothing
   * (S3: a PutObject not completed keeps nothing, a multipart upload is aborted on failure; one
   * cut by a crash is the bucket's lifecycle rule's) need not have it.
   */
  removeLeftovers?(before: Date): Promise<number>;
  /** Reachable and writable (readiness). */
  check(): Promise<void>;
}

export class BlobNotFoundError extends Error {
  constructor() {
    super('no such document');
    this.name = 'BlobNotFoundError';
  }
}

/** Keys are lower-case hex of 32 bytes, optionally below one folder: no way out of the store. */
export const BLOB_KEY = /^(?:[a-z0-9-]{1,32}\/)?[0-9a-f]{64}$/;

export function checkKey(key: string): string {
  if (!BLOB_KEY.test(key)) throw new Error('invalid document key');
  return key;
}
