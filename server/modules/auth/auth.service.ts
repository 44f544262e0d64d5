import type { SessionInfo } from '#contracts/auth.js';
import type { Locale } from '#contracts/errors.js';
import { PROFILE_LIMITS } from '#contracts/profile.codes.js';
import type { Db } from '../../db/database.js';
import type { Outbox } from '../../email/outbox.service.js';
import { AppError, type ErrorDetail } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from '../../lib/password-hashing.js';
import { normalizeEmail } from '../../lib/text.js';
import { noSoonerThan } from '../../lib/timing.js';
import type { RequestOrigin } from '../../plugins/request-context.js';
import type { AuditService } from '../audit/index.js';
import type { CaptchaService } from '../captcha/index.js';
import {
  fieldError,
  MAX_FAILED_ATTEMPTS,
  type MemberAccount,
  type MembersRepository,
  matchesHash,
  newLinkToken,
  normalizeCf,
  parseLinkToken,
  verificationHash,
} from '../members/index.js';
import { failureNotice, lockDurationMs, lockEnd } from './account-lock.js';
import { CAPTCHA_AFTER_FAILURES, type LoginThrottle } from './login-throttle.js';
import {
  checkPassword,
  type PasswordContext,
  type PasswordHint,
  passwordProblem,
} from './password-policy.js';
import { SESSION_POLICY, type Session, type SessionsService } from './sessions.service.js';
import type { MemberTwoFactor } from './two-factor.js';

const MINUTE = 60_000;
/** Every 100th consecutive failure locks the account's password for a while (decision 026). */
export const LOCK_AFTER_FAILURES = 100;
export const RESET_LINK_TTL_MS = 60 * MINUTE;
/**
 * Password and username recovery answer this long after the request reached them, whatever they
 * found: writing a link and its email costs ~2 ms more than writing nothing, and that difference
 * told who has an account with which address (decision 026). Far above the work's cost.
 */
export const RECOVERY_ANSWER_MS = 250;

/** The end of the lock on a member's password, or undefined when it is not locked now. */
export function memberLockEnd(
  account: Pick<MemberAccount, 'password_locked_at' | 'failed_logins'>,
  now: Date,
): Date | undefined {
  return lockEnd(account.password_locked_at, account.failed_logins, LOCK_AFTER_FAILURES, now);
}

export interface AuthDeps {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  audit: AuditService;
  captcha: CaptchaService;
  throttle: LoginThrottle;
  sessions: SessionsService;
  repository: MembersRepository;
  twoFactor: MemberTwoFactor;
  secret: string;
}

export interface MemberPrincipal {
  account: MemberAccount;
  session: Session;
  token: string;
}

function sessionInfo(session: Session, mustChangePassword: boolean): SessionInfo {
  return {
    mustChangePassword,
    idleExpiresAt: session.idleExpiresAt.toISOString(),
    absoluteExpiresAt: session.absoluteExpiresAt.toISOString(),
    idleTimeoutSeconds: SESSION_POLICY[session.subjectType].idleMs / 1000,
  };
}

/** Login, sessions, password change and recovery for members. */
export class AuthService {
  constructor(private readonly d: AuthDeps) {}

