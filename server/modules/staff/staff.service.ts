import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { isEmailAddress } from '#contracts/email.codes.js';
import type { Locale } from '#contracts/errors.js';
import type {
  CreateStaffUserRequest,
  EnrolmentStartResponse,
  StaffSessionInfo,
  StaffUserState,
  StaffUserView,
} from '#contracts/staff.js';
import type { Db } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { Outbox } from '../../email/outbox.service.js';
import { AppError, type ErrorDetail } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from '../../lib/password-hashing.js';
import { randomString, UNAMBIGUOUS } from '../../lib/random.js';
import { SecretBox } from '../../lib/secret-box.js';
import type { RequestOrigin } from '../../plugins/request-context.js';
import type { AuditService } from '../audit/index.js';
import {
  checkPassword,
  failureNotice,
  type LoginThrottle,
  lockDurationMs,
  lockEnd,
  PASSWORD_PROBLEM_MESSAGES,
  SESSION_POLICY,
  type Session,
  type SessionsService,
} from '../auth/index.js';
import {
  fieldError,
  MAX_FAILED_ATTEMPTS,
  matchesHash,
  newLinkToken,
  parseLinkToken,
  verificationHash,
} from '../members/index.js';
import type { StaffRepository } from './staff.repository.js';
import { STAFF_ROLES, type StaffRole, type StaffUser } from './staff.table.js';

export const ENROLMENT_TTL_MS = 24 * 3_600_000;
/** Every 20th consecutive failure locks the user for a while (decision 026); never for good. */
const LOCK_AFTER_FAILURES = 20;
const TOTP_PERIOD_S = 30;

export interface StaffDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  sessions: SessionsService;
  throttle: LoginThrottle;
  repository: StaffRepository;
  outbox: Outbox;
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

/** Why a new user's data or an administrator's request is refused, per field, in both languages. */
const STAFF_FIELD_MESSAGES = {
  username_invalid: {
    it: 'La username ha da 3 a 64 caratteri (lettere minuscole a-z, cifre, punto, trattino, trattino basso) e inizia con una lettera.',
    en: 'The username has 3 to 64 characters (lowercase letters a-z, digits, dot, hyphen, underscore) and starts with a letter.',
  },
  email_invalid: { it: 'Indirizzo email non valido.', en: 'Not a valid email address.' },
  role_invalid: { it: 'Scegli uno dei ruoli.', en: 'Choose one of the roles.' },
  username_taken: {
    it: 'Questa username è già usata da un altro utente del back office.',
    en: 'This username is already used by another back-office user.',
  },
  user_disabled: {
    it: 'L’utente è disattivato: riattivalo prima di reimpostare la verifica in due passaggi.',
    en: 'The user is disabled: enable them before resetting the two-factor authentication.',
  },
} satisfies Record<string, Record<Locale, string>>;
type StaffFieldCode = keyof typeof STAFF_FIELD_MESSAGES;

/** The command line's wording for the same problems (it prints them and exits). */
const CLI_MESSAGES: Partial<Record<StaffFieldCode, string>> = {
  username_invalid: 'username: 3-64 characters, a-z 0-9 . _ -, starting with a letter',
  email_invalid: 'email: not a valid address',
  role_invalid: `role: one of ${STAFF_ROLES.join(', ')}`,
};

function staffFieldError(field: string, code: StaffFieldCode, locale: Locale): ErrorDetail {
  const text = STAFF_FIELD_MESSAGES[code];
  return { field, code, message: text[locale], text };
}

const usernameTaken = (locale: Locale) =>
  new AppError('CONFLICT', [staffFieldError('username', 'username_taken', locale)]);

function isStaffRole(value: string): value is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(value);
}

/** The end of the user's current lock (failed logins), or undefined when not locked now. */
export function staffLockEnd(staff: StaffUser, now: Date): Date | undefined {
  return lockEnd(staff.locked_at, staff.failed_logins, LOCK_AFTER_FAILURES, now);
}

export function stateOf(staff: StaffUser, now: Date): StaffUserState {
  if (staff.disabled_at) return 'disabled';
  if (!staff.enrolled_at || !staff.totp_secret_sealed) return 'waiting_for_enrolment';
  if (staffLockEnd(staff, now)) return 'locked';
  return 'active';
}

export function staffUserView(staff: StaffUser, now: Date): StaffUserView {
  return {
    id: staff.id,
    username: staff.username,
    email: staff.email,
    role: staff.role,
    state: stateOf(staff, now),
    locale: staff.locale,
    createdAt: staff.created_at,
    lastLoginAt: staff.last_login_at,
  };
}

interface NewStaff {
  username: string;
  email: string;
  role: StaffRole;
}

