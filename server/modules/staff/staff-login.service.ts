import type { StaffSessionInfo } from '#contracts/staff.js';
import type { Db } from '../../db/database.js';
import type { Outbox } from '../../email/outbox.service.js';
import { AppError } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from '../../lib/password-hashing.js';
import { SecretBox } from '../../lib/secret-box.js';
import type { RequestOrigin } from '../../plugins/request-context.js';
import type { AuditService } from '../audit/index.js';
import {
  failureNotice,
  type LoginThrottle,
  lockDurationMs,
  SESSION_POLICY,
  type Session,
  type SessionsService,
} from '../auth/index.js';
import { verificationHash } from '../members/index.js';
import type { StaffRepository } from './staff.repository.js';
import type { StaffUser } from './staff.table.js';
import { LOCK_AFTER_FAILURES, normalizeRecoveryCode, staffLockEnd, totpStep } from './staff-credentials.js';

export interface StaffLoginDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  sessions: SessionsService;
  throttle: LoginThrottle;
  repository: StaffRepository;
  outbox: Outbox;
  secret: string;
}

export interface StaffPrincipal {
  staff: StaffUser;
  session: Session;
  token: string;
}

/**
 * Staff sign-in: every login needs username, password and a current authenticator code (or an
 * unused recovery code); the staff session behind the guard; stay signed in; log out.
 */
export class StaffLoginService {
  private readonly box: SecretBox;

  constructor(private readonly d: StaffLoginDeps) {
    this.box = new SecretBox(d.secret, 'totp');
  }

  /**
   * Username, password and a second factor, always. One generic error for every failure. Failures
   * bring the captcha and growing delays (the throttle) and, at every 20th consecutive one, a lock
   * that ends by itself (15 minutes, doubling, at most a day); the user is emailed once per burst.
   * Failures never end sessions already open: anyone may fail a login with a known username.
   */
  async login(
    input: { username: string; password: string; code: string; altcha?: string | undefined },
    origin: RequestOrigin,
    previousToken?: string,
  ): Promise<{ token: string; info: StaffSessionInfo }> {
    const username = input.username.trim().toLowerCase();
    const keys = this.d.throttle.keys('staff', username, origin.ip);
    await this.d.throttle.check(keys, input.altcha);
    const staff = username ? await this.d.repository.findByUsername(this.d.db, username) : undefined;
    const passwordOk = await verifyPassword(staff?.password_hash ?? (await dummyHash()), input.password);
    const now = this.d.clock.now();
    const nowIso = now.toISOString();
    let reason: string | undefined;
    if (!staff) reason = 'unknown_user';
    else if (!staff.password_hash || !staff.totp_secret_sealed) reason = 'not_enrolled';
    else if (staffLockEnd(staff, now)) reason = 'locked';
    else if (!passwordOk) reason = 'bad_password';
    else if (staff.disabled_at) reason = 'disabled';
    else if (!(await this.secondFactor(staff, input.code, nowIso))) reason = 'bad_second_factor';

    if (reason || !staff) {
      await this.d.throttle.fail(keys);
      // A disabled user is refused anyway: no count, no email to someone who left.
      if (staff && !staff.disabled_at && (reason === 'bad_password' || reason === 'bad_second_factor'))
        await this.countFailure(staff, origin);
      await this.d.audit.record(this.d.db, origin, {
        event: 'authn_login_fail',
        outcome: 'failure',
        actorType: staff ? 'staff' : 'anonymous',
        actorId: staff?.id ?? null,
        details: { reason: reason ?? 'unknown_user', kind: 'staff' },
      });
      throw new AppError('INVALID_CREDENTIALS');
    }

    await this.d.throttle.succeed(keys);
    await this.d.repository.update(this.d.db, staff.id, {
      failed_logins: 0,
      locked_at: null,
      last_login_at: nowIso,
      ...(needsRehash(staff.password_hash ?? '')
        ? { password_hash: await hashPassword(input.password) }
        : {}),
    });
    if (previousToken) await this.d.sessions.end(previousToken);
    const { token, session } = await this.d.sessions.create('staff', staff.id, origin.userAgent ?? undefined);
    await this.d.audit.record(this.d.db, origin, {
      event: 'authn_login_success',
      outcome: 'success',
      actorType: 'staff',
      actorId: staff.id,
      details: { kind: 'staff', role: staff.role },
    });
    return { token, info: await this.info(staff, session) };
  }

