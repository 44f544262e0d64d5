import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { Locale } from '../../../contracts/errors.js';
import type { EnrolmentStartResponse, StaffSessionInfo } from '../../../contracts/staff.js';
import type { Db } from '../../db/database.js';
import { AppError, type ErrorDetail } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { randomString, UNAMBIGUOUS } from '../../lib/random.js';
import { SecretBox } from '../../lib/secret-box.js';
import { isEmail } from '../../lib/text.js';
import type { AuditService, RequestOrigin } from '../audit/audit.service.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from '../auth/password-hashing.js';
import { checkPassword, PASSWORD_PROBLEM_MESSAGES } from '../auth/password-policy.js';
import { SESSION_POLICY, type Session, type SessionsService } from '../auth/sessions.service.js';
import { fieldError } from '../members/messages.js';
import {
  MAX_FAILED_ATTEMPTS,
  matchesHash,
  newLinkToken,
  parseLinkToken,
  verificationHash,
} from '../members/verifications.js';
import type { StaffRepository } from './staff.repository.js';
import { STAFF_ROLES, type StaffRole, type StaffUser } from './staff.table.js';

export const ENROLMENT_TTL_MS = 24 * 3_600_000;
const LOCK_AFTER_FAILURES = 20;
const TOTP_PERIOD_S = 30;

export interface StaffDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  sessions: SessionsService;
  throttle: LoginThrottle;
  repository: StaffRepository;
  secret: string;
  publicUrl: string;
}

export interface StaffPrincipal {
  staff: StaffUser;
  session: Session;
  token: string;
}

