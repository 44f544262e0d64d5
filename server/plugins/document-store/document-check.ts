import { finished, pipeline, type Readable, Transform, type TransformCallback } from 'node:stream';
import sharp, { type Sharp } from 'sharp';
import type { DocumentMediaType, DocumentRefusalCode } from '#contracts/claims.codes.js';
import { type DocumentStore, DocumentTooLargeError, type StoredDocument } from './document-store.js';
import { PdfScanner } from './pdf-scan.js';

/**
 * Members' uploads are checked as they are stored (decision 034): the type from the first bytes,
 * PDFs inspected by a streaming scanner while they are sealed into the store, photos re-encoded
 * without their metadata. A refused file leaves nothing in the store.
 */

export type DocumentCheckResult =
  | { ok: true; document: StoredDocument; mediaType: DocumentMediaType }
  | { ok: false; code: DocumentRefusalCode };
/** The name the claims module first coded against. */
export type CheckResult = DocumentCheckResult;

/** Larger images are refused (`image_unreadable`): a 48-megapixel phone photo passes, a bomb does not. */
export const MAX_IMAGE_PIXELS = 50_000_000;
/** JPEG quality of re-encoded photos (libjpeg-turbo, not mozjpeg: faster, the same look at 85). */
export const JPEG_QUALITY = 85;
/** A re-encoded image may come out larger than it went in (a PNG squeezed harder than libpng does). */
const IMAGE_OUTPUT_FACTOR = 2;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const SIGNATURE_BYTES = PNG_SIGNATURE.length;

/**
 * The type from the content, never from the name or the declared type. The three signatures are
 * exact and short, so they are compared here rather than through a general detector (file-type
 * reads an Illustrator file, a PDF underneath, as PostScript, and an animated PNG as APNG).
 */
export function sniffMediaType(head: Buffer): DocumentMediaType | null {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) return 'image/png';
  return null;
}

/** Stops the upload with a refusal code; nothing is kept. */
class Refusal extends Error {
  constructor(readonly code: DocumentRefusalCode) {
    super(`document refused: ${code}`);
    this.name = 'Refusal';
  }
}

/** Counts the bytes the member sent and stops one byte past the limit. */
class InputLimit extends Transform {
  private bytes = 0;
  constructor(private readonly maxBytes: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) return callback(new Refusal('too_large'));
    callback(null, chunk);
  }
}

const ignore = () => {};

/** Reads at least `n` bytes (or all there is), leaving the source paused for the rest. */
function readHead(source: Readable, n: number): Promise<{ head: Buffer; ended: boolean }> {
  return new Promise((resolve, reject) => {
    if (source.destroyed) return reject(source.errored ?? new Error('the upload was already closed'));
    if (source.readableEnded) return resolve({ head: Buffer.alloc(0), ended: true });
    const chunks: Buffer[] = [];
    let length = 0;
    const cleanup = () => {
      source.off('readable', onReadable);
      source.off('end', onEnd);
      source.off('error', onError);
      source.off('close', onClose);
    };
    const done = (ended: boolean) => {
      cleanup();
      resolve({ head: Buffer.concat(chunks), ended });
    };
    const onReadable = () => {
      for (;;) {
        const chunk: Buffer | string | null = source.read();
        if (chunk === null) return;
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        chunks.push(bytes);
        length += bytes.length;
        if (length >= n) return done(false);
      }
    };
    const onEnd = () => done(true);
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onClose = () => {
      cleanup();
      reject(new Error('the upload ended before it was complete'));
    };
    source.on('readable', onReadable);
    source.on('end', onEnd);
    source.on('error', onError);
    source.on('close', onClose);
  });
}

/**
 * After a refusal the rest of the upload is read and thrown away, so that the caller can still
 * answer the request (an HTTP client that is still sending does not see a reset). Nothing more is
 * kept or inspected; the server's body limit and timeouts bound how long this lasts.
 */
function discard(source: Readable): void {
  source.unpipe();
  if (source.destroyed || source.readableEnded) return;
  source.resume();
}

/** Inspects a PDF as it passes; fails the stream (hence the save) at the first reason to refuse. */
function pdfInspector(scanner: PdfScanner): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      const wait = scanner.write(chunk);
      const go = () => {
        const found = scanner.finding;
        if (found === 'pdf_active_content' || found === 'pdf_encrypted') callback(new Refusal(found));
        else callback(null, chunk);
      };
      if (wait) scanner.drain().then(go, callback);
      else go();
    },
    flush(callback: TransformCallback) {
      scanner.end().then((found) => callback(found ? new Refusal(found) : null), callback);
    },
    destroy(err, callback) {
      scanner.abort();
      callback(err);
    },
  });
}

/**
 * Photos re-encoded at once in this process. Decoding is what costs memory: a 12-megapixel phone
 * photo turned upright takes about 135 MB while it is re-encoded, and ten at once took 650 MB
 * (measured; decision 034), so the others wait their turn, their uploads paused (the network
 * holds them back).
 */