  /**
   * Every failure answers INVALID_CREDENTIALS; an unknown username costs one Argon2 verification
   * like a known one. Counters per username and per address bring the captcha and a delay after
   * 5 failures; every 100th consecutive failure on an account locks its password for a while
   * (15 minutes, then longer), and the member is emailed (decision 026).
   */
  async login(
    input: { username: string; password: string; altcha?: string | undefined },
    origin: RequestOrigin,
    previousToken?: string,
  ): Promise<{ token: string; info: SessionInfo } | { pendingToken: string }> {
    const username = input.username.trim().toLowerCase();
    const keys = this.d.throttle.keys('member', username, origin.ip);
    await this.d.throttle.check(keys, input.altcha);
    const now = this.d.clock.now();

    const account = username ? await this.d.repository.findAccountByUsername(this.d.db, username) : undefined;
    const passwordOk = await verifyPassword(account?.password_hash ?? (await dummyHash()), input.password);
    const nowIso = now.toISOString();
    let reason: string | undefined;
    if (!account) reason = 'unknown_user';
    else if (memberLockEnd(account, now)) reason = 'locked';
    else if (!passwordOk) reason = 'bad_password';
    else if (
      account.must_change_password &&
      account.temp_password_expires_at &&
      account.temp_password_expires_at <= nowIso
    ) {
      reason = 'temporary_password_expired';
    }

    if (reason || !account) {
      await this.d.throttle.fail(keys);
      if (account && reason === 'bad_password') await this.countFailure(account, origin);
      await this.d.audit.record(this.d.db, origin, {
        event: 'authn_login_fail',
        outcome: 'failure',
        actorType: account ? 'member' : 'anonymous',
        actorId: account?.id ?? null,
        subjectId: account?.registry_member_id ?? null,
        details: { reason: reason ?? 'unknown_user' },
      });
      throw new AppError('INVALID_CREDENTIALS');
    }

    await this.d.throttle.succeed(keys);
    const changes: Partial<MemberAccount> = {};
    if (account.failed_logins > 0) changes.failed_logins = 0;
    if (account.password_locked_at) changes.password_locked_at = null;
    if (needsRehash(account.password_hash)) changes.password_hash = await hashPassword(input.password);
    // A temporary password works once: this session may change it, a second login with it may not.
    if (account.must_change_password === 1) changes.temp_password_expires_at = nowIso;
    if (Object.keys(changes).length > 0)
      await this.d.repository.updateAccount(this.d.db, account.id, changes);
    // With two-factor on, the password only opens the second step (decision 049): a short-lived
    // pending token, no session yet.
    if (this.d.twoFactor.enabled(account)) {
      const pendingToken = await this.d.twoFactor.issueToken(
        this.d.db,
        account.id,
        'login_pending',
        PROFILE_LIMITS.loginPendingMinutes * MINUTE,
      );
      await this.d.audit.record(this.d.db, origin, {
        event: 'authn_login_second_step',
        outcome: 'success',
        actorType: 'member',
        actorId: account.id,
        subjectId: account.registry_member_id,
      });
      return { pendingToken };
    }
    return this.openSession(account, origin, previousToken, 'password_hash' in changes);
  }

  /**
   * The login's second step: the pending token and an authenticator code (or a recovery code).
   * Each wrong code counts like a failed login; the 5th kills the pending token.
   */
  async loginSecondStep(
    input: { pendingToken: string; code: string },
    origin: RequestOrigin,
    previousToken?: string,
  ): Promise<{ token: string; info: SessionInfo }> {
    const row = await this.d.twoFactor.findToken('login_pending', input.pendingToken);
    const account = row ? await this.d.repository.findAccountById(this.d.db, row.account_id) : undefined;
    if (!row || !account) throw new AppError('LINK_INVALID');
    const keys = this.d.throttle.keys('member', account.username, origin.ip);
    if (!(await this.d.twoFactor.verify(account, input.code))) {
      await this.d.throttle.fail(keys);
      await this.d.twoFactor.failToken(row.id);
      await this.d.audit.record(this.d.db, origin, {
        event: 'authn_login_fail',
        outcome: 'failure',
        actorType: 'member',
        actorId: account.id,
        subjectId: account.registry_member_id,
        details: { reason: 'totp_invalid' },
      });
      throw new AppError('VALIDATION_FAILED', [fieldError('code', 'totp_invalid')]);
    }
    if (!(await this.d.twoFactor.consumeToken(this.d.db, row.id))) throw new AppError('LINK_INVALID');
    return this.openSession(account, origin, previousToken, false);
  }

  private async openSession(
    account: MemberAccount,
    origin: RequestOrigin,
    previousToken: string | undefined,
    rehashed: boolean,
  ): Promise<{ token: string; info: SessionInfo }> {
    if (previousToken) await this.d.sessions.end(previousToken);
    const { token, session } = await this.d.sessions.create(
      'member',
      account.id,
      origin.userAgent ?? undefined,
    );
    await this.d.audit.record(this.d.db, origin, {
      event: 'authn_login_success',
      outcome: 'success',
      actorType: 'member',
      actorId: account.id,
      subjectId: account.registry_member_id,
      details: {
        mustChangePassword: account.must_change_password === 1,
        rehashed,
        twoFactor: this.d.twoFactor.enabled(account),
      },
    });
    return { token, info: sessionInfo(session, account.must_change_password === 1) };
  }