function totpFor(secretBase32: string, username: string): TOTP {
  return new TOTP({
    issuer: 'OneCare',
    label: username,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_S,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** Recovery codes: 10 characters a person can copy, grouped XXXXX-XXXXX. */
function newRecoveryCode(): string {
  const raw = randomString(10, UNAMBIGUOUS);
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}
const normalizeRecoveryCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, '');

/**
 * Back-office users: created by an administrator (or the command line) with a one-time enrolment
 * link; enrolment sets the password and the authenticator (TOTP) and hands out 10 recovery codes.
 * Every login needs username, password and a current code (or an unused recovery code).
 */
export class StaffService {
  private readonly box: SecretBox;

  constructor(private readonly d: StaffDeps) {
    this.box = new SecretBox(d.secret, 'totp');
  }

  /** Creates a staff user and returns its enrolment link (valid 24 hours). */
  async create(input: {
    username: string;
    email: string;
    role: string;
  }): Promise<{ id: string; link: string }> {
    const username = input.username.trim().toLowerCase();
    if (!/^[a-z][a-z0-9._-]{2,63}$/.test(username))
      throw new Error('username: 3-64 characters, a-z 0-9 . _ -, starting with a letter');
    if (!isEmail(input.email.trim())) throw new Error('email: not a valid address');
    if (!(STAFF_ROLES as readonly string[]).includes(input.role))
      throw new Error(`role: one of ${STAFF_ROLES.join(', ')}`);
    if (await this.d.repository.findByUsername(this.d.db, username)) throw new AppError('CONFLICT');
    const now = this.d.clock.now();
    const id = newId(now.getTime());
    const link = await this.d.db.transaction().execute(async (trx) => {
      await this.d.repository.insert(trx, {
        id,
        username,
        email: input.email.trim().toLowerCase(),
        role: input.role as StaffRole,
        password_hash: null,
        totp_secret_sealed: null,
        totp_last_step: null,
        enrolled_at: null,
        failed_logins: 0,
        locked_at: null,
        disabled_at: null,
        created_at: now.toISOString(),
      });
      await this.d.audit.record(trx, null, {
        event: 'user_created',
        outcome: 'success',
        actorType: 'system',
        subjectId: id,
        details: { kind: 'staff', role: input.role },
      });
      return this.issueLink(trx, id);
    });
    return { id, link };
  }

  /** A new enrolment link for an existing user; older links die. Enrolling again replaces the authenticator. */
  async enrolmentLink(username: string): Promise<string> {
    const staff = await this.d.repository.findByUsername(this.d.db, username.trim().toLowerCase());
    if (!staff) throw new AppError('NOT_FOUND');
    return this.d.db.transaction().execute((trx) => this.issueLink(trx, staff.id));
  }

  private async issueLink(db: Db, staffId: string): Promise<string> {
    const now = this.d.clock.now();
    const { token, lookup, secret } = newLinkToken();
    await this.d.repository.revokeEnrolments(db, staffId, now.toISOString());
    await this.d.repository.insertEnrolment(db, {
      id: newId(now.getTime()),
      staff_id: staffId,
      lookup,
      token_hash: verificationHash(this.d.secret, secret),
      pending_totp_sealed: null,
      expires_at: new Date(now.getTime() + ENROLMENT_TTL_MS).toISOString(),
      used_at: null,
      failed_attempts: 0,
      created_at: now.toISOString(),
    });
    return `${this.d.publicUrl}/backoffice/attivazione?token=${encodeURIComponent(token)}`;
  }

  private async enrolmentFor(token: string) {
    const parsed = parseLinkToken(token);
    if (!parsed) throw new AppError('LINK_INVALID');
    const row = await this.d.repository.findLiveEnrolment(
      this.d.db,
      parsed.lookup,
      this.d.clock.now().toISOString(),
    );
    if (!row || row.failed_attempts >= MAX_FAILED_ATTEMPTS) throw new AppError('LINK_INVALID');
    if (!matchesHash(this.d.secret, parsed.secret, row.token_hash)) {
      await this.d.repository.updateEnrolment(this.d.db, row.id, {
        failed_attempts: row.failed_attempts + 1,
      });
      throw new AppError('LINK_INVALID');
    }
    const staff = await this.d.repository.findById(this.d.db, row.staff_id);
    if (!staff || staff.disabled_at) throw new AppError('LINK_INVALID');
    return { row, staff };
  }

  /** Shows the authenticator key (QR code and text); the same key until enrolment completes. */
  async startEnrolment(token: string): Promise<EnrolmentStartResponse> {
    const { row, staff } = await this.enrolmentFor(token);
    let secret: string;
    if (row.pending_totp_sealed) secret = this.box.open(row.pending_totp_sealed);
    else {
      secret = new Secret({ size: 20 }).base32;
      await this.d.repository.updateEnrolment(this.d.db, row.id, {
        pending_totp_sealed: this.box.seal(secret),
      });
    }
    const otpauthUri = totpFor(secret, staff.username).toString();
    const qrCodeSvg = await QRCode.toString(otpauthUri, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
    });
    return { username: staff.username, role: staff.role, secret, otpauthUri, qrCodeSvg };
  }

  /** Checks the first code, sets the password and the authenticator, returns 10 recovery codes (shown once). */
  async completeEnrolment(
    input: { token: string; password: string; passwordConfirmation: string; code: string },
    locale: Locale,
    origin: RequestOrigin,
  ): Promise<string[]> {
    const { row, staff } = await this.enrolmentFor(input.token);
    if (!row.pending_totp_sealed) throw new AppError('LINK_INVALID');
    const secret = this.box.open(row.pending_totp_sealed);
    const details: ErrorDetail[] = checkPassword(input.password, { username: staff.username }).problems.map(
      (p) => ({
        field: 'password',
        code: p,
        message: PASSWORD_PROBLEM_MESSAGES[p][locale],
      }),
    );
    if (input.password !== input.passwordConfirmation)
      details.push(fieldError('passwordConfirmation', 'password_mismatch', locale));
    const step = this.totpStep(secret, staff.username, input.code);
    if (step === undefined) details.push(fieldError('code', 'totp_invalid', locale));
    if (details.length > 0) throw new AppError('VALIDATION_FAILED', details);

    const codes = Array.from({ length: 10 }, newRecoveryCode);
    const hash = await hashPassword(input.password);
    const now = this.d.clock.now().toISOString();
    await this.d.db.transaction().execute(async (trx) => {
      await this.d.repository.updateEnrolment(trx, row.id, { used_at: now, pending_totp_sealed: null });
      await this.d.repository.update(trx, staff.id, {
        password_hash: hash,
        totp_secret_sealed: this.box.seal(secret),
        totp_last_step: step ?? null,
        enrolled_at: now,
        failed_logins: 0,
        locked_at: null,
      });
      await this.d.repository.replaceRecoveryCodes(
        trx,
        staff.id,
        codes.map((c) => ({
          id: newId(),
          code_hash: verificationHash(this.d.secret, normalizeRecoveryCode(c)),
        })),
      );
      await this.d.audit.record(trx, origin, {
        event: 'authn_mfa_enrolled',
        outcome: 'success',
        actorType: 'staff',
        actorId: staff.id,
      });
    });
    await this.d.sessions.endAll('staff', staff.id);
    return codes;
  }

  /** The TOTP time step a code belongs to (±1 step of clock drift), or undefined. */
  private totpStep(secret: string, username: string, code: string): number | undefined {
    const token = code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(token)) return undefined;
    const now = this.d.clock.now().getTime();
    const delta = totpFor(secret, username).validate({ token, timestamp: now, window: 1 });
    if (delta === null) return undefined;
    return Math.floor(now / 1000 / TOTP_PERIOD_S) + delta;
  }

  /** Username, password and a second factor, always. One generic error for every failure. */
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
    const nowIso = this.d.clock.now().toISOString();
    let reason: string | undefined;
    if (!staff) reason = 'unknown_user';
    else if (!staff.password_hash || !staff.totp_secret_sealed) reason = 'not_enrolled';
    else if (!passwordOk) reason = 'bad_password';
    else if (staff.disabled_at) reason = 'disabled';
    else if (staff.locked_at) reason = 'locked';
    else if (!(await this.secondFactor(staff, input.code, nowIso))) reason = 'bad_second_factor';

    if (reason || !staff) {
      await this.d.throttle.fail(keys);
      if (staff && (reason === 'bad_password' || reason === 'bad_second_factor')) {
        const failures = staff.failed_logins + 1;
        await this.d.repository.update(this.d.db, staff.id, {
          failed_logins: failures,
          ...(failures >= LOCK_AFTER_FAILURES && !staff.locked_at ? { locked_at: nowIso } : {}),
        });
      }
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

  private async secondFactor(staff: StaffUser, code: string, nowIso: string): Promise<boolean> {
    if (!staff.totp_secret_sealed) return false;
    const step = this.totpStep(this.box.open(staff.totp_secret_sealed), staff.username, code);
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
    if (!staff || staff.disabled_at || staff.locked_at) return undefined;
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