export const IMAGE_SLOTS = 1;
let imagesRunning = 0;
const imageQueue: (() => void)[] = [];
async function imageSlot(): Promise<() => void> {
  if (imagesRunning >= IMAGE_SLOTS) await new Promise<void>((resolve) => imageQueue.push(resolve));
  else imagesRunning++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const next = imageQueue.shift();
    if (next) next();
    else imagesRunning--;
  };
}

// Every upload is a different image: libvips' operation cache would only hold memory.
sharp.cache(false);

/** JPEG stays JPEG, PNG stays PNG: turned upright, every metadata block left behind. */
function imageReencoder(mediaType: 'image/jpeg' | 'image/png'): Sharp {
  const image = sharp({ limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' }).rotate();
  return mediaType === 'image/jpeg' ? image.jpeg({ quality: JPEG_QUALITY, mozjpeg: false }) : image.png();
}

/** What checkAndSave needs to know besides the bytes. */
export interface CheckOptions {
  maxBytes: number;
  /** The store's folder (e.g. "claims"). */
  prefix: string;
  /**
   * The upload's length as it announced it (HTTP Content-Length), if it did: a PDF, stored as
   * sent, is then written to the store in one request as it arrives (DocumentStore.save `bytes`).
   */
  declaredBytes?: number | undefined;
}

/**
 * Checks an upload by its content and, if it is acceptable, stores it sealed (DocumentStore.save).
 * PDFs are stored as sent, after a streaming inspection; JPEG and PNG photos are re-encoded
 * (EXIF orientation applied; EXIF, GPS, XMP, ICC and text chunks dropped), so the stored bytes,
 * size and SHA-256 are those of the re-encoded image. Refusals are answers, not errors; an error
 * is thrown only when the source breaks or the store fails (and nothing is kept then either).
 */
export async function checkAndSave(
  store: DocumentStore,
  source: Readable,
  options: CheckOptions,
): Promise<DocumentCheckResult> {
  // Errors of the source reach the caller as this promise's rejection, never as an unhandled event.
  source.on('error', ignore);
  const { head, ended } = await readHead(source, SIGNATURE_BYTES);
  if (head.length === 0 && ended) return { ok: false, code: 'empty' };
  const mediaType = sniffMediaType(head);
  if (mediaType === null) {
    discard(source);
    return { ok: false, code: 'type_not_allowed' };
  }
  if (options.declaredBytes !== undefined && options.declaredBytes > options.maxBytes) {
    discard(source);
    return { ok: false, code: 'too_large' };
  }

  const release = mediaType === 'application/pdf' ? () => {} : await imageSlot();
  try {
    return await checkAndStore(store, source, options, head, ended, mediaType);
  } finally {
    release();
  }
}

async function checkAndStore(
  store: DocumentStore,
  source: Readable,
  options: CheckOptions,
  head: Buffer,
  ended: boolean,
  mediaType: DocumentMediaType,
): Promise<DocumentCheckResult> {
  const limit = new InputLimit(options.maxBytes);
  limit.write(head);
  let stopWatching = () => {};
  if (ended) limit.end();
  else {
    // The source is piped, not put in a pipeline: a refusal must not destroy the caller's request.
    stopWatching = finished(source, { writable: false }, (err) => {
      if (err) limit.destroy(err);
    });
    source.pipe(limit);
  }

  let scanner: PdfScanner | null = null;
  let imageFailed = false;
  let body: Readable;
  if (mediaType === 'application/pdf') {
    scanner = new PdfScanner();
    body = pipeline(limit, pdfInspector(scanner), () => {});
  } else {
    const image = imageReencoder(mediaType);
    image.on('error', (err: Error & { code?: unknown }) => {
      // libvips' own errors; not those the store or the stream machinery put on the stream.
      if (!(err instanceof Refusal || err instanceof DocumentTooLargeError) && typeof err.code !== 'string')
        imageFailed = true;
    });
    body = pipeline(limit, image, () => {});
  }

  const outputLimit = scanner ? options.maxBytes : options.maxBytes * IMAGE_OUTPUT_FACTOR;
  let document: StoredDocument;
  try {
    document = await store.save(body, {
      maxBytes: outputLimit,
      folder: options.prefix,
      // A PDF is stored as sent: its length is the upload's. A photo's is known once re-encoded.
      ...(scanner && options.declaredBytes !== undefined ? { bytes: options.declaredBytes } : {}),
    });
  } catch (err) {
    discard(source);
    if (err instanceof Refusal) return { ok: false, code: err.code };
    if (err instanceof DocumentTooLargeError) return { ok: false, code: 'too_large' };
    if (imageFailed) return { ok: false, code: 'image_unreadable' };
    throw err;
  } finally {
    stopWatching();
  }
  // The save only completes after the inspection has ended without a finding; this is a guard.
  if (scanner?.finding) {
    await store.remove(document.key);
    return { ok: false, code: scanner.finding };
  }
  return { ok: true, document, mediaType };
}
