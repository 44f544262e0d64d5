import { finished, type Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { AppConfig } from '../../config/config.js';
import { BLOB_KEY, BlobNotFoundError, type BlobStore, checkKey } from './blob-store.js';

/** The bucket's settings, as the configuration reads them (`STORAGE_DRIVER=s3`). */
export type S3Settings = Omit<Extract<AppConfig['documents'], { driver: 's3' }>, 'driver'>;

const ignore = () => {};
const SILENT = { debug: ignore, info: ignore, warn: ignore, error: ignore };

/** Size of a multipart upload's parts (S3's minimum but for the last). */
const PART_BYTES = 5 * 1024 * 1024;
/**
 * Multipart uploads (a body of unknown length) running at once in this process; the others wait,
 * their streams paused. Each buffers up to two parts (one filling, one in flight), so together they
 * hold at most about 20 MiB, however many uploads arrive.
 */
export const MULTIPART_SLOTS = 2;
let multipartRunning = 0;
const multipartQueue: (() => void)[] = [];
async function multipartSlot(): Promise<() => void> {
  if (multipartRunning >= MULTIPART_SLOTS) await new Promise<void>((resolve) => multipartQueue.push(resolve));
  else multipartRunning++;
  return () => {
    const next = multipartQueue.shift();
    if (next) next();
    else multipartRunning--;
  };
}

/**
 * Blobs in an S3-compatible bucket through the official AWS SDK, never whole in memory:
 * - a body of known length (a document whose upload announced its size) streams in one PutObject
 *   as it is sealed, holding nothing beyond the stream's own buffers; a body that fails or stops
 *   early aborts the request, and S3 keeps no object from an incomplete PUT;
 * - a body of unknown length (a re-encoded photo) goes as a multipart upload in 5 MiB parts, one
 *   in flight, at most MULTIPART_SLOTS such uploads at once; one that fails is aborted, so no
 *   object appears under the key.
 * The client computes no extra request checksums (`requestChecksumCalculation: WHEN_REQUIRED`):
 * by default the SDK would send a streamed body in `aws-chunked` encoding with a trailing CRC32,
 * which several S3-compatible stores (and s3rver) do not understand. Every segment of a sealed
 * document carries its own AES-GCM tag, so a changed byte is refused when the document is opened.
 */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    this.client = new S3Client({
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      // The SDK logs nothing by default, except a console warning when a streamed PUT fails, as
      // every refused upload's does: the error itself reaches the caller.
      logger: SILENT,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      ...(settings.accessKeyId && settings.secretAccessKey
        ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } }
        : {}),
    });
  }

  async put(key: string, body: Readable, options?: { bytes?: number }): Promise<void> {
    const Key = checkKey(key);
    if (options?.bytes !== undefined) return this.putStream(Key, body, options.bytes);
    const release = await multipartSlot();
    try {
      const upload = new Upload({
        client: this.client,
        params: { Bucket: this.settings.bucket, Key, Body: body },
        partSize: PART_BYTES,
        queueSize: 1,
        leavePartsOnError: false,
      });
      await upload.done();
    } finally {
      release();
    }
  }

  /** One PutObject that sends the body as it comes; the request is aborted if the body breaks. */
  private async putStream(Key: string, body: Readable, bytes: number): Promise<void> {
    const abort = new AbortController();
    // The SDK pipes the body into the request: a failed body would leave the request waiting.
    const stop = finished(body, (err) => {
      if (err) abort.abort(err);
    });
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.settings.bucket, Key, Body: body, ContentLength: bytes }),
        { abortSignal: abort.signal },
      );
    } catch (err) {
      // Aborted for the body's sake: the body's error (a refusal, a dropped connection) is the news.
      throw abort.signal.aborted ? abort.signal.reason : err;
    } finally {
      stop();
    }
  }

  async get(key: string): Promise<Readable> {
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.settings.bucket, Key: checkKey(key) }),
      );
      return answer.Body as Readable;
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey')
        throw new BlobNotFoundError();
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: checkKey(key) }));
  }

  async *list(): AsyncIterable<{ key: string; modifiedAt: Date }> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.settings.bucket, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key && BLOB_KEY.test(object.Key))
          yield { key: object.Key, modifiedAt: object.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async check(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.settings.bucket }));
  }

  close(): void {
    this.client.destroy();
  }
}
