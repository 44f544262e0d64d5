import { Readable } from 'node:stream';
import type { DocumentRefusalCode } from '#contracts/claims.codes.js';
import { type DocumentStore, DocumentTooLargeError, type StoredDocument } from './document-store.js';

/**
 * Minimal stand-in until the full content check lands (it will replace this file with the same
 * signature): the type is read from the first bytes (PDF, JPEG, PNG magic numbers), an empty file
 * or one over `maxBytes` is refused, and a refused file leaves nothing stored.
 */
export type CheckResult =
  | { ok: true; document: StoredDocument; mediaType: 'application/pdf' | 'image/jpeg' | 'image/png' }
  | { ok: false; code: DocumentRefusalCode };

const MAGIC: { mediaType: 'application/pdf' | 'image/jpeg' | 'image/png'; bytes: number[] }[] = [
  { mediaType: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { mediaType: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { mediaType: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

const HEAD_BYTES = 8;

/** Reads the source's first bytes, then hands back a stream that yields them again followed by the rest. */
async function peek(source: Readable): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < HEAD_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    chunks.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(chunks);
  async function* rest(): AsyncIterable<Buffer> {
    if (head.length > 0) yield head;
    if (done) return;
    while (true) {
      const next = await iterator.next();
      if (next.done) return;
      yield Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    }
  }
  return { head, rest: rest() };
}

export async function checkAndSave(
  store: DocumentStore,
  source: Readable,
  options: { maxBytes: number; prefix: string },
): Promise<CheckResult> {
  const { head, rest } = await peek(source);
  if (head.length === 0) return { ok: false, code: 'empty' };
  const match = MAGIC.find((m) => m.bytes.every((b, i) => head[i] === b));
  if (!match) {
    source.resume();
    return { ok: false, code: 'type_not_allowed' };
  }
  try {
    const document = await store.save(Readable.from(rest), {
      maxBytes: options.maxBytes,
      folder: options.prefix,
    });
    return { ok: true, document, mediaType: match.mediaType };
  } catch (err) {
    if (err instanceof DocumentTooLargeError) {
      source.resume();
      return { ok: false, code: 'too_large' };
    }
    throw err;
  }
}