  /**
   * Counts a wrong password against the account, in one transaction with what it causes: at the
   * 5th consecutive failure an email to the member; at every 100th a lock (15 minutes, doubling
   * each time, at most a day), its email and its audit event. Once per burst, never per failure.
   */
  private async countFailure(account: MemberAccount, origin: RequestOrigin): Promise<void> {
    const now = this.d.clock.now();
    await this.d.db.transaction().execute(async (trx) => {
      const failures = await this.d.repository.addFailedLogin(trx, account.id);
      const notice = failureNotice(failures, LOCK_AFTER_FAILURES);
      if (!notice) return;
      let lockMinutes: number | null = null;
      if (notice === 'lock') {
        lockMinutes = lockDurationMs(failures / LOCK_AFTER_FAILURES) / MINUTE;
        await this.d.repository.updateAccount(trx, account.id, { password_locked_at: now.toISOString() });
        await this.d.audit.record(trx, origin, {
          event: 'authn_login_lock',
          outcome: 'failure',
          actorType: 'member',
          actorId: account.id,
          subjectId: account.registry_member_id,
          details: { failures, lockMinutes },
        });
      }
      await this.d.outbox.enqueue(trx, {
        to: account.email,
        template: 'login-failures',
        locale: asLocale(account.locale),
        data: { failures, lockMinutes },
      });
    });
  }

  /** The member behind a session token, or undefined. `touch` false reads without extending it. */
  async principal(token: string | undefined, touch = true): Promise<MemberPrincipal | undefined> {
    if (!token) return undefined;
    const session = touch
      ? await this.d.sessions.resume(token, 'member')
      : await this.d.sessions.peek(token, 'member');
    if (!session) return undefined;
    const account = await this.d.repository.findAccountById(this.d.db, session.subjectId);
    if (!account) return undefined;
    return { account, session, token };
  }

  currentInfo(principal: MemberPrincipal): SessionInfo {
    return sessionInfo(principal.session, principal.account.must_change_password === 1);
  }

  async extend(principal: MemberPrincipal): Promise<SessionInfo> {
    const session = (await this.d.sessions.extend(principal.token)) ?? principal.session;
    return sessionInfo(session, principal.account.must_change_password === 1);
  }

  async logout(principal: MemberPrincipal, origin: RequestOrigin): Promise<void> {
    await this.d.sessions.end(principal.token);
    await this.d.audit.record(this.d.db, origin, {
      event: 'authn_logout',
      outcome: 'success',
      actorType: 'member',
      actorId: principal.account.id,
    });
  }

  private async passwordContext(account: MemberAccount): Promise<PasswordContext> {
    const member = await this.d.repository.findRegistryMemberWithPlan(this.d.db, account.registry_member_id);
    return {
      username: account.username,
      names: member ? [member.given_name, member.surname] : [],
      ...(member ? { codiceFiscale: member.codice_fiscale, birthDate: member.birth_date } : {}),
    };
  }

  private async checkNewPassword(
    account: MemberAccount,
    password: string,
    confirmation: string,
  ): Promise<void> {
    const result = checkPassword(password, await this.passwordContext(account));
    const details: ErrorDetail[] = result.problems.map((p) => passwordProblem('newPassword', p));
    if (password !== confirmation) details.push(fieldError('newPasswordConfirmation', 'password_mismatch'));
    if (details.length > 0) throw new AppError('VALIDATION_FAILED', details);
  }

  /**
   * A strength hint and the reasons a password would be refused, for the member typing it: the
   * member of the session, else of a live reset link, else nobody's personal data is checked.
   */
  async checkCandidate(
    input: { password: string; resetToken?: string | undefined },
    sessionToken: string | undefined,
  ): Promise<PasswordHint> {
    let account = (await this.principal(sessionToken, false))?.account;
    if (!account && input.resetToken) {
      account = await this.resetTarget(input.resetToken).then(
        (target) => target.account,
        () => undefined,
      );
    }
    return this.passwordHint(input.password, account);
  }

  private async passwordHint(password: string, account?: MemberAccount): Promise<PasswordHint> {
    const result = checkPassword(password, account ? await this.passwordContext(account) : {});
    return {
      acceptable: result.acceptable,
      score: result.score,
      problems: result.problems.map((p) => {
        const { code, params } = passwordProblem('password', p);
        return params ? { code, params } : { code };
      }),
    };
  }

