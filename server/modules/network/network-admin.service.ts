import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { NetworkImportConflictCode } from '#contracts/network.codes.js';
import type { NetworkImportCounts, NetworkImportView } from '#contracts/network.js';
import type { Db } from '../../db/database.js';
import { AppError, type ErrorDetail } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { RequestOrigin } from '../../plugins/request-context.js';
import type { AuditService } from '../audit/index.js';
import type { NetworkImportStatus } from './network.table.js';
import type { NetworkAdminRepository, NetworkImportRow } from './network-admin.repository.js';
import { NetworkFileError, type NetworkImportReport } from './network-import.js';
import { importNetwork } from './network-import-apply.js';

/** Largest network file accepted (a national network of 100,000 facilities is about 20 MB). */
export const MAX_NETWORK_UPLOAD_BYTES = 64 * 1024 * 1024;
/** An import `applying` for longer than this was cut short (a restart): it no longer blocks others. */
const STALE_APPLY_MS = 15 * 60 * 1000;

export interface NetworkAdminDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  repository: NetworkAdminRepository;
  storageDir: string;
  log: FastifyBaseLogger;
}

/** Refused: the import is not in a state the action allows (a CONFLICT on `id`, worded by the web). */
function conflict(code: NetworkImportConflictCode): AppError {
  return new AppError('CONFLICT', [{ field: 'id', code }]);
}

/** Refused because of the import's status (`checked` only between two reads: still being moved on). */
function statusConflict(status: NetworkImportStatus): AppError {
  return conflict(status === 'checked' ? 'import_applying' : `import_${status}`);
}

/** The report as the API shows it (lists always present). */
function counts(json: string | null): NetworkImportCounts | null {
  if (!json) return null;
  const r = JSON.parse(json) as NetworkImportReport;
  return {
    rowsRead: r.rowsRead,
    inserted: r.inserted,
    updated: r.updated,
    unchanged: r.unchanged,
    duplicates: r.duplicates,
    rejectedTotal: r.rejectedTotal,
    rejected: r.rejected,
    unknownServices: r.unknownServices ?? [],
    samples: r.samples ?? { inserted: [], updated: [] },
  };
}

/** Counts only, for the audit trail (no facility data). */
function auditCounts(r: NetworkImportReport) {
  return {
    rowsRead: r.rowsRead,
    inserted: r.inserted,
    updated: r.updated,
    unchanged: r.unchanged,
    rejected: r.rejectedTotal,
  };
}

/**
 * The provider network in the back office. An uploaded file is streamed to storage and checked at
 * once by a dry run (nothing written): the answer is the report, or the reason the whole file is
 * refused. An administrator then applies it (once: the status moves from `checked` to `applying` in
 * one conditional update, and a repeated request gets the finished import back) or discards it.
 * The stored file is deleted when the import ends either way. Upload, apply and discard are audited.
 */
export class NetworkAdminService {
  constructor(private readonly d: NetworkAdminDeps) {}

  private file(id: string): string {
    return join(this.d.storageDir, 'network-imports', `${id}.csv`);
  }

