import { isEmailAddress } from '#contracts/email.codes.js';
import type { Locale } from '#contracts/errors.js';
import type { CreateStaffUserRequest, StaffUserState, StaffUserView } from '#contracts/staff.js';
import type { Db } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { Outbox } from '../../email/outbox.service.js';
import { AppError } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { RequestOrigin } from '../../plugins/request-context.js';
import type { AuditService } from '../audit/index.js';
import type { SessionsService } from '../auth/index.js';
import type { StaffRepository } from './staff.repository.js';
import { STAFF_ROLES, type StaffRole, type StaffUser } from './staff.table.js';
import { staffLockEnd } from './staff-credentials.js';
import type { StaffEnrolmentService } from './staff-enrolment.service.js';
import { CLI_MESSAGES, type StaffFieldCode, staffFieldError, usernameTaken } from './staff-messages.js';

export interface StaffUsersDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  sessions: SessionsService;
  repository: StaffRepository;
  outbox: Outbox;
  enrolment: StaffEnrolmentService;
}

function isStaffRole(value: string): value is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(value);
}

function stateOf(staff: StaffUser, now: Date): StaffUserState {
  if (staff.disabled_at) return 'disabled';
  if (!staff.enrolled_at || !staff.totp_secret_sealed) return 'waiting_for_enrolment';
  if (staffLockEnd(staff, now)) return 'locked';
  return 'active';
}

function staffUserView(staff: StaffUser, now: Date): StaffUserView {
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
 * link, listed, disabled and enabled, given another role, or sent back to enrolment. Never on
 * oneself, never leaving the back office without an administrator.
 */
export class StaffUsersService {
  constructor(private readonly d: StaffUsersDeps) {}

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
    if (await this.d.repository.findByUsername(this.d.db, v.username)) throw usernameTaken();
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
        const issued = await this.d.enrolment.issueLink(trx, id);
        await also(trx, id, issued);
        return issued;
      });
      return { id, token };
    } catch (err) {
      // Two requests for the same username at once: the unique index lets one in.
      if (isUniqueViolation(err)) throw usernameTaken();
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
    return { id, link: this.d.enrolment.linkFor(token) };
  }

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
        problems.map((p) => staffFieldError(p.field, p.code)),
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
  changeRole(actor: StaffUser, id: string, role: string, origin: RequestOrigin): Promise<StaffUserView> {
    if (!isStaffRole(role))
      throw new AppError('VALIDATION_FAILED', [staffFieldError('role', 'role_invalid')]);
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
  resetTwoFactor(actor: StaffUser, id: string, origin: RequestOrigin): Promise<StaffUserView> {
    return this.administer(actor, id, origin, 'authn_mfa_reset', async (trx, target) => {
      if (target.disabled_at) throw new AppError('CONFLICT', [staffFieldError('id', 'user_disabled')]);
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
      const token = await this.d.enrolment.issueLink(trx, target.id);
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
}