/** What an administrator's action changed: the audit details, and whether the user's sessions end. */
interface Change {
  details: Record<string, string | number | boolean | null>;
  endSessions: boolean;
}

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

  /** Normalises a new user's data; the problems found, by field. */
  private checkNew(input: { username: string; email: string; role: string }): {
    value: NewStaff;
    problems: { field: string; code: StaffFieldCode }[];
  } {
    const username = input.username.trim().toLowerCase();
    const email = input.email.trim().toLowerCase();
    const problems: { field: string; code: StaffFieldCode }[] = [];
    if (!/^[a-z][a-z0-9._-]{2,63}$/.test(username))
      problems.push({ field: 'username', code: 'username_invalid' });
    if (!isEmailAddress(email)) problems.push({ field: 'email', code: 'email_invalid' });
    if (!isStaffRole(input.role)) problems.push({ field: 'role', code: 'role_invalid' });
    return { value: { username, email, role: input.role as StaffRole }, problems };
  }

  /**
   * Inserts the user with a first enrolment link, in one transaction with its audit event and
   * `also` (the email, when an administrator creates the user). A username already used: CONFLICT.
   */
  private async insertNew(
    v: NewStaff,
    locale: Locale,
    by: { actor: StaffUser; origin: RequestOrigin } | null,
    also: (trx: Db, id: string, token: string) => Promise<void> = async () => {},
  ): Promise<{ id: string; token: string }> {
    if (await this.d.repository.findByUsername(this.d.db, v.username)) throw usernameTaken(locale);
    const now = this.d.clock.now();
    const id = newId(now.getTime());
    try {
      const token = await this.d.db.transaction().execute(async (trx) => {
        await this.d.repository.insert(trx, {
          id,
          username: v.username,
          email: v.email,
          role: v.role,
          password_hash: null,
          totp_secret_sealed: null,
          totp_last_step: null,
          enrolled_at: null,
          failed_logins: 0,
          locked_at: null,
          disabled_at: null,
          created_at: now.toISOString(),
          last_login_at: null,
          locale,
        });
        await this.d.audit.record(trx, by?.origin ?? null, {
          event: 'user_created',
          outcome: 'success',
          actorType: by ? 'staff' : 'system',
          actorId: by?.actor.id ?? null,
          subjectId: id,
          details: { kind: 'staff', role: v.role },
        });
        const issued = await this.issueLink(trx, id);
        await also(trx, id, issued);
        return issued;
      });
      return { id, token };
    } catch (err) {
      // Two requests for the same username at once: the unique index lets one in.
      if (isUniqueViolation(err)) throw usernameTaken(locale);
      throw err;
    }
  }

  /** Creates a staff user and returns its enrolment link (valid 24 hours): the command line prints it. */
  async create(input: {
    username: string;
    email: string;
    role: string;
  }): Promise<{ id: string; link: string }> {
    const { value, problems } = this.checkNew(input);
    const first = problems[0];
    if (first) throw new Error(CLI_MESSAGES[first.code] ?? first.code);
    const { id, token } = await this.insertNew(value, 'it', null);
    return { id, link: this.linkFor(token) };
  }

  /** A new enrolment link for an existing user; older links die. Enrolling again replaces the authenticator. */
  async enrolmentLink(username: string): Promise<string> {
    const staff = await this.d.repository.findByUsername(this.d.db, username.trim().toLowerCase());
    if (!staff) throw new AppError('NOT_FOUND');
    return this.linkFor(await this.d.db.transaction().execute((trx) => this.issueLink(trx, staff.id)));
  }

  private linkFor(token: string): string {
    return `${this.d.publicUrl}/backoffice/attivazione?token=${encodeURIComponent(token)}`;
  }

  // ── Administrators manage staff users ─────────────────────────────────────────────────────────

  async list(): Promise<StaffUserView[]> {
    const now = this.d.clock.now();
    return (await this.d.repository.list(this.d.db)).map((s) => staffUserView(s, now));
  }

  /**
   * An administrator creates a user: the enrolment link goes by email to the user's address (the
   * administrator never sees it), in the transaction that creates the user.
   */
  async createByAdministrator(
    actor: StaffUser,
    input: CreateStaffUserRequest,
    locale: Locale,
    origin: RequestOrigin,
  ): Promise<StaffUserView> {
    const { value, problems } = this.checkNew(input);
    if (problems.length > 0)
      throw new AppError(
        'VALIDATION_FAILED',
        problems.map((p) => staffFieldError(p.field, p.code, locale)),
      );
    const emailLocale = input.locale ?? locale;
    const { id } = await this.insertNew(value, emailLocale, { actor, origin }, async (trx, _id, token) => {
      await this.d.outbox.enqueue(trx, {
        to: value.email,
        template: 'staff-enrolment',
        locale: emailLocale,
        data: { username: value.username, role: value.role, token },
      });
    });
    return this.view(id);
  }

  /** Disables a user: their sessions end at once, their links die, login answers as for a wrong password. */
  disable(actor: StaffUser, id: string, origin: RequestOrigin): Promise<StaffUserView> {
    return this.administer(actor, id, origin, 'user_disabled', async (trx, target, now) => {
      if (target.disabled_at) return null;
      await this.keepAnAdministrator(trx, target);
      await this.d.repository.update(trx, target.id, { disabled_at: now });
      await this.d.repository.revokeEnrolments(trx, target.id, now);
      return { details: { role: target.role }, endSessions: true };
    });
  }

  enable(actor: StaffUser, id: string, origin: RequestOrigin): Promise<StaffUserView> {
    return this.administer(actor, id, origin, 'user_enabled', async (trx, target) => {
      if (!target.disabled_at) return null;
      await this.d.repository.update(trx, target.id, { disabled_at: null });
      return { details: { role: target.role }, endSessions: false };
    });
  }

  /** A new role takes effect at the next login: the user's sessions end. */
  changeRole(
    actor: StaffUser,
    id: string,
    role: string,
    locale: Locale,
    origin: RequestOrigin,
  ): Promise<StaffUserView> {
    if (!isStaffRole(role))
      throw new AppError('VALIDATION_FAILED', [staffFieldError('role', 'role_invalid', locale)]);
    return this.administer(actor, id, origin, 'authz_change', async (trx, target) => {
      if (target.role === role) return null;
      if (role !== 'administrator') await this.keepAnAdministrator(trx, target);
      await this.d.repository.update(trx, target.id, { role });
      return { details: { from: target.role, to: role }, endSessions: true };
    });
  }

  /**
   * The authenticator, the recovery codes and the password stop working at once; the sessions end;
   * a new enrolment link goes by email. Also the way to unlock a user, or to resend a first link.
   */
  resetTwoFactor(
    actor: StaffUser,
    id: string,
    locale: Locale,
    origin: RequestOrigin,
  ): Promise<StaffUserView> {
    return this.administer(actor, id, origin, 'authn_mfa_reset', async (trx, target) => {
      if (target.disabled_at)
        throw new AppError('CONFLICT', [staffFieldError('id', 'user_disabled', locale)]);
      await this.keepAnAdministrator(trx, target);
      await this.d.repository.update(trx, target.id, {
        password_hash: null,
        totp_secret_sealed: null,
        totp_last_step: null,
        enrolled_at: null,
        failed_logins: 0,
        locked_at: null,
      });
      await this.d.repository.deleteRecoveryCodes(trx, target.id);
      const token = await this.issueLink(trx, target.id);
      await this.d.outbox.enqueue(trx, {
        to: target.email,
        template: 'staff-two-factor-reset',
        locale: target.locale,
        data: { username: target.username, token },
      });
      return { details: { role: target.role }, endSessions: true };
    });
  }

  private async view(id: string): Promise<StaffUserView> {
    const staff = await this.d.repository.findById(this.d.db, id);
    if (!staff) throw new AppError('NOT_FOUND');
    return staffUserView(staff, this.d.clock.now());
  }

  /**
   * One administrator's action on another staff user, in a transaction that first locks the
   * administrator rows (actions on staff users run one at a time). Never on oneself. The change
   * and its audit event commit together; a refusal by the rules is audited too.
   */
  private async administer(
    actor: StaffUser,
    id: string,
    origin: RequestOrigin,
    event: string,
    change: (trx: Db, target: StaffUser, now: string) => Promise<Change | null>,
  ): Promise<StaffUserView> {
    let done: Change | null = null;
    try {
      done = await this.d.db.transaction().execute(async (trx) => {
        await this.d.repository.lockAdministrators(trx);
        const target = await this.d.repository.findById(trx, id);
        if (!target) throw new AppError('NOT_FOUND');
        if (target.id === actor.id) throw new AppError('STAFF_SELF_ACTION');
        const result = await change(trx, target, this.d.clock.now().toISOString());
        if (result)
          await this.d.audit.record(trx, origin, {
            event,
            outcome: 'success',
            actorType: 'staff',
            actorId: actor.id,
            subjectId: target.id,
            details: { kind: 'staff', ...result.details },
          });
        return result;
      });
    } catch (err) {
      if (err instanceof AppError && (err.code === 'STAFF_SELF_ACTION' || err.code === 'LAST_ADMINISTRATOR'))
        await this.d.audit.record(this.d.db, origin, {
          event,
          outcome: 'failure',
          actorType: 'staff',
          actorId: actor.id,
          subjectId: id,
          details: { kind: 'staff', reason: err.code.toLowerCase() },
        });
      throw err;
    }
    // After the commit: the guard reads the user on every request, so a disabled user is refused
    // even before this; ending the sessions also makes a role change take effect at once.
    if (done?.endSessions) await this.d.sessions.endAll('staff', id);
    return this.view(id);
  }

  /** Refuses a change that would leave no other administrator able to sign in. */
  private async keepAnAdministrator(trx: Db, target: StaffUser): Promise<void> {
    if (target.role !== 'administrator') return;
    if ((await this.d.repository.countActiveAdministrators(trx, target.id)) === 0)
      throw new AppError('LAST_ADMINISTRATOR');
  }

  /** A new link for the user (older ones die); returns its token, which only the link carries. */
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
    return token;
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
