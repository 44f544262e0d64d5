import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { Static } from 'typebox';
import type { FileProblem } from '#contracts/imports.codes.js';
import type { RegistryImportErrorKind } from '#contracts/registry.codes.js';
import type { FamilyMember, RegistryImportView, RegistryMemberView } from '#contracts/registry.js';
import type { Db, DbHandle, Dialect } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { isIsoDate, italianToday, normalizeEmail } from '../../lib/text.js';
import type { RequestOrigin } from '../../plugins/request-context.js';
import type { AuditService } from '../audit/index.js';
import { memberLockEnd } from '../auth/index.js';
import { normalizeCf, type RegistrationService } from '../members/index.js';
import { importRegistry, RegistryFileError } from './registry.service.js';
import type { RegistryImport } from './registry.table.js';
import type { RegistryAdminRepository, RegistryMemberRow } from './registry-admin.repository.js';

/** Largest registry file accepted by upload (a million rows is about 110 MB). */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
const PROGRESS_EVERY = 10_000;

/** Characters a word of a name search needs, wildcards and the escape character not counted. */
const MIN_SEARCH_WORD = 2;

function searchTooShort(): AppError {
  return new AppError('VALIDATION_FAILED', [
    {
      field: 'querystring.q',
      code: 'search_too_short',
      params: { min: MIN_SEARCH_WORD },
    },
  ]);
}

export type AccountState = 'not_registered' | 'waiting_for_activation' | 'active' | 'locked';

/** Why an import failed: its code and reasons; the English text of a row stored before codes. */
function importError(i: RegistryImport): RegistryImportView['error'] {
  if (i.error_code) {
    const stored = (i.error_params ? JSON.parse(i.error_params) : {}) as {
      line?: number;
      problems?: FileProblem[];
    };
    return {
      kind: i.error_code,
      ...(stored.line === undefined ? {} : { line: stored.line }),
      problems: stored.problems ?? [],
    };
  }
  return i.error === null ? null : { kind: 'unknown', problems: [], message: i.error };
}

/** An import as the back office shows it: the reports parsed, the uploader's name when known. */
function toImportView(i: RegistryImport & { uploaded_by?: string | null }): RegistryImportView {
  return {
    id: i.id,
    fileName: i.file_name,
    fileBytes: i.file_bytes,
    status: i.status,
    rowsRead: i.rows_read,
    uploadedBy: i.uploaded_by ?? null,
    createdAt: i.created_at,
    checkedAt: i.checked_at,
    appliedAt: i.applied_at,
    error: importError(i),
    check: i.check_report ? JSON.parse(i.check_report) : null,
    result: i.apply_report ? JSON.parse(i.apply_report) : null,
  };
}

/** A registry member as the back office shows it: the card number only as whether it is set. */
function toMemberView(r: RegistryMemberRow & { account_state: AccountState }): RegistryMemberView {
  return {
    id: r.id,
    codiceFiscale: r.codice_fiscale,
    surname: r.surname,
    name: r.given_name,
    birthDate: r.birth_date,
    email: r.email,
    role: r.role,
    holderCf: r.holder_cf,
    plan: { code: r.plan_code, name: r.plan_name },
    coverage: { start: r.coverage_start, end: r.coverage_end },
    username: r.username,
    accountState: r.account_state,
    hasCardNumber: r.card_number !== null,
  };
}

/** A member of the family as the member reads it on the dashboard. */
function toFamilyMember(r: RegistryMemberRow): Static<typeof FamilyMember> {
  return {
    name: r.given_name,
    surname: r.surname,
    role: r.role,
    birthDate: r.birth_date,
    coverage: { start: r.coverage_start, end: r.coverage_end },
  };
}

export interface RegistryAdminDeps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  audit: AuditService;
  registration: RegistrationService;
  repository: RegistryAdminRepository;
  storageDir: string;
  log: FastifyBaseLogger;
  /** Lets imports write through a connection of their own (see ImportOptions.handle). */
  handle?: Pick<DbHandle, 'sqliteFile' | 'pgPool'>;
}

/**
 * The registry in the back office. An uploaded file is stored, checked by a dry run in the
 * background (progress in `rows_read`), and imported only when an administrator applies it; the
 * file is deleted once applied or discarded. Member search and the member page, whose every
 * opening is written to the audit trail.
 */
