import QRCode from 'qrcode';
import type { DetailCode } from '#contracts/details.codes.js';
import { PROFILE_LIMITS } from '#contracts/profile.codes.js';
import type { Db } from '../../db/database.js';
import { AppError, type ErrorDetail } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { verifyPassword } from '../../lib/password-hashing.js';
import { SecretBox } from '../../lib/secret-box.js';
import { hashToken, newToken } from '../../lib/tokens.js';
import {
  looksLikeRecoveryCode,
  newRecoveryCode,
  newTotpSecret,
  normalizeRecoveryCode,
  totpFor,
  totpStep,
} from '../../lib/totp.js';
import type { RequestOrigin } from '../../plugins/request-context.js';
import type { AuditService } from '../audit/index.js';
import type { MemberAccount } from '../members/index.js';
import type { MemberTokenPurpose } from './two-factor.table.js';

/** A refused field: a listed code, no text (the error handler and the web word it). */
export const problem = (field: string, code: DetailCode): ErrorDetail => ({ field, code });

export interface MemberTwoFactorDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  secret: string;
}

/**
 * The members' optional second factor (decision 049): an authenticator app (TOTP, the same code as
 * the staff's, server/lib/totp.ts) with 10 single-use recovery codes; and the one-time tokens of
 * the member's space (the pending login between password and code, the email-change link, the
 * IBAN report link), kept as keyed hashes.
 */
export class MemberTwoFactor {
  private readonly box: SecretBox;

  constructor(private readonly d: MemberTwoFactorDeps) {
    this.box = new SecretBox(d.secret, 'member-totp');
  }

  enabled(account: MemberAccount): boolean {
    return Boolean(account.totp_secret_sealed);
  }

  async recoveryCodesLeft(accountId: string): Promise<number> {
    const row = await this.d.db
      .selectFrom('member_recovery_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * Whether the code is right: a TOTP code of a time step later than the last accepted one (the
   * update is conditional, so two requests with the same code cannot both pass), or an unused
   * recovery code (used up by this call).
   */
  async verify(account: MemberAccount, code: string, allowRecovery = true): Promise<boolean> {
    if (!account.totp_secret_sealed) return false;
    const step = totpStep(
      this.box.open(account.totp_secret_sealed),
      account.username,
      code,
      this.d.clock.now(),
    );
    if (step !== undefined) {
      const r = await this.d.db
        .updateTable('member_accounts')
        .set({ totp_last_step: step })
        .where('id', '=', account.id)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    }
    if (!allowRecovery) return false;
    const normalized = normalizeRecoveryCode(code);
    if (!looksLikeRecoveryCode(normalized)) return false;
    const r = await this.d.db
      .updateTable('member_recovery_codes')
      .set({ used_at: this.d.clock.now().toISOString() })
      .where('account_id', '=', account.id)
      .where('code_hash', '=', hashToken(this.d.secret, `recovery:${normalized}`))
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Enrolment, step 1 (password asked again): a new key, kept sealed until a first code proves it. */
  async start(account: MemberAccount, password: string, origin: RequestOrigin) {
    if (account.totp_secret_sealed) throw new AppError('CONFLICT', [problem('totp', 'totp_already_enabled')]);
    if (!(await verifyPassword(account.password_hash, password))) {
      await this.d.audit.record(this.d.db, origin, {
        event: 'authn_mfa_enrol_fail',
        outcome: 'failure',
        actorType: 'member',
        actorId: account.id,
        details: { reason: 'current_password_wrong' },
      });
      throw new AppError('VALIDATION_FAILED', [problem('password', 'current_password_wrong')]);
    }
    const secret = newTotpSecret();
    await this.d.db
      .updateTable('member_accounts')
      .set({ totp_pending_sealed: this.box.seal(secret) })
      .where('id', '=', account.id)
      .execute();
    const uri = totpFor(secret, account.username).toString();
    const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 1 });
    return { secret, uri, qrSvg };
  }

