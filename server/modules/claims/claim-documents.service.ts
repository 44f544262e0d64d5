import type { Readable } from 'node:stream';
import { CLAIM_LIMITS, type DocumentKind } from '#contracts/claims.codes.js';
import type { ClaimDocument } from '#contracts/claims.js';
import { AppError } from '../../errors/app-error.js';
import { newId } from '../../lib/ids.js';
import { checkAndSave } from '../../plugins/document-store/document-check.js';
import type { MemberAccount } from '../members/index.js';
import {
  CLAIM_DOCUMENT_FOLDER,
  type ClaimAccess,
  type ClaimsDeps,
  documentView,
  notFound,
} from './claim-access.js';
import { displayName } from './claim-format.js';
import { conflict, documentProblem } from './claim-messages.js';
import type { ClaimsRepository } from './claims.repository.js';
import type { ClaimDocumentRow, ClaimRow } from './claims.table.js';

/**
 * A claim's documents: upload (to a draft, or answering a request for documents), removal before
 * they are sent, opening one, and which stored keys the claims still refer to (the sweep).
 */
export class ClaimDocumentsService {
  private readonly repo: ClaimsRepository;

  constructor(
    private readonly d: Pick<ClaimsDeps, 'db' | 'clock' | 'documents'>,
    private readonly access: ClaimAccess,
  ) {
    this.repo = access.repo;
  }

  private async storeDocument(
    claim: ClaimRow,
    kind: DocumentKind,
    name: string,
    body: Readable,
    phase: 'initial' | 'integration',
    declaredBytes: number | undefined,
  ): Promise<ClaimDocument> {
    if ((await this.repo.countDocuments(this.d.db, claim.id)) >= CLAIM_LIMITS.maxDocuments) {
      body.resume();
      throw new AppError('VALIDATION_FAILED', [documentProblem('too_many_documents')]);
    }
    const result = await checkAndSave(this.d.documents, body, {
      maxBytes: CLAIM_LIMITS.maxDocumentBytes,
      prefix: CLAIM_DOCUMENT_FOLDER,
      declaredBytes,
    });
    if (!result.ok) {
      if (result.code === 'too_large')
        throw new AppError('PAYLOAD_TOO_LARGE', [documentProblem('too_large')]);
      throw new AppError('VALIDATION_FAILED', [documentProblem(result.code)]);
    }
    const now = this.d.clock.now();
    const row: ClaimDocumentRow = {
      id: newId(now.getTime()),
      claim_id: claim.id,
      storage_key: result.document.key,
      kind,
      file_name: displayName(name),
      media_type: result.mediaType,
      bytes: result.document.bytes,
      sha256: result.document.sha256,
      phase,
      sent: 0,
      uploaded_at: now.toISOString(),
    };
    // Counted again with the claim locked: two uploads at once cannot pass the limit together.
    let kept: ClaimDocumentRow;
    try {
      kept = await this.d.db.transaction().execute(async (trx) => {
        await this.repo.lockClaim(trx, claim.id);
        const documents = await this.repo.documents(trx, claim.id);
        // The same file sent again for the same claim, not yet sent on: a retry, answered by the first.
        const same = documents.find((d) => d.sha256 === row.sha256 && d.kind === kind && d.sent === 0);
        if (same) return same;
        if (documents.length >= CLAIM_LIMITS.maxDocuments)
          throw new AppError('VALIDATION_FAILED', [documentProblem('too_many_documents')]);
        await this.repo.insertDocument(trx, row);
        return row;
      });
    } catch (err) {
      await this.d.documents.remove(row.storage_key).catch(() => {});
      throw err;
    }
    if (kept !== row) await this.d.documents.remove(row.storage_key).catch(() => {});
    return documentView(kept);
  }

  /** `declaredBytes`: the upload's Content-Length, if it sent one. */
  async uploadDraftDocument(
    account: MemberAccount,
    id: string,
    kind: DocumentKind,
    name: string,
    body: Readable,
    declaredBytes?: number,
  ) {
    const row = await this.access.ownDraft(account, id).catch((err) => {
      body.resume();
      throw err;
    });
    return this.storeDocument(row, kind, name, body, 'initial', declaredBytes);
  }

  /** `declaredBytes`: the upload's Content-Length, if it sent one. */
  async uploadIntegrationDocument(
    account: MemberAccount,
    id: string,
    kind: DocumentKind,
    name: string,
    body: Readable,
    declaredBytes?: number,
  ) {
    const { claim } = await this.access.visibleClaim(account, id).catch((err) => {
      body.resume();
      throw err;
    });
    if (claim.state !== 'needs_documents') {
      body.resume();
      throw new AppError('CONFLICT', [conflict('not_waiting_for_documents')]);
    }
    return this.storeDocument(claim, kind, name, body, 'integration', declaredBytes);
  }

  /** Removes a document not yet sent (of a draft, or an integration not yet sent). */
  async removeDocument(
    account: MemberAccount,
    id: string,
    documentId: string,
    where: 'draft' | 'integration',
  ): Promise<void> {
    const claim =
      where === 'draft'
        ? await this.access.ownDraft(account, id)
        : (await this.access.visibleClaim(account, id)).claim;
    const doc = await this.repo.document(this.d.db, claim.id, documentId);
    if (!doc) throw notFound();
    if (doc.sent === 1) throw new AppError('CONFLICT', [conflict('document_sent', 'documentId')]);
    await this.repo.deleteDocument(this.d.db, doc.id);
    await this.d.documents.remove(doc.storage_key).catch(() => {});
  }

  /** A document of a claim the member may see: the row and its plaintext stream. */
  async openDocument(account: MemberAccount, id: string, documentId: string) {
    const row = await this.repo.findClaim(this.d.db, id);
    if (!row) throw notFound();
    if (row.state === 'draft') {
      if (row.account_id !== account.id) throw notFound();
    } else {
      await this.access.visibleClaim(account, id);
    }
    const doc = await this.repo.document(this.d.db, row.id, documentId);
    if (!doc) throw notFound();
    return { document: doc, stream: await this.d.documents.open(doc.storage_key) };
  }

  /** For the sweep: which of these keys a claim document still refers to (keys of other folders are kept). */
  async referencedKeys(keys: string[]): Promise<Set<string>> {
    const ours = keys.filter((k) => k.startsWith(`${CLAIM_DOCUMENT_FOLDER}/`));
    const kept = new Set(keys.filter((k) => !k.startsWith(`${CLAIM_DOCUMENT_FOLDER}/`)));
    for (const key of await this.repo.referencedKeys(this.d.db, ours)) kept.add(key);
    return kept;
  }
}
