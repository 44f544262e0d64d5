import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * Documents are encrypted at rest in segments of 64 KiB with AES-256-GCM, in the manner of Tink's
 * streaming AEAD (decision 030): a leaked disk or bucket reveals nothing, a changed, reordered,
 * truncated or extended file is refused, and a reader never receives a byte that has not been
 * authenticated. One master key from configuration; each document gets its own key from it
 * (HKDF-SHA-256 with a random salt), so nonces never repeat across documents.
 *
 * Layout: header = magic "OCD1" | key id (8 bytes, SHA-256 of the master key) | salt (16) |
 * nonce prefix (7); then segments of at most 64 KiB of ciphertext, each followed by its 16-byte tag.
 * Segment i's nonce is prefix | i (4 bytes, big endian) | 1 if it is the last one else 0; the
 * header is the additional data of every segment.
 */
const MAGIC = Buffer.from('OCD1');
const KEY_ID_BYTES = 8;
const SALT_BYTES = 16;
const PREFIX_BYTES = 7;
export const HEADER_BYTES = MAGIC.length + KEY_ID_BYTES + SALT_BYTES + PREFIX_BYTES;
export const SEGMENT_BYTES = 64 * 1024;
const TAG_BYTES = 16;
const INFO = Buffer.from('onecare document v1');

/** The file is not a document sealed with this key, or it was altered. Nothing it held was released. */
export class SealedDocumentError extends Error {
  constructor(reason: string) {
    super(`sealed document refused: ${reason}`);
    this.name = 'SealedDocumentError';
  }
}

/** A 32-byte master key, checked. */
export function documentKey(key: Buffer): Buffer {
  if (key.length !== 32) throw new Error('the document key must be 32 bytes');
  return key;
}

function keyId(master: Buffer): Buffer {
  return createHash('sha256').update(master).digest().subarray(0, KEY_ID_BYTES);
}

function derive(master: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', master, salt, INFO, 32));
}

function nonce(prefix: Buffer, index: number, last: boolean): Buffer {
  if (index > 0xffffffff) throw new SealedDocumentError('too many segments');
  const n = Buffer.alloc(12);
  prefix.copy(n, 0);
  n.writeUInt32BE(index, PREFIX_BYTES);
  n[11] = last ? 1 : 0;
  return n;
}

/** The sealed size of `plainBytes` of plaintext: header, the plaintext, one tag per segment (at least one). */
export function sealedBytes(plainBytes: number): number {
  return HEADER_BYTES + plainBytes + TAG_BYTES * Math.max(1, Math.ceil(plainBytes / SEGMENT_BYTES));
}

/** Looks at the plaintext as it is sealed; a hook that throws fails the stream with its error. */
export interface SealHooks {
  /** Each plaintext chunk, before it is sealed. */
  chunk?(plain: Buffer): void;
  /** The plaintext has ended, before the last segment is sealed. */
  end?(): void;
}

/**
 * Encrypts what passes through it: plaintext in, the sealed layout out. Nothing is copied: a
 * segment is a list of slices of the chunks received, each passed to the cipher as it is, and the
 * ciphertext of each slice leaves as the cipher returns it, followed by the segment's tag. (The
 * first version concatenated the plaintext, then the ciphertext and its tag: three copies, which
 * took sealing from 1.7 GB/s, the cipher's own speed here, down to 0.65 GB/s.)
 */
export function sealStream(master: Buffer, hooks: SealHooks = {}): Transform {
  const salt = randomBytes(SALT_BYTES);
  const prefix = randomBytes(PREFIX_BYTES);
  const header = Buffer.concat([MAGIC, keyId(master), salt, prefix]);
  const key = derive(master, salt);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let index = 0;

  // Each piece's ciphertext leaves as the cipher returns it, then the tag: no copy.
  const seal = (stream: Transform, pieces: Buffer[], last: boolean): void => {
    const cipher = createCipheriv('aes-256-gcm', key, nonce(prefix, index++, last));
    cipher.setAAD(header);
    for (const piece of pieces) stream.push(cipher.update(piece));
    const rest = cipher.final(); // empty: GCM encrypts in counter mode, it holds nothing back
    if (rest.length > 0) stream.push(rest);
    stream.push(cipher.getAuthTag());
  };

  return new Transform({
    construct(callback) {
      this.push(header);
      callback();
    },
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      try {
        hooks.chunk?.(chunk);
      } catch (err) {
        return callback(err as Error);
      }
      let from = 0;
      // A full segment is sealed as "not last" only once a byte beyond it is known to exist.
      while (pendingBytes + chunk.length - from > SEGMENT_BYTES) {
        const take = SEGMENT_BYTES - pendingBytes;
        if (take > 0) pending.push(chunk.subarray(from, from + take));
        from += take;
        seal(this, pending, false);
        pending = [];
        pendingBytes = 0;
      }
      if (from < chunk.length) {
        pending.push(from === 0 ? chunk : chunk.subarray(from));
        pendingBytes += chunk.length - from;
      }
      callback();
    },
    flush(callback: TransformCallback) {
      try {
        hooks.end?.();
      } catch (err) {
        return callback(err as Error);
      }
      seal(this, pending, true);
      pending = [];
      callback();
    },
  });
}

/** Decrypts the sealed layout; fails (and releases nothing more) at the first segment that does not verify. */
export function openStream(master: Buffer): Transform {
  let header: Buffer | null = null;
  let key: Buffer | null = null;
  let prefix: Buffer | null = null;
  let buffered: Buffer = Buffer.alloc(0);
  let index = 0;
  const full = SEGMENT_BYTES + TAG_BYTES;

  const open = (segment: Buffer, last: boolean): Buffer => {
    if (!key || !prefix || !header) throw new SealedDocumentError('no header');
    if (segment.length < TAG_BYTES) throw new SealedDocumentError('truncated');
    const decipher = createDecipheriv('aes-256-gcm', key, nonce(prefix, index++, last));
    decipher.setAAD(header);
    decipher.setAuthTag(segment.subarray(segment.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(segment.subarray(0, segment.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new SealedDocumentError('a segment does not verify (altered, truncated or another key)');
    }
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      try {
        if (!header) {
          if (buffered.length < HEADER_BYTES) return callback();
          header = Buffer.from(buffered.subarray(0, HEADER_BYTES));
          if (!header.subarray(0, MAGIC.length).equals(MAGIC))
            throw new SealedDocumentError('not a sealed document');
          const id = header.subarray(MAGIC.length, MAGIC.length + KEY_ID_BYTES);
          if (!id.equals(keyId(master))) throw new SealedDocumentError('sealed with another key');
          const salt = header.subarray(MAGIC.length + KEY_ID_BYTES, MAGIC.length + KEY_ID_BYTES + SALT_BYTES);
          prefix = Buffer.from(header.subarray(HEADER_BYTES - PREFIX_BYTES));
          key = derive(master, salt);
          buffered = buffered.subarray(HEADER_BYTES);
        }
        // A full segment is "not last" only when more bytes follow it.
        while (buffered.length > full) {
          this.push(open(buffered.subarray(0, full), false));
          buffered = buffered.subarray(full);
        }
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        if (!header) throw new SealedDocumentError('truncated header');
        this.push(open(buffered, true));
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
  });
}
