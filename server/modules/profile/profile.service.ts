import { electronicFormatIBAN, isSEPACountry, isValidIBAN } from 'ibantools';
import { isEmailAddress } from '#contracts/email.codes.js';
import type { Locale } from '#contracts/errors.codes.js';
import {
  type AccessLogEntry,
  type AccessLogWhat,
  PROFILE_LIMITS,
  type ProfileView,
  type SessionView,
} from '#contracts/profile.js';
import { STAFF_ROLES, type StaffRole } from '#contracts/staff.codes.js';
import type { Db } from '../../db/database.js';
import type { Outbox } from '../../email/outbox.service.js';
import { AppError } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { verifyPassword } from '../../lib/password-hashing.js';
import { normalizeEmail } from '../../lib/text.js';
import type { RequestOrigin } from '../../plugins/request-context.js';
import type { AuditService } from '../audit/index.js';
import { type MemberPrincipal, type MemberTwoFactor, problem, type SessionsService } from '../auth/index.js';
import type { MemberAccount } from '../members/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface ProfileDeps {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  audit: AuditService;
  sessions: SessionsService;
  twoFactor: MemberTwoFactor;
}

const asLocale = (value: string): Locale => (value === 'en' ? 'en' : 'it');

/** `IT60X0542811101000000123456` → `…3456`: what emails and logs may show of an IBAN. */
export const ibanEnd = (iban: string) => iban.slice(-4);

/** "Firefox su Windows": the browser and the system, from a User-Agent (nothing more precise). */
export function deviceOf(userAgent: string | null): string {
  if (!userAgent) return '?';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'Browser';
  const system = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : '';
  return system ? `${browser} · ${system}` : browser;
}

/** What an audit event about the member says a staff user opened. */
function whatOf(event: string, details: string | null): AccessLogWhat {
  if (event === 'claim_document_viewed') return 'document';
  const what = details ? (JSON.parse(details) as { what?: string }).what : undefined;
  if (what === 'claim') return 'claim';
  if (what === 'booking' || what === 'booking_document') return 'booking';
  if (what === 'registry_member' || what === 'fhir_everything') return 'member';
  if (what === 'registration_requests') return 'registration';
  if (what === 'payment_batch' || what === 'settlement_letter') return 'payment';
  return 'other';
}

/**
 * The member's own space (decisions 048, 049, 050): contacts and language, the email change
 * confirmed from the new address, the IBAN change behind a second proof with its notice and
 * report link, the sessions, and the access log of staff reads.
 */
export class ProfileService {
  constructor(private readonly d: ProfileDeps) {}

  async view(account: MemberAccount): Promise<ProfileView> {
    const pending = await this.d.db
      .selectFrom('member_tokens')
      .select('payload')
      .where('account_id', '=', account.id)
      .where('purpose', '=', 'email_change')
      .where('used_at', 'is', null)
      .where('expires_at', '>', this.d.clock.now().toISOString())
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    return {
      username: account.username,
      email: account.email,
      pendingEmail: pending?.payload ?? null,
      phone: account.phone ?? null,
      locale: asLocale(account.locale),
      iban: account.iban ?? null,
      ibanHolder: account.iban_holder ?? null,
      ibanChangedAt: account.iban_changed_at ?? null,
      ibanFrozen: Boolean(account.iban_frozen_at),
      twoFactor: {
        enabled: this.d.twoFactor.enabled(account),
        recoveryCodesLeft: await this.d.twoFactor.recoveryCodesLeft(account.id),
      },
    };
  }

