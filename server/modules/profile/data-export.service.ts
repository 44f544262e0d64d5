import { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { zipSync } from 'fflate';
import type { Locale } from '#contracts/errors.codes.js';
import { type DataExportView, PROFILE_LIMITS } from '#contracts/profile.js';
import type { Db } from '../../db/database.js';
import type { Outbox } from '../../email/outbox.service.js';
import { AppError } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { hashToken, newToken, safeEqual } from '../../lib/tokens.js';
import type { DocumentStore } from '../../plugins/document-store/index.js';
import type { RequestOrigin } from '../../plugins/request-context.js';
import type { AuditService } from '../audit/index.js';
import { problem } from '../auth/index.js';
import type { BookingsApi } from '../bookings/index.js';
import type { ClaimsApi } from '../claims/index.js';
import type { MemberAccount } from '../members/index.js';
import type { ProfileService } from './profile.service.js';
import type { DataExport } from './profile.table.js';

const HOUR = 3_600_000;
/** A worker holds an export this long; a dead instance's export is taken over after it. */
const LEASE_MS = 10 * 60_000;
export const EXPORT_FOLDER = 'exports';
/** The archive's JSON structure version (docs/decisions/050-data-export.md describes it). */
export const EXPORT_FORMAT = 'onecare-member-export/1';

export interface DataExportDeps {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  audit: AuditService;
  documents: DocumentStore;
  claims: ClaimsApi;
  bookings: Pick<BookingsApi, 'forPersons'>;
  profile: ProfileService;
  secret: string;
  log: FastifyBaseLogger;
}

const asLocale = (value: string): Locale => (value === 'en' ? 'en' : 'it');

/** A file name safe inside a ZIP: no folders, no control characters. */
function safeName(name: string): string {
  return name.replace(/[\\/:*?"<>|\p{Cc}]+/gu, '_').slice(0, 120) || 'document';
}

/**
 * "SCARICA I MIEI DATI" (GDPR art. 15 and 20, decision 050): a request makes a row; a worker
 * (this instance at once, or any instance's periodic run) leases it in the database, builds the
 * ZIP (data.json, the documents the member sent, access-log.json) with progress, stores it sealed
 * in the document store, and mails a link valid 24 hours, usable once. The purge deletes the file
 * once the link is used or expired.
 */
export class DataExportService {
  private current: Promise<number> | null = null;

  constructor(private readonly d: DataExportDeps) {}

  private view(row: DataExport): DataExportView {
    const now = this.d.clock.now().toISOString();
    const status = row.used_at
      ? 'downloaded'
      : row.state === 'ready' && row.expires_at && row.expires_at <= now
        ? 'expired'
        : row.state;
    return {
      id: row.id,
      status,
      progress: row.progress,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    };
  }

  async latest(account: MemberAccount): Promise<DataExportView | null> {
    const row = await this.d.db
      .selectFrom('data_exports')
      .selectAll()
      .where('account_id', '=', account.id)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row ? this.view(row) : null;
  }

  async request(account: MemberAccount, origin: RequestOrigin): Promise<DataExportView> {
    const busy = await this.d.db
      .selectFrom('data_exports')
      .select('id')
      .where('account_id', '=', account.id)
      .where('state', 'in', ['queued', 'running'])
      .executeTakeFirst();
    if (busy) throw new AppError('CONFLICT', [problem('export', 'export_running')]);
    const now = this.d.clock.now();
    const row: DataExport = {
      id: newId(now.getTime()),
      account_id: account.id,
      state: 'queued',
      progress: 0,
      lease_until: null,
      object_key: null,
      bytes: null,
      token_hash: null,
      expires_at: null,
      used_at: null,
      created_at: now.toISOString(),
      finished_at: null,
    };
    await this.d.db.insertInto('data_exports').values(row).execute();
    await this.d.audit.record(this.d.db, origin, {
      event: 'data_export_request',
      outcome: 'success',
      actorType: 'member',
      actorId: account.id,
      subjectId: account.registry_member_id,
    });
    setImmediate(() => {
      this.runPending().catch((err) => this.d.log.error({ err }, 'data export failed'));
    });
    return this.view(row);
  }

  /**
   * Works off queued exports (and those whose worker died) until none is left. A call while a run
   * is under way on this instance waits for it, then looks again.
   */
  async runPending(): Promise<number> {
    while (this.current) await this.current.catch(() => 0);
    this.current = this.workOff();
    try {
      return await this.current;
    } finally {
      this.current = null;
    }
  }

  private async workOff(): Promise<number> {
    let done = 0;
    for (;;) {
      const row = await this.lease();
      if (!row) return done;
      await this.build(row);
      done++;
    }
  }

  /** Takes one export: a conditional update, so two instances never build the same one. */
  private async lease(): Promise<DataExport | undefined> {
    const now = this.d.clock.now();
    const nowIso = now.toISOString();
    const candidates = await this.d.db
      .selectFrom('data_exports')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('state', '=', 'queued'),
          eb.and([eb('state', '=', 'running'), eb('lease_until', '<', nowIso)]),
        ]),
      )
      .orderBy('created_at')
      .limit(5)
      .execute();
    for (const c of candidates) {
      const r = await this.d.db
        .updateTable('data_exports')
        .set({ state: 'running', lease_until: new Date(now.getTime() + LEASE_MS).toISOString() })
        .where('id', '=', c.id)
        .where('state', '=', c.state)
        .where((eb) =>
          c.lease_until === null ? eb('lease_until', 'is', null) : eb('lease_until', '=', c.lease_until),
        )
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 1) return c;
    }
    return undefined;
  }

  private async progress(id: string, progress: number): Promise<void> {
    await this.d.db.updateTable('data_exports').set({ progress }).where('id', '=', id).execute();
  }

  private async build(row: DataExport): Promise<void> {
    try {
      const account = await this.d.db
        .selectFrom('member_accounts')
        .selectAll()
        .where('id', '=', row.account_id)
        .executeTakeFirst();
      if (!account) throw new Error('account gone');
      const records = await this.d.claims.memberRecords(account);
      const accessLog = await this.d.profile.accessLog(
        account,
        records.persons.map((p) => p.id),
      );
      const bookings = await this.d.bookings.forPersons(records.persons.map((p) => p.id));
      await this.progress(row.id, 10);
      const files: Record<string, Uint8Array> = {};
      const documentsTotal =
        records.claims.reduce((n, c) => n + c.documents.length, 0) +
        bookings.reduce((n, b) => n + b.documents.length, 0);
      let documentsDone = 0;
      const documentPaths = new Map<string, string>();
      for (const claim of records.claims) {
        for (const doc of claim.documents) {
          const path = `documents/${claim.number ?? claim.id}/${doc.id}-${safeName(doc.fileName)}`;
          const chunks: Buffer[] = [];
          for await (const chunk of await this.d.documents.open(doc.storageKey)) chunks.push(chunk as Buffer);
          files[path] = Buffer.concat(chunks);
          documentPaths.set(doc.id, path);
          documentsDone++;
          await this.progress(row.id, 10 + Math.floor((80 * documentsDone) / Math.max(documentsTotal, 1)));
        }
      }
      for (const booking of bookings) {
        for (const doc of booking.documents) {
          const path = `documents/${booking.number}/${doc.id}-${safeName(doc.fileName)}`;
          const chunks: Buffer[] = [];
          for await (const chunk of await this.d.documents.open(doc.storageKey)) chunks.push(chunk as Buffer);
          files[path] = Buffer.concat(chunks);
          documentPaths.set(doc.id, path);
          documentsDone++;
          await this.progress(row.id, 10 + Math.floor((80 * documentsDone) / Math.max(documentsTotal, 1)));
        }
      }
      const data = {
        format: EXPORT_FORMAT,
        generatedAt: this.d.clock.now().toISOString(),
        account: {
          username: account.username,
          email: account.email,
          phone: account.phone ?? null,
          language: account.locale,
          createdAt: account.created_at,
          passwordChangedAt: account.password_changed_at,
          iban: account.iban ?? null,
          ibanHolder: account.iban_holder ?? null,
          ibanChangedAt: account.iban_changed_at ?? null,
          twoFactorEnabled: Boolean(account.totp_secret_sealed),
        },
        persons: records.persons.map((p) => ({
          id: p.id,
          givenName: p.givenName,
          surname: p.surname,
          codiceFiscale: p.codiceFiscale,
          birthDate: p.birthDate,
          role: p.role,
          coverageStart: p.coverageStart,
          coverageEnd: p.coverageEnd,
        })),
        claims: records.claims.map((c) => ({
          id: c.id,
          number: c.number,
          beneficiaryId: c.beneficiaryId,
          category: c.category,
          state: c.state,
          submittedAt: c.submittedAt,
          decidedAt: c.decidedAt,
          iban: c.iban,
          accountHolder: c.accountHolder,
          claimedCents: c.claimedCents,
          acceptedCents: c.acceptedCents,
          paidCents: c.paidCents,
          paidOn: c.paidOn,
          invoices: c.invoices,
          documents: c.documents.map(({ storageKey: _key, ...d }) => ({
            ...d,
            path: documentPaths.get(d.id),
          })),
          timeline: c.events,
        })),
        bookings: bookings.map(({ documents, ...b }) => ({
          ...b,
          documents: documents.map(({ storageKey: _key, ...d }) => ({ ...d, path: documentPaths.get(d.id) })),
        })),
      };
      files['data.json'] = Buffer.from(`${JSON.stringify(data, null, 2)}\n`);
      files['access-log.json'] = Buffer.from(`${JSON.stringify({ entries: accessLog }, null, 2)}\n`);
      const zip = zipSync(files, { level: 6, mtime: new Date(row.created_at) });
      const stored = await this.d.documents.save(Readable.from([Buffer.from(zip)]), {
        folder: EXPORT_FOLDER,
        maxBytes: 2 ** 31,
        bytes: zip.length,
      });
      const token = newToken();
      const now = this.d.clock.now();
      await this.d.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('data_exports')
          .set({
            state: 'ready',
            progress: 100,
            object_key: stored.key,
            bytes: stored.bytes,
            token_hash: hashToken(this.d.secret, token),
            expires_at: new Date(now.getTime() + PROFILE_LIMITS.exportTtlHours * HOUR).toISOString(),
            finished_at: now.toISOString(),
            lease_until: null,
          })
          .where('id', '=', row.id)
          .execute();
        await this.d.outbox.enqueue(trx, {
          to: account.email,
          template: 'data-export-ready',
          locale: asLocale(account.locale),
          data: { token, exportId: row.id },
        });
      });
    } catch (err) {
      this.d.log.error({ err, exportId: row.id }, 'data export failed');
      await this.d.db
        .updateTable('data_exports')
        .set({ state: 'failed', lease_until: null, finished_at: this.d.clock.now().toISOString() })
        .where('id', '=', row.id)
        .execute();
    }
  }

  /** The ZIP for the emailed link: once, within 24 hours; LINK_INVALID otherwise. */
  async download(
    id: string,
    token: string,
    origin: RequestOrigin,
  ): Promise<{ stream: Readable; bytes: number }> {
    const row = await this.d.db
      .selectFrom('data_exports')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    const now = this.d.clock.now().toISOString();
    if (
      row?.state !== 'ready' ||
      row.used_at ||
      !row.object_key ||
      !row.token_hash ||
      !row.expires_at ||
      row.expires_at <= now ||
      !safeEqual(row.token_hash, hashToken(this.d.secret, token))
    )
      throw new AppError('LINK_INVALID');
    const r = await this.d.db
      .updateTable('data_exports')
      .set({ used_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('LINK_INVALID');
    await this.d.audit.record(this.d.db, origin, {
      event: 'data_export_download',
      outcome: 'success',
      actorType: 'member',
      actorId: row.account_id,
    });
    return { stream: await this.d.documents.open(row.object_key), bytes: row.bytes ?? 0 };
  }

  /**
   * Deletes the files of exports used or expired (the rows stay, without a file, as the record of
   * the request); marks them expired. Run by the purge job.
   */
  async purge(now: Date): Promise<number> {
    const nowIso = now.toISOString();
    const rows = await this.d.db
      .selectFrom('data_exports')
      .select(['id', 'object_key'])
      .where('object_key', 'is not', null)
      .where((eb) => eb.or([eb('expires_at', '<=', nowIso), eb('used_at', 'is not', null)]))
      .execute();
    for (const r of rows) {
      if (r.object_key) await this.d.documents.remove(r.object_key).catch(() => {});
      await this.d.db
        .updateTable('data_exports')
        .set({ object_key: null, state: 'expired' })
        .where('id', '=', r.id)
        .execute();
    }
    return rows.length;
  }
}
