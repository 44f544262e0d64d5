import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config/config.js';
import type { BlobStore } from './blob-store.js';
import { DocumentStore } from './document-store.js';
import { LocalBlobStore } from './local-blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';

export { BlobNotFoundError } from './blob-store.js';
export {
  type CheckOptions,
  type CheckResult,
  checkAndSave,
  type DocumentCheckResult,
  IMAGE_SLOTS,
  JPEG_QUALITY,
  MAX_IMAGE_PIXELS,
  sniffMediaType,
} from './document-check.js';
export { DocumentStore, DocumentTooLargeError, type StoredDocument } from './document-store.js';
export { SealedDocumentError } from './sealed-stream.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Members' documents, sealed at rest, in the configured blob store. */
    documents: DocumentStore;
  }
}

/** The blob store the configuration names: the local folder (default) or an S3-compatible bucket. */
export function createBlobStore(documents: AppConfig['documents']): BlobStore {
  return documents.driver === 's3' ? new S3BlobStore(documents) : new LocalBlobStore(documents.dir);
}

/** Decorates the app with its document store; the S3 client is closed with the app. */
export function installDocumentStore(
  app: FastifyInstance,
  config: AppConfig,
  blobs?: BlobStore,
): DocumentStore {
  const store = new DocumentStore(blobs ?? createBlobStore(config.documents), config.documentKey);
  app.decorate('documents', store);
  app.addHook('onClose', async () => {
    if (store.blobs instanceof S3BlobStore) store.blobs.close();
  });
  return store;
}