  async updateContacts(
    account: MemberAccount,
    input: { phone: string | null; locale: Locale },
    origin: RequestOrigin,
  ): Promise<void> {
    const phone = input.phone?.replace(/\s+/g, ' ').trim() || null;
    if (phone && phone.replace(/\D/g, '').length < 6)
      throw new AppError('VALIDATION_FAILED', [problem('phone', 'phone_invalid')]);
    await this.d.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('member_accounts')
        .set({ phone, locale: input.locale })
        .where('id', '=', account.id)
        .execute();
      await this.d.audit.record(trx, origin, {
        event: 'profile_contacts_change',
        outcome: 'success',
        actorType: 'member',
        actorId: account.id,
        subjectId: account.registry_member_id,
        details: { phone: phone !== (account.phone ?? null), locale: input.locale },
      });
    });
  }

  /**
   * An email change: a link to the new address (24 h, once; a new request kills the old link), a
   * notice to the current one. Nothing changes until the link is opened. The same answer whether
   * or not another account uses the new address (no enumeration).
   */
  async requestEmailChange(account: MemberAccount, email: string, origin: RequestOrigin): Promise<void> {
    const normalized = normalizeEmail(email);
    if (!isEmailAddress(normalized))
      throw new AppError('VALIDATION_FAILED', [problem('email', 'email_invalid')]);
    if (normalized === normalizeEmail(account.email))
      throw new AppError('VALIDATION_FAILED', [problem('email', 'email_same')]);
    await this.d.db.transaction().execute(async (trx) => {
      const token = await this.d.twoFactor.issueToken(
        trx,
        account.id,
        'email_change',
        PROFILE_LIMITS.emailChangeTtlHours * HOUR,
        normalized,
      );
      await this.d.outbox.enqueue(trx, {
        to: normalized,
        template: 'email-change-confirm',
        locale: asLocale(account.locale),
        data: { token },
      });
      await this.d.outbox.enqueue(trx, {
        to: account.email,
        template: 'email-change-notice',
        locale: asLocale(account.locale),
        data: { stage: 'requested' },
      });
      await this.d.audit.record(trx, origin, {
        event: 'profile_email_change_request',
        outcome: 'success',
        actorType: 'member',
        actorId: account.id,
        subjectId: account.registry_member_id,
      });
    });
  }

  /** The link from the new address: the address changes, the old one is told. Once only. */
  async confirmEmailChange(token: string, origin: RequestOrigin): Promise<void> {
    const row = await this.d.twoFactor.findToken('email_change', token);
    if (!row?.payload) throw new AppError('LINK_INVALID');
    const account = await this.d.db
      .selectFrom('member_accounts')
      .selectAll()
      .where('id', '=', row.account_id)
      .executeTakeFirst();
    if (!account) throw new AppError('LINK_INVALID');
    const newEmail = row.payload;
    await this.d.db.transaction().execute(async (trx) => {
      if (!(await this.d.twoFactor.consumeToken(trx, row.id))) throw new AppError('LINK_INVALID');
      await trx
        .updateTable('member_accounts')
        .set({ email: newEmail })
        .where('id', '=', account.id)
        .execute();
      await this.d.outbox.enqueue(trx, {
        to: account.email,
        template: 'email-change-notice',
        locale: asLocale(account.locale),
        data: { stage: 'done' },
      });
      await this.d.audit.record(trx, origin, {
        event: 'profile_email_change',
        outcome: 'success',
        actorType: 'member',
        actorId: account.id,
        subjectId: account.registry_member_id,
      });
    });
  }

  /** The second proof of a sensitive change: the authenticator code when enabled, else the password. */
  private async reauthenticate(
    account: MemberAccount,
    input: { password?: string | undefined; code?: string | undefined },
    origin: RequestOrigin,
    what: string,
  ): Promise<void> {
    const twoFactor = this.d.twoFactor.enabled(account);
    const ok = twoFactor
      ? Boolean(input.code) && (await this.d.twoFactor.verify(account, input.code ?? '', false))
      : Boolean(input.password) && (await verifyPassword(account.password_hash, input.password ?? ''));
    if (ok) return;
    await this.d.audit.record(this.d.db, origin, {
      event: 'profile_reauth_fail',
      outcome: 'failure',
      actorType: 'member',
      actorId: account.id,
      subjectId: account.registry_member_id,
      details: { what },
    });
    throw new AppError(
      'VALIDATION_FAILED',
      twoFactor ? [problem('code', 'totp_invalid')] : [problem('password', 'current_password_wrong')],
    );
  }

  /**
   * The IBAN change (decision 048): the password (or the authenticator code) again; the account's
   * address is told at once with a link to report it; the new IBAN is the prefill of the claims
   * sent from now on (those sent keep the IBAN stored with them). Refused while a reported change
   * is being checked.
   */
  async changeIban(
    principal: MemberPrincipal,
    input: { iban: string; holder: string; password?: string | undefined; code?: string | undefined },
    origin: RequestOrigin,
  ): Promise<void> {
    const { account } = principal;
    if (account.iban_frozen_at) throw new AppError('CONFLICT', [problem('iban', 'iban_frozen')]);
    const iban = electronicFormatIBAN(input.iban) ?? '';
    const holder = input.holder.replace(/\s+/g, ' ').trim();
    const problems = [];
    if (!isValidIBAN(iban)) problems.push(problem('iban', 'iban_invalid'));
    else if (!isSEPACountry(iban.slice(0, 2))) problems.push(problem('iban', 'iban_not_sepa'));
    else if (iban === account.iban && holder === account.iban_holder)
      problems.push(problem('iban', 'iban_same'));
    if (holder.length < 2) problems.push(problem('holder', 'holder_invalid'));
    if (problems.length > 0) throw new AppError('VALIDATION_FAILED', problems);
    await this.reauthenticate(account, input, origin, 'iban');
    const now = this.d.clock.now().toISOString();
    await this.d.db.transaction().execute(async (trx) => {
      const changeId = newId(this.d.clock.now().getTime());
      await trx
        .updateTable('member_accounts')
        .set({ iban, iban_holder: holder, iban_changed_at: now })
        .where('id', '=', account.id)
        .execute();
      await trx
        .insertInto('member_iban_changes')
        .values({
          id: changeId,
          account_id: account.id,
          old_iban: account.iban ?? null,
          new_iban: iban,
          holder,
          changed_at: now,
          reported_at: null,
        })
        .execute();
      const token = await this.d.twoFactor.issueToken(
        trx,
        account.id,
        'iban_report',
        PROFILE_LIMITS.ibanReportTtlDays * DAY,
        changeId,
      );
      await this.d.outbox.enqueue(trx, {
        to: account.email,
        template: 'iban-changed',
        locale: asLocale(account.locale),
        data: { ibanEnd: ibanEnd(iban), token },
      });
      await this.d.audit.record(trx, origin, {
        event: 'profile_iban_change',
        outcome: 'success',
        actorType: 'member',
        actorId: account.id,
        subjectId: account.registry_member_id,
        details: { change: changeId, ibanEnd: ibanEnd(iban) },
      });
    });
  }

  /**
   * "Non sono stato io": the change is marked reported and the account's IBAN frozen (no prefill,
   * no further change) until support clears it; the member's sessions end, since whoever changed
   * it may hold one.
   */
  async reportIbanChange(token: string, origin: RequestOrigin): Promise<void> {
    const row = await this.d.twoFactor.findToken('iban_report', token);
    if (!row?.payload) throw new AppError('LINK_INVALID');
    const now = this.d.clock.now().toISOString();
    const changeId = row.payload;
    await this.d.db.transaction().execute(async (trx) => {
      if (!(await this.d.twoFactor.consumeToken(trx, row.id))) throw new AppError('LINK_INVALID');
      await trx
        .updateTable('member_iban_changes')
        .set({ reported_at: now })
        .where('id', '=', changeId)
        .execute();
      await trx
        .updateTable('member_accounts')
        .set({ iban_frozen_at: now })
        .where('id', '=', row.account_id)
        .execute();
      await this.d.audit.record(trx, origin, {
        event: 'profile_iban_change_reported',
        outcome: 'success',
        actorType: 'member',
        actorId: row.account_id,
        details: { change: changeId },
      });
    });
    await this.d.sessions.endAll('member', row.account_id);
  }

  async sessions(principal: MemberPrincipal): Promise<SessionView[]> {
    const rows = await this.d.sessions.list('member', principal.account.id, principal.token);
    return rows.map((r) => ({
      id: r.id,
      device: deviceOf(r.userAgent),
      createdAt: r.createdAt,
      lastSeenAt: r.lastSeenAt,
      current: r.current,
    }));
  }

  async endSession(principal: MemberPrincipal, id: string, origin: RequestOrigin): Promise<void> {
    if (!(await this.d.sessions.endById('member', principal.account.id, id))) throw new AppError('NOT_FOUND');
    await this.d.audit.record(this.d.db, origin, {
      event: 'authn_session_terminated',
      outcome: 'success',
      actorType: 'member',
      actorId: principal.account.id,
      details: { reason: 'member_signed_out_device' },
    });
  }

  async endOtherSessions(principal: MemberPrincipal, origin: RequestOrigin): Promise<number> {
    const ended = await this.d.sessions.endAll('member', principal.account.id, principal.token);
    await this.d.audit.record(this.d.db, origin, {
      event: 'authn_session_terminated',
      outcome: 'success',
      actorType: 'member',
      actorId: principal.account.id,
      details: { reason: 'member_signed_out_others', ended },
    });
    return ended;
  }

  /**
   * Every read of the member's data by a staff user (audit `sensitive_read` and document views
   * about the persons the member sees, or about the account), newest first: role, when, what.
   */
  async accessLog(account: MemberAccount, personIds: string[]): Promise<AccessLogEntry[]> {
    const subjects = [...new Set([...personIds, account.registry_member_id, account.id])];
    const rows = await this.d.db
      .selectFrom('audit_events as e')
      .leftJoin('staff_users as s', 's.id', 'e.actor_id')
      .select(['e.id', 'e.occurred_at', 'e.event', 'e.details', 's.role'])
      .where('e.actor_type', '=', 'staff')
      .where('e.event', 'in', ['sensitive_read', 'claim_document_viewed'])
      .where('e.subject_id', 'in', subjects)
      .orderBy('e.occurred_at', 'desc')
      .limit(500)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      at: r.occurred_at,
      role: r.role && (STAFF_ROLES as readonly string[]).includes(r.role) ? (r.role as StaffRole) : null,
      what: whatOf(r.event, r.details),
      event: r.event,
    }));
  }
}