  /**
   * Changes the password of a logged-in member. At the first login (temporary password) the
   * current password is not asked again. The session is rotated; every other session ends.
   * A wrong current password counts like a failed login (both throttle counters and the
   * account's); once the account's throttle counter reaches 5 the session ends (UNAUTHENTICATED),
   * so a borrowed or stolen session cannot be used to guess the password.
   */
  async changePassword(
    principal: MemberPrincipal,
    input: { currentPassword?: string | undefined; newPassword: string; newPasswordConfirmation: string },
    origin: RequestOrigin,
  ): Promise<{ token: string; info: SessionInfo }> {
    const { account } = principal;
    if (account.must_change_password !== 1) {
      if (!input.currentPassword || !(await verifyPassword(account.password_hash, input.currentPassword))) {
        await this.d.audit.record(this.d.db, origin, {
          event: 'authn_password_change_fail',
          outcome: 'failure',
          actorType: 'member',
          actorId: account.id,
          details: { reason: input.currentPassword ? 'current_password_wrong' : 'current_password_missing' },
        });
        if (input.currentPassword) await this.currentPasswordWrong(principal, origin);
        throw new AppError('VALIDATION_FAILED', [fieldError('currentPassword', 'current_password_wrong')]);
      }
    }
    await this.checkNewPassword(account, input.newPassword, input.newPasswordConfirmation);
    if (await verifyPassword(account.password_hash, input.newPassword)) {
      throw new AppError('VALIDATION_FAILED', [fieldError('newPassword', 'same_as_current')]);
    }
    await this.d.db.transaction().execute((trx) =>
      this.storeNewPassword(trx, account, input.newPassword, origin, {
        firstLogin: account.must_change_password === 1,
      }),
    );
    await this.d.sessions.endAll('member', account.id, principal.token);
    const rotated = await this.d.sessions.rotate(principal.token);
    if (!rotated) throw new AppError('UNAUTHENTICATED');
    return { token: rotated.token, info: sessionInfo(rotated.session, false) };
  }

  /** Counts a wrong current password; ends the session (and says so) once the account's counter is at 5. */
  private async currentPasswordWrong(principal: MemberPrincipal, origin: RequestOrigin): Promise<void> {
    const { account } = principal;
    const keys = this.d.throttle.keys('member', account.username, origin.ip);
    await this.d.throttle.fail(keys);
    await this.countFailure(account, origin);
    if ((await this.d.throttle.accountFailures(keys)) < CAPTCHA_AFTER_FAILURES) return;
    await this.d.sessions.end(principal.token);
    await this.d.audit.record(this.d.db, origin, {
      event: 'authn_session_terminated',
      outcome: 'failure',
      actorType: 'member',
      actorId: account.id,
      subjectId: account.registry_member_id,
      details: { reason: 'password_change_failures' },
    });
    throw new AppError('UNAUTHENTICATED');
  }

  /**
   * Stores a new password (unlocking the account and clearing its failure counters), mails the
   * "password changed" notice and records the change, in the caller's transaction.
   */
  private async storeNewPassword(
    trx: Db,
    account: MemberAccount,
    password: string,
    origin: RequestOrigin,
    details: Record<string, string | boolean>,
  ): Promise<void> {
    await this.d.repository.updateAccount(trx, account.id, {
      password_hash: await hashPassword(password),
      must_change_password: 0,
      temp_password_expires_at: null,
      password_changed_at: this.d.clock.now().toISOString(),
      failed_logins: 0,
      password_locked_at: null,
    });
    await this.d.repository.clearThrottles(trx, [
      this.d.throttle.keys('member', account.username, null).account,
    ]);
    await this.d.outbox.enqueue(trx, {
      to: account.email,
      template: 'password-changed',
      locale: asLocale(account.locale),
      data: {},
    });
    await this.d.audit.record(trx, origin, {
      event: 'authn_password_change',
      outcome: 'success',
      actorType: 'member',
      actorId: account.id,
      details,
    });
  }

  /** The recovery forms' captcha: refused at once, shown beside the widget. */
  private async verifyCaptcha(payload: string): Promise<void> {
    const result = await this.d.captcha.verify(payload);
    if (result !== 'ok') {
      throw new AppError('VALIDATION_FAILED', [
        fieldError('altcha', result === 'missing' ? 'captcha_missing' : 'captcha_invalid'),
      ]);
    }
  }

  /**
   * After the captcha, always the same answer, after the same time; a link goes out only when the
   * username and the email belong together.
   */
  async requestPasswordReset(
    input: { email: string; username: string; altcha: string },
    origin: RequestOrigin,
  ): Promise<void> {
    await this.verifyCaptcha(input.altcha);
    return noSoonerThan(RECOVERY_ANSWER_MS, () => this.sendResetLink(input, origin));
  }

