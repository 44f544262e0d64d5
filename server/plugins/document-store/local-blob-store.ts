import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BLOB_KEY, BlobNotFoundError, type BlobStore, checkKey } from './blob-store.js';

/**
 * What a file being written may hold before the stream above it waits: while one write is in
 * flight the next chunks gather, up to this much, into one writev. With the default 16 KiB every
 * 64 KiB chunk was a write of its own, each a round trip through libuv's thread pool. Ten 10 MB
 * files written at once took 204–361 ms of CPU that way, 141–184 ms gathered up to 256 KiB
 * (89–136 ms up to 1 MiB, but ten uploads could then hold 10 MB).
 */
const WRITE_BYTES = 256 * 1024;

/** A file being written: `<key>.<12 hex>.part` (see `put`). */
const PART = /^(.+)\.[0-9a-f]{12}\.part$/;

/**
 * Blobs as files below one folder (`STORAGE_DIR`): written to a temporary name and renamed, so a
 * crash never leaves a half file under a real key. Files are readable by the owner only.
 */
export class LocalBlobStore implements BlobStore {
  readonly kind = 'local' as const;
  constructor(private readonly dir: string) {}

  private path(key: string): string {
    return join(this.dir, ...checkKey(key).split('/'));
  }

  async put(key: string, body: Readable): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const temp = `${path}.${randomBytes(6).toString('hex')}.part`;
    try {
      await pipeline(body, createWriteStream(temp, { flags: 'wx', mode: 0o600, highWaterMark: WRITE_BYTES }));
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Readable> {
    const path = this.path(key);
    try {
      await stat(path);
    } catch {
      throw new BlobNotFoundError();
    }
    return createReadStream(path);
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async *list(): AsyncIterable<{ key: string; modifiedAt: Date }> {
    let entries: string[];
    try {
      entries = await readdir(this.dir, { recursive: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const key = relative(this.dir, join(this.dir, entry)).split(sep).join('/');
      if (!BLOB_KEY.test(key)) continue;
      const info = await stat(join(this.dir, entry)).catch(() => null);
      if (info?.isFile()) yield { key, modifiedAt: info.mtime };
    }
  }

  /**
   * A process killed while writing leaves its `<key>.<random>.part` file: nothing refers to it and
   * `list` does not show it (it is not a key). Those older than `before` are removed.
   */
  async removeLeftovers(before: Date): Promise<number> {
    let entries: string[];
    try {
      entries = await readdir(this.dir, { recursive: true });
    } catch {
      return 0;
    }
    let removed = 0;
    for (const entry of entries) {
      const key = relative(this.dir, join(this.dir, entry)).split(sep).join('/');
      const m = PART.exec(key);
      if (!m?.[1] || !BLOB_KEY.test(m[1])) continue;
      const info = await stat(join(this.dir, entry)).catch(() => null);
      if (!info?.isFile() || info.mtime >= before) continue;
      await rm(join(this.dir, entry), { force: true });
      removed++;
    }
    return removed;
  }

  async check(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const probe = join(this.dir, `.probe-${randomBytes(6).toString('hex')}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  }
}