  private async store(id: string, body: Readable): Promise<{ bytes: number; sha256: string }> {
    mkdirSync(join(this.d.storageDir, 'network-imports'), { recursive: true, mode: 0o700 });
    let bytes = 0;
    const hash = createHash('sha256');
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        hash.update(chunk);
        done(bytes > MAX_NETWORK_UPLOAD_BYTES ? new AppError('PAYLOAD_TOO_LARGE') : null, chunk);
      },
    });
    try {
      await pipeline(body, counter, createWriteStream(this.file(id), { mode: 0o600 }));
    } catch (err) {
      rmSync(this.file(id), { force: true });
      throw err instanceof AppError
        ? err
        : new AppError('VALIDATION_FAILED', [
            {
              field: 'file',
              code: 'upload_interrupted',
            },
          ]);
    }
    return { bytes, sha256: hash.digest('hex') };
  }

  /**
   * Stores the file and checks it (a dry run). A file refused as a whole is kept in the history as
   * `refused` and answered with VALIDATION_FAILED, its detail saying why (it/en) and on which line.
   */
  async upload(
    staffId: string,
    fileName: string,
    body: Readable,
    origin: RequestOrigin,
  ): Promise<NetworkImportView> {
    const now = this.d.clock.now();
    const id = newId(now.getTime());
    const { bytes, sha256 } = await this.store(id, body);
    if (bytes === 0) {
      rmSync(this.file(id), { force: true });
      throw new AppError('VALIDATION_FAILED', [
        {
          field: 'file',
          code: 'upload_empty',
        },
      ]);
    }
    const record = {
      id,
      staff_id: staffId,
      file_name: fileName.slice(0, 200),
      file_bytes: bytes,
      file_sha256: sha256,
      created_at: now.toISOString(),
      apply_report: null,
      applied_by: null,
      applied_at: null,
      discarded_by: null,
      discarded_at: null,
    };
    let report: NetworkImportReport;
    try {
      report = await importNetwork(this.d.db, createReadStream(this.file(id)), {
        clock: this.d.clock,
        dryRun: true,
      });
    } catch (err) {
      rmSync(this.file(id), { force: true });
      if (!(err instanceof NetworkFileError)) throw err;
      await this.d.repository.insertImport(this.d.db, {
        ...record,
        status: 'refused',
        check_report: null,
        error: JSON.stringify({
          kind: err.kind,
          ...(err.line === undefined ? {} : { line: err.line }),
          message: err.message,
        }),
      });
      await this.d.audit.record(this.d.db, origin, {
        event: 'network_import_upload',
        outcome: 'failure',
        actorType: 'staff',
        actorId: staffId,
        subjectId: id,
        details: { reason: `file_${err.kind}`, line: err.line ?? null, bytes },
      });
      // One detail per coded reason, in order: the web words each and joins them.
      throw new AppError(
        'VALIDATION_FAILED',
        err.problems.map(
          (p): ErrorDetail => ({ field: 'file', code: p.code, ...(p.params ? { params: p.params } : {}) }),
        ),
      );
    }
    await this.d.repository.insertImport(this.d.db, {
      ...record,
      status: 'checked',
      check_report: JSON.stringify(report),
      error: null,
    });
    await this.d.audit.record(this.d.db, origin, {
      event: 'network_import_upload',
      outcome: 'success',
      actorType: 'staff',
      actorId: staffId,
      subjectId: id,
      details: { ...auditCounts(report), bytes },
    });
    return this.getImport(id);
  }

  /**
   * Imports a checked file. Rejected rows block it unless `allowErrors` (they are then skipped).
   * Applying an import already applied answers it as it is: a retried request never writes twice.
   */
  async apply(
    id: string,
    staffId: string,
    allowErrors: boolean,
    origin: RequestOrigin,
  ): Promise<NetworkImportView> {
    const job = await this.d.repository.findImport(this.d.db, id);
    if (!job) throw new AppError('NOT_FOUND');
    if (job.status === 'applied') return this.view(job);
    if (job.status !== 'checked') throw statusConflict(job.status);
    const checked = counts(job.check_report);
    if (checked && checked.rejectedTotal > 0 && !allowErrors) throw conflict('rejected_rows');
    const now = this.d.clock.now();
    const stale = new Date(now.getTime() - STALE_APPLY_MS).toISOString();
    if (await this.d.repository.otherApplying(this.d.db, id, stale))
      throw conflict('another_import_applying');
    const moved = await this.d.repository.transitionImport(this.d.db, id, 'checked', {
      status: 'applying',
      applied_by: staffId,
      applied_at: now.toISOString(),
    });
    if (!moved) {
      // A concurrent request took it: answer what it did, or that it is still running.
      const current = await this.d.repository.findImport(this.d.db, id);
      if (current?.status === 'applied') return this.view(current);
      throw statusConflict(current?.status ?? 'applying');
    }
    await this.d.audit.record(this.d.db, origin, {
      event: 'network_import_apply',
      outcome: 'success',
      actorType: 'staff',
      actorId: staffId,
      subjectId: id,
      details: { rejectedRowsSkipped: checked?.rejectedTotal ?? 0 },
    });
    try {
      const report = await importNetwork(this.d.db, createReadStream(this.file(id)), {
        clock: this.d.clock,
      });
      await this.d.repository.updateImport(this.d.db, id, {
        status: 'applied',
        apply_report: JSON.stringify(report),
      });
    } catch (err) {
      this.d.log.error({ importId: id, err: { type: (err as Error).name } }, 'network import failed');
      await this.d.repository.updateImport(this.d.db, id, {
        status: 'failed',
        error: JSON.stringify({ kind: 'apply_failed', message: 'the import stopped on an unexpected error' }),
      });
      throw err instanceof AppError ? err : new AppError('INTERNAL_ERROR', undefined, { cause: err });
    } finally {
      rmSync(this.file(id), { force: true });
    }
    return this.getImport(id);
  }

  /** Drops a checked file without importing it; discarding it again changes nothing. */
  async discard(id: string, staffId: string, origin: RequestOrigin): Promise<NetworkImportView> {
    const job = await this.d.repository.findImport(this.d.db, id);
    if (!job) throw new AppError('NOT_FOUND');
    if (job.status === 'discarded') return this.view(job);
    const moved = await this.d.repository.transitionImport(this.d.db, id, 'checked', {
      status: 'discarded',
      discarded_by: staffId,
      discarded_at: this.d.clock.now().toISOString(),
    });
    if (!moved) {
      const now = await this.d.repository.findImport(this.d.db, id);
      if (now?.status === 'discarded') return this.view(now);
      throw statusConflict(now?.status ?? job.status);
    }
    rmSync(this.file(id), { force: true });
    await this.d.audit.record(this.d.db, origin, {
      event: 'network_import_discard',
      outcome: 'success',
      actorType: 'staff',
      actorId: staffId,
      subjectId: id,
    });
    return this.getImport(id);
  }

  async getImport(id: string): Promise<NetworkImportView> {
    const job = await this.d.repository.findImport(this.d.db, id);
    if (!job) throw new AppError('NOT_FOUND');
    return this.view(job, true);
  }

  async listImports(limit: number): Promise<NetworkImportView[]> {
    const rows = await this.d.repository.listImports(this.d.db, limit);
    return Promise.all(rows.map((r) => this.view(r)));
  }

  private async view(job: NetworkImportRow, withSameFile = false): Promise<NetworkImportView> {
    const same = withSameFile
      ? await this.d.repository.findSameFile(this.d.db, job.file_sha256, job.id)
      : undefined;
    return {
      id: job.id,
      fileName: job.file_name,
      fileBytes: job.file_bytes,
      fileSha256: job.file_sha256,
      status: job.status as NetworkImportStatus,
      uploadedBy: job.uploaded_by,
      createdAt: job.created_at,
      appliedBy: job.applied_by_name,
      appliedAt: job.applied_at,
      discardedBy: job.discarded_by_name,
      discardedAt: job.discarded_at,
      error: job.error ? JSON.parse(job.error) : null,
      ...(same ? { sameFileAs: { id: same.id, createdAt: same.created_at, status: same.status } } : {}),
      check: counts(job.check_report),
      result: counts(job.apply_report),
    };
  }
}
