import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { NetworkImportCounts, NetworkImportView } from '#contracts/network.js';
import type { Db } from '../../db/database.js';
import { AppError, type ErrorDetail } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import { listNames, MAX_HEADER_BYTES } from '../../lib/csv-header.js';
import { newId } from '../../lib/ids.js';
import type { RequestOrigin } from '../../plugins/request-context.js';
import type { AuditService } from '../audit/index.js';
import type { NetworkImportStatus } from './network.table.js';
import type { NetworkAdminRepository, NetworkImportRow } from './network-admin.repository.js';
import { NETWORK_COLUMNS, NetworkFileError, type NetworkImportReport } from './network-import.js';
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

type Text = { it: string; en: string };

const HEADER = NETWORK_COLUMNS.join(';');

/** The Italian and English words for a refused file, by problem (the line is added in front). */
function refusalText(err: NetworkFileError): Text {
  const at = (t: Text): Text =>
    err.line === undefined ? t : { it: `Riga ${err.line}: ${t.it}`, en: `Line ${err.line}: ${t.en}` };
  switch (err.kind) {
    case 'empty':
      return {
        it: `il file è vuoto o non inizia con la riga di intestazione (${HEADER}).`,
        en: `the file is empty or does not start with the header line (${HEADER}).`,
      };
    case 'separator':
      return at({
        it: `le colonne devono essere separate da punto e virgola (;) o da virgola (,), e la prima riga deve essere l'intestazione: ${HEADER}.`,
        en: `columns must be separated by semicolons (;) or commas (,), and the first line must be the header: ${HEADER}.`,
      });
    case 'header': {
      const c = err.columns;
      const it = [
        `l'intestazione deve contenere esattamente queste colonne, in qualsiasi ordine: ${HEADER}.`,
      ];
      const en = [`the header must name exactly these columns, in any order: ${HEADER}.`];
      if (!c) {
        // No columns read: the first line is too long to be a header.
        it.push(`La prima riga supera i ${MAX_HEADER_BYTES} byte: non è un'intestazione.`);
        en.push(`The first line is longer than ${MAX_HEADER_BYTES} bytes: it is not a header.`);
      }
      // A crowded header lists its first names only, each cut (lib/csv-header.ts).
      const names = (list: string[]) => ({
        it: listNames(list, (n) => `…e altre ${n}`),
        en: listNames(list, (n) => `…and ${n} more`),
      });
      for (const [list, itLabel, enLabel] of [
        [c?.missing ?? [], 'Mancano', 'Missing'],
        [c?.unknown ?? [], 'Non riconosciute', 'Not recognised'],
        [c?.repeated ?? [], 'Ripetute', 'Repeated'],
      ] as const) {
        if (list.length === 0) continue;
        const shown = names(list);
        it.push(`${itLabel}: ${shown.it}.`);
        en.push(`${enLabel}: ${shown.en}.`);
      }
      return at({ it: it.join(' '), en: en.join(' ') });
    }
    case 'quoting':
      return at({
        it: 'virgolette errate: un campo tra virgolette non viene mai chiuso, oppure dopo la virgoletta di chiusura ci sono altri caratteri. Controlla le virgolette da questa riga in poi.',
        en: 'broken quoting: a quoted field is never closed, or its closing quote is followed by other characters. Check the quotes from this line on.',
      });
    case 'row_too_long':
      return at({
        it: 'una riga supera i 16 KB: probabilmente una virgoletta è rimasta aperta.',
        en: 'a row is longer than 16 KB: probably a quote was left open.',
      });
  }
}

const CONFLICTS: Record<string, Text> = {
  rejected_rows: {
    it: 'Il file ha righe scartate: correggile e carica di nuovo il file, oppure scegli di importare solo le righe valide.',
    en: 'The file has rejected rows: fix them and upload it again, or choose to import only the valid rows.',
  },
  another_import_applying: {
    it: 'Un altro file della rete è in corso di importazione: attendi che finisca.',
    en: 'Another network file is being imported: wait until it ends.',
  },
  import_applying: {
    it: 'Questo file è già in corso di importazione.',
    en: 'This file is already being imported.',
  },
  import_discarded: {
    it: 'Questo caricamento è stato annullato: carica di nuovo il file.',
    en: 'This upload was discarded: upload the file again.',
  },
  import_refused: {
    it: 'Questo file è stato rifiutato: correggilo e caricalo di nuovo.',
    en: 'This file was refused: fix it and upload it again.',
  },
  import_failed: {
    it: "L'importazione di questo file si è interrotta: carica di nuovo il file.",
    en: 'The import of this file stopped: upload the file again.',
  },
  import_applied: {
    it: 'Questo file è già stato importato: non può più essere annullato.',
    en: 'This file was imported already: it can no longer be discarded.',
  },
};

function conflict(code: keyof typeof CONFLICTS | string): AppError {
  const text = CONFLICTS[code] ?? { it: code, en: code };
  return new AppError('CONFLICT', [{ field: 'id', code, message: text.en, text }]);
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
              message: 'upload interrupted',
              text: { it: 'Caricamento interrotto: riprova.', en: 'Upload interrupted: try again.' },
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
          code: 'file_empty',
          message: 'the file is empty',
          text: { it: 'Il file è vuoto.', en: 'The file is empty.' },
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
      const detail: ErrorDetail = {
        field: 'file',
        code: `file_${err.kind}`,
        message: err.message,
        text: refusalText(err),
      };
      throw new AppError('VALIDATION_FAILED', [detail]);
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
    if (job.status !== 'checked') throw conflict(`import_${job.status}`);
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
      throw conflict(`import_${current?.status ?? 'applying'}`);
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
      throw conflict(`import_${now?.status ?? job.status}`);
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