  private async sendResetLink(
    input: { email: string; username: string },
    origin: RequestOrigin,
  ): Promise<void> {
    const username = input.username.trim().toLowerCase();
    const email = normalizeEmail(input.email);
    const account = username ? await this.d.repository.findAccountByUsername(this.d.db, username) : undefined;
    if (!account || normalizeEmail(account.email) !== email) {
      await this.d.audit.record(this.d.db, origin, {
        event: 'authn_password_reset_request',
        outcome: 'failure',
        actorType: 'anonymous',
        details: { reason: account ? 'email_mismatch' : 'unknown_user' },
      });
      return;
    }
    const now = this.d.clock.now();
    const { token, lookup, secret } = newLinkToken();
    await this.d.db.transaction().execute(async (trx) => {
      await this.d.repository.revokeVerifications(
        trx,
        'password_reset',
        { accountId: account.id },
        now.toISOString(),
      );
      await this.d.repository.insertVerification(trx, {
        id: newId(now.getTime()),
        purpose: 'password_reset',
        lookup,
        token_hash: verificationHash(this.d.secret, secret),
        registry_member_id: account.registry_member_id,
        account_id: account.id,
        email: account.email,
        locale: account.locale,
        expires_at: new Date(now.getTime() + RESET_LINK_TTL_MS).toISOString(),
        used_at: null,
        failed_attempts: 0,
        created_at: now.toISOString(),
      });
      await this.d.outbox.enqueue(trx, {
        to: account.email,
        template: 'password-reset',
        locale: asLocale(account.locale),
        data: { token },
      });
      await this.d.audit.record(trx, origin, {
        event: 'authn_password_reset_request',
        outcome: 'success',
        actorType: 'member',
        actorId: account.id,
      });
    });
  }

  /** The live reset verification and its account for a link token, counting a wrong secret against it. */
  private async resetTarget(token: string) {
    const parsed = parseLinkToken(token);
    if (!parsed) throw new AppError('LINK_INVALID');
    const now = this.d.clock.now().toISOString();
    const rows = await this.d.repository.findLiveVerifications(
      this.d.db,
      'password_reset',
      parsed.lookup,
      now,
    );
    const row = rows.find((v) => v.failed_attempts < MAX_FAILED_ATTEMPTS);
    if (!row?.account_id) throw new AppError('LINK_INVALID');
    if (!matchesHash(this.d.secret, parsed.secret, row.token_hash)) {
      await this.d.repository.addFailedAttempt(this.d.db, row.id);
      throw new AppError('LINK_INVALID');
    }
    const account = await this.d.repository.findAccountById(this.d.db, row.account_id);
    if (!account) throw new AppError('LINK_INVALID');
    return { row, account };
  }

  /** Whether a reset link is still usable (LINK_INVALID when not); does not use it. */
  async checkResetLink(token: string): Promise<void> {
    await this.resetTarget(token);
  }

  /** Sets the new password from a reset link: single use, ends every session, unlocks the account. */
  async resetPassword(
    input: { token: string; newPassword: string; newPasswordConfirmation: string },
    origin: RequestOrigin,
  ): Promise<void> {
    const { row, account } = await this.resetTarget(input.token);
    await this.checkNewPassword(account, input.newPassword, input.newPasswordConfirmation);
    const now = this.d.clock.now().toISOString();
    await this.d.db.transaction().execute(async (trx) => {
      if (!(await this.d.repository.consumeVerification(trx, row.id, now)))
        throw new AppError('LINK_INVALID');
      await this.storeNewPassword(trx, account, input.newPassword, origin, { via: 'reset_link' });
    });
    await this.d.sessions.endAll('member', account.id);
  }

  /**
   * After the captcha, always the same answer, after the same time; the username goes to the
   * address on file when email and CF match.
   */
  async requestUsername(
    input: { email: string; codiceFiscale: string; altcha: string },
    origin: RequestOrigin,
  ): Promise<void> {
    await this.verifyCaptcha(input.altcha);
    return noSoonerThan(RECOVERY_ANSWER_MS, () => this.sendUsername(input, origin));
  }

  private async sendUsername(
    input: { email: string; codiceFiscale: string },
    origin: RequestOrigin,
  ): Promise<void> {
    const email = normalizeEmail(input.email);
    const member = await this.d.repository.findRegistryMemberByCf(
      this.d.db,
      normalizeCf(input.codiceFiscale),
    );
    const account = member
      ? await this.d.repository.findAccountByRegistryMember(this.d.db, member.id)
      : undefined;
    if (!account || normalizeEmail(account.email) !== email) {
      await this.d.audit.record(this.d.db, origin, {
        event: 'authn_username_reminder',
        outcome: 'failure',
        actorType: 'anonymous',
      });
      return;
    }
    await this.d.db.transaction().execute(async (trx) => {
      await this.d.outbox.enqueue(trx, {
        to: account.email,
        template: 'username-reminder',
        locale: asLocale(account.locale),
        data: { username: account.username },
      });
      await this.d.audit.record(trx, origin, {
        event: 'authn_username_reminder',
        outcome: 'success',
        actorType: 'member',
        actorId: account.id,
      });
    });
  }
}

function asLocale(value: string): Locale {
  return value === 'en' ? 'en' : 'it';
}