export class RegistryAdminService {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly d: RegistryAdminDeps) {}

  private file(id: string): string {
    return join(this.d.storageDir, 'registry-imports', `${id}.csv`);
  }

  async upload(staffId: string, fileName: string, body: Readable): Promise<RegistryImportView> {
    const id = newId(this.d.clock.now().getTime());
    mkdirSync(join(this.d.storageDir, 'registry-imports'), { recursive: true, mode: 0o700 });
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done(bytes > MAX_UPLOAD_BYTES ? new AppError('PAYLOAD_TOO_LARGE') : null, chunk);
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
              field: 'body',
              code: 'upload_interrupted',
            },
          ]);
    }
    if (bytes === 0) {
      rmSync(this.file(id), { force: true });
      throw new AppError('VALIDATION_FAILED', [{ field: 'body', code: 'upload_empty' }]);
    }
    await this.d.repository.insertImport(this.d.db, {
      id,
      staff_id: staffId,
      file_name: fileName.slice(0, 200),
      file_bytes: bytes,
      status: 'checking',
      rows_read: 0,
      check_report: null,
      apply_report: null,
      error: null,
      error_code: null,
      error_params: null,
      created_at: this.d.clock.now().toISOString(),
      checked_at: null,
      applied_by: null,
      applied_at: null,
    });
    this.background(id, () => this.check(id));
    return toImportView((await this.d.repository.findImport(this.d.db, id)) as RegistryImport);
  }

  private background(id: string, job: () => Promise<void>): void {
    const p = job()
      .catch(async (err: unknown) => {
        if (!(err instanceof RegistryFileError))
          this.d.log.error({ importId: id, err: { type: (err as Error).name } }, 'registry import failed');
        const failure: { error_code: RegistryImportErrorKind; error_params: string | null } =
          err instanceof RegistryFileError
            ? {
                error_code: err.kind,
                error_params: JSON.stringify({
                  ...(err.line === undefined ? {} : { line: err.line }),
                  problems: err.problems,
                }),
              }
            : { error_code: 'apply_failed', error_params: null };
        await this.d.repository.updateImport(this.d.db, id, { status: 'failed', ...failure });
        rmSync(this.file(id), { force: true });
      })
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Waits for the imports under way (at shutdown, and in tests). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private async check(id: string): Promise<void> {
    const report = await importRegistry(this.d.db, this.d.dialect, createReadStream(this.file(id)), {
      dryRun: true,
      clock: this.d.clock,
      progressEvery: PROGRESS_EVERY,
      onProgress: (n) => void this.d.repository.updateImport(this.d.db, id, { rows_read: n }),
    });
    await this.d.repository.updateImport(this.d.db, id, {
      status: 'checked',
      rows_read: report.rowsRead,
      check_report: JSON.stringify(report),
      checked_at: this.d.clock.now().toISOString(),
    });
  }

  /** Imports a checked file. Rejected rows block it unless `allowErrors` (they are then skipped). */
  async apply(
    id: string,
    staffId: string,
    allowErrors: boolean,
    origin: RequestOrigin,
  ): Promise<RegistryImportView> {
    const job = await this.d.repository.findImport(this.d.db, id);
    if (!job) throw new AppError('NOT_FOUND');
    const checked = job.check_report
      ? (JSON.parse(job.check_report) as { rejectedTotal: number })
      : undefined;
    if (job.status !== 'checked' || !checked) throw new AppError('CONFLICT');
    if (checked.rejectedTotal > 0 && !allowErrors) throw new AppError('CONFLICT');
    const now = this.d.clock.now().toISOString();
    if (
      !(await this.d.repository.transitionImport(this.d.db, id, 'checked', {
        status: 'applying',
        rows_read: 0,
        applied_by: staffId,
      }))
    ) {
      throw new AppError('CONFLICT');
    }
    await this.d.audit.record(this.d.db, origin, {
      event: 'registry_import_apply',
      outcome: 'success',
      actorType: 'staff',
      actorId: staffId,
      details: { importId: id, rejectedRowsSkipped: checked.rejectedTotal },
    });
    this.background(id, async () => {
      const report = await importRegistry(this.d.db, this.d.dialect, createReadStream(this.file(id)), {
        clock: this.d.clock,
        ...(this.d.handle ? { handle: this.d.handle } : {}),
        progressEvery: PROGRESS_EVERY,
        onProgress: (n) => void this.d.repository.updateImport(this.d.db, id, { rows_read: n }),
      });
      await this.d.repository.updateImport(this.d.db, id, {
        status: 'applied',
        rows_read: report.rowsRead,
        apply_report: JSON.stringify(report),
        applied_at: now,
      });
      rmSync(this.file(id), { force: true });
    });
    return toImportView((await this.d.repository.findImport(this.d.db, id)) as RegistryImport);
  }

  async discard(id: string): Promise<void> {
    const job = await this.d.repository.findImport(this.d.db, id);
    if (!job) throw new AppError('NOT_FOUND');
    if (!(await this.d.repository.transitionImport(this.d.db, id, 'checked', { status: 'discarded' }))) {
      throw new AppError('CONFLICT');
    }
    rmSync(this.file(id), { force: true });
  }

  async getImport(id: string): Promise<RegistryImportView> {
    const job = await this.d.repository.findImport(this.d.db, id);
    if (!job) throw new AppError('NOT_FOUND');
    return toImportView(job);
  }

  async listImports(limit: number): Promise<RegistryImportView[]> {
    return (await this.d.repository.listImports(this.d.db, limit)).map(toImportView);
  }

  /**
   * A codice fiscale, an email, or words of the name (each a prefix, matched as written: `%`, `_`
   * and `\` are no wildcards and do not count towards a word's 2 characters; with no such word the
   * search is refused). Every search is audited as a sensitive read with its kind and result
   * count, never its text (a name, an email or a codice fiscale).
   */
  async search(text: string, staffId: string, origin: RequestOrigin): Promise<RegistryMemberView[]> {
    const q = text.trim();
    const cf = normalizeCf(q);
    let kind: 'codice_fiscale' | 'email' | 'name';
    let query: { cf?: string; email?: string; words?: string[] };
    if (/^[A-Z0-9]{16}$/.test(cf)) {
      kind = 'codice_fiscale';
      query = { cf };
    } else if (q.includes('@')) {
      kind = 'email';
      query = { email: normalizeEmail(q) };
    } else {
      const words = q
        .toLowerCase()
        .split(/\s+/)
        .filter((w) => w.replace(/[%_\\]/g, '').length >= MIN_SEARCH_WORD)
        .slice(0, 4);
      if (words.length === 0) throw searchTooShort();
      kind = 'name';
      query = { words };
    }
    const rows = await this.d.repository.search(this.d.db, query, 50);
    await this.d.audit.record(this.d.db, origin, {
      event: 'sensitive_read',
      outcome: 'success',
      actorType: 'staff',
      actorId: staffId,
      details: { what: 'registry_search', kind, results: rows.length },
    });
    return Promise.all(
      rows.map(async (r) => toMemberView({ ...r, account_state: await this.accountState(r) })),
    );
  }

  private async accountState(r: {
    id: string;
    account_id: string | null;
    password_locked_at: string | null;
    failed_logins: number | null;
  }): Promise<AccountState> {
    if (r.account_id)
      return memberLockEnd(
        { password_locked_at: r.password_locked_at, failed_logins: r.failed_logins ?? 0 },
        this.d.clock.now(),
      )
        ? 'locked'
        : 'active';
    return (await this.d.repository.hasLiveActivation(this.d.db, r.id, this.d.clock.now().toISOString()))
      ? 'waiting_for_activation'
      : 'not_registered';
  }

  /** The member page: person, plan, coverage, family, account state. The opening is audited. */
  async memberPage(
    id: string,
    staffId: string,
    origin: RequestOrigin,
  ): Promise<{ member: RegistryMemberView; family: RegistryMemberView[] }> {
    const member = await this.d.repository.findMember(this.d.db, id);
    if (!member) throw new AppError('NOT_FOUND');
    const family = await this.d.repository.family(this.d.db, member.holder_cf ?? member.codice_fiscale);
    await this.d.audit.record(this.d.db, origin, {
      event: 'sensitive_read',
      outcome: 'success',
      actorType: 'staff',
      actorId: staffId,
      subjectId: id,
      details: { what: 'registry_member' },
    });
    return {
      member: toMemberView({ ...member, account_state: await this.accountState(member) }),
      family: await Promise.all(
        family
          .filter((f) => f.id !== id)
          .map(async (f) => toMemberView({ ...f, account_state: await this.accountState(f) })),
      ),
    };
  }

  /** Everyone in the member's family unit but the member: for the member's own dashboard. */
  async familyOf(id: string): Promise<Static<typeof FamilyMember>[]> {
    const member = await this.d.repository.findMember(this.d.db, id);
    if (!member) return [];
    return (await this.d.repository.family(this.d.db, member.holder_cf ?? member.codice_fiscale))
      .filter((f) => f.id !== id)
      .map(toFamilyMember);
  }

  async unlock(id: string, staffId: string, origin: RequestOrigin): Promise<void> {
    const member = await this.d.repository.findMember(this.d.db, id);
    if (!member?.account_id) throw new AppError('NOT_FOUND');
    await this.d.repository.unlockAccount(this.d.db, member.account_id);
    await this.d.audit.record(this.d.db, origin, {
      event: 'authn_account_unlock',
      outcome: 'success',
      actorType: 'staff',
      actorId: staffId,
      subjectId: id,
    });
  }

  async endCoverage(
    id: string,
    date: string | undefined,
    staffId: string,
    origin: RequestOrigin,
  ): Promise<void> {
    const member = await this.d.repository.findMember(this.d.db, id);
    if (!member) throw new AppError('NOT_FOUND');
    const end = date ?? italianToday(this.d.clock.now());
    if (!isIsoDate(end) || end < member.coverage_start) {
      throw new AppError('VALIDATION_FAILED', [{ field: 'date', code: 'coverage_end_invalid' }]);
    }
    await this.d.repository.endCoverage(this.d.db, id, end, this.d.clock.now().toISOString());
    await this.d.audit.record(this.d.db, origin, {
      event: 'registry_coverage_end',
      outcome: 'success',
      actorType: 'staff',
      actorId: staffId,
      subjectId: id,
      details: { end },
    });
  }

  resendActivation(id: string, staffId: string, origin: RequestOrigin): Promise<void> {
    return this.d.registration.resendTicket(id, staffId, origin);
  }
}