  /**
   * Counts a failed login against the user, in one transaction with what it causes: an email at
   * the 5th consecutive failure; at every 20th a lock, its email and its audit event.
   */
  private async countFailure(staff: StaffUser, origin: RequestOrigin): Promise<void> {
    const now = this.d.clock.now();
    await this.d.db.transaction().execute(async (trx) => {
      const failures = await this.d.repository.addFailedLogin(trx, staff.id);
      const notice = failureNotice(failures, LOCK_AFTER_FAILURES);
      if (!notice) return;
      let lockMinutes: number | null = null;
      if (notice === 'lock') {
        lockMinutes = lockDurationMs(failures / LOCK_AFTER_FAILURES) / 60_000;
        await this.d.repository.update(trx, staff.id, { locked_at: now.toISOString() });
        await this.d.audit.record(trx, origin, {
          event: 'authn_login_lock',
          outcome: 'failure',
          actorType: 'staff',
          actorId: staff.id,
          details: { kind: 'staff', failures, lockMinutes },
        });
      }
      await this.d.outbox.enqueue(trx, {
        to: staff.email,
        template: 'staff-login-failures',
        locale: staff.locale,
        data: { failures, lockMinutes },
      });
    });
  }

  private async secondFactor(staff: StaffUser, code: string, nowIso: string): Promise<boolean> {
    if (!staff.totp_secret_sealed) return false;
    const step = totpStep(this.box.open(staff.totp_secret_sealed), staff.username, code, this.d.clock.now());
    if (step !== undefined) return this.d.repository.consumeTotpStep(this.d.db, staff.id, step);
    const normalized = normalizeRecoveryCode(code);
    if (!/^[2-9A-HJKMNP-Z]{10}$/.test(normalized)) return false;
    return this.d.repository.consumeRecoveryCode(
      this.d.db,
      staff.id,
      verificationHash(this.d.secret, normalized),
      nowIso,
    );
  }

  async info(staff: StaffUser, session: Session): Promise<StaffSessionInfo> {
    return {
      username: staff.username,
      role: staff.role,
      idleExpiresAt: session.idleExpiresAt.toISOString(),
      absoluteExpiresAt: session.absoluteExpiresAt.toISOString(),
      idleTimeoutSeconds: SESSION_POLICY.staff.idleMs / 1000,
      recoveryCodesLeft: await this.d.repository.recoveryCodesLeft(this.d.db, staff.id),
    };
  }

  async principal(token: string | undefined, touch = true): Promise<StaffPrincipal | undefined> {
    if (!token) return undefined;
    const session = touch
      ? await this.d.sessions.resume(token, 'staff')
      : await this.d.sessions.peek(token, 'staff');
    if (!session) return undefined;
    const staff = await this.d.repository.findById(this.d.db, session.subjectId);
    // A lock from failed logins stops new logins only: anyone knowing a username can cause one.
    if (!staff || staff.disabled_at) return undefined;
    return { staff, session, token };
  }

  async extend(p: StaffPrincipal): Promise<StaffSessionInfo> {
    return this.info(p.staff, (await this.d.sessions.extend(p.token, 'staff')) ?? p.session);
  }

  async logout(p: StaffPrincipal, origin: RequestOrigin): Promise<void> {
    await this.d.sessions.end(p.token);
    await this.d.audit.record(this.d.db, origin, {
      event: 'authn_logout',
      outcome: 'success',
      actorType: 'staff',
      actorId: p.staff.id,
    });
  }
}