  /** Enrolment, step 2: the first code turns it on; 10 recovery codes are answered once. */
  async confirm(account: MemberAccount, code: string, origin: RequestOrigin): Promise<string[]> {
    if (account.totp_secret_sealed) throw new AppError('CONFLICT', [problem('totp', 'totp_already_enabled')]);
    if (!account.totp_pending_sealed)
      throw new AppError('VALIDATION_FAILED', [problem('code', 'totp_not_started')]);
    const now = this.d.clock.now();
    const step = totpStep(this.box.open(account.totp_pending_sealed), account.username, code, now);
    if (step === undefined) throw new AppError('VALIDATION_FAILED', [problem('code', 'totp_invalid')]);
    const codes = Array.from({ length: PROFILE_LIMITS.recoveryCodes }, newRecoveryCode);
    await this.d.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('member_accounts')
        .set({
          totp_secret_sealed: account.totp_pending_sealed ?? null,
          totp_pending_sealed: null,
          totp_last_step: step,
          totp_enabled_at: now.toISOString(),
        })
        .where('id', '=', account.id)
        .where('totp_secret_sealed', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1)
        throw new AppError('CONFLICT', [problem('totp', 'totp_already_enabled')]);
      await trx.deleteFrom('member_recovery_codes').where('account_id', '=', account.id).execute();
      await trx
        .insertInto('member_recovery_codes')
        .values(
          codes.map((c) => ({
            id: newId(now.getTime()),
            account_id: account.id,
            code_hash: hashToken(this.d.secret, `recovery:${normalizeRecoveryCode(c)}`),
            used_at: null,
          })),
        )
        .execute();
      await this.d.audit.record(trx, origin, {
        event: 'authn_mfa_enabled',
        outcome: 'success',
        actorType: 'member',
        actorId: account.id,
        subjectId: account.registry_member_id,
      });
    });
    return codes;
  }

  /** Turns two-factor off: only with a current authenticator code (not a recovery code). */
  async disable(account: MemberAccount, code: string, origin: RequestOrigin): Promise<void> {
    if (!account.totp_secret_sealed)
      throw new AppError('VALIDATION_FAILED', [problem('code', 'totp_not_enabled')]);
    if (!(await this.verify(account, code, false))) {
      await this.d.audit.record(this.d.db, origin, {
        event: 'authn_mfa_disable_fail',
        outcome: 'failure',
        actorType: 'member',
        actorId: account.id,
      });
      throw new AppError('VALIDATION_FAILED', [problem('code', 'totp_invalid')]);
    }
    await this.d.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('member_accounts')
        .set({
          totp_secret_sealed: null,
          totp_pending_sealed: null,
          totp_last_step: null,
          totp_enabled_at: null,
        })
        .where('id', '=', account.id)
        .execute();
      await trx.deleteFrom('member_recovery_codes').where('account_id', '=', account.id).execute();
      await this.d.audit.record(trx, origin, {
        event: 'authn_mfa_disabled',
        outcome: 'success',
        actorType: 'member',
        actorId: account.id,
        subjectId: account.registry_member_id,
      });
    });
  }

  // ── one-time tokens ──────────────────────────────────────────────────────────────────────

  /** A new token for a purpose (older live ones of the account and purpose die); answers the token. */
  async issueToken(
    db: Db,
    accountId: string,
    purpose: MemberTokenPurpose,
    ttlMs: number,
    payload: string | null = null,
  ): Promise<string> {
    const now = this.d.clock.now();
    const token = newToken();
    if (purpose !== 'iban_report') {
      await db
        .updateTable('member_tokens')
        .set({ used_at: now.toISOString() })
        .where('account_id', '=', accountId)
        .where('purpose', '=', purpose)
        .where('used_at', 'is', null)
        .execute();
    }
    await db
      .insertInto('member_tokens')
      .values({
        id: newId(now.getTime()),
        purpose,
        token_hash: hashToken(this.d.secret, token),
        account_id: accountId,
        payload,
        expires_at: new Date(now.getTime() + ttlMs).toISOString(),
        used_at: null,
        failed_attempts: 0,
        created_at: now.toISOString(),
      })
      .execute();
    return token;
  }

  /** The live token row (not used, not expired), or undefined. */
  findToken(purpose: MemberTokenPurpose, token: string) {
    return this.d.db
      .selectFrom('member_tokens')
      .selectAll()
      .where('token_hash', '=', hashToken(this.d.secret, token))
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', this.d.clock.now().toISOString())
      .executeTakeFirst();
  }

  /** Uses a token once: false when another request used it first. */
  async consumeToken(db: Db, id: string): Promise<boolean> {
    const r = await db
      .updateTable('member_tokens')
      .set({ used_at: this.d.clock.now().toISOString() })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Counts a wrong code against a pending login; the 5th kills it. */
  async failToken(id: string): Promise<void> {
    await this.d.db
      .updateTable('member_tokens')
      .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
      .where('id', '=', id)
      .execute();
    await this.d.db
      .updateTable('member_tokens')
      .set({ used_at: this.d.clock.now().toISOString() })
      .where('id', '=', id)
      .where('failed_attempts', '>=', 5)
      .execute();
  }

  async purge(before: string): Promise<number> {
    const r = await this.d.db.deleteFrom('member_tokens').where('expires_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
