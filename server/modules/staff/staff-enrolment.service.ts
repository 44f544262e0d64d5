import QRCode from 'qrcode';
import type { EnrolmentStartResponse } from '#contracts/staff.js';
import type { Db } from '../../db/database.js';
import { AppError, type ErrorDetail } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { hashPassword } from '../../lib/password-hashing.js';
import { SecretBox } from '../../lib/secret-box.js';
import type { RequestOrigin } from '../../plugins/request-context.js';
import type { AuditService } from '../audit/index.js';
import { checkPassword, passwordProblem, type SessionsService } from '../auth/index.js';
import {
  fieldError,
  MAX_FAILED_ATTEMPTS,
  matchesHash,
  newLinkToken,
  parseLinkToken,
  verificationHash,
} from '../members/index.js';
import type { StaffRepository } from './staff.repository.js';
import {
  newRecoveryCode,
  newTotpSecret,
  normalizeRecoveryCode,
  totpFor,
  totpStep,
} from './staff-credentials.js';

export const ENROLMENT_TTL_MS = 24 * 3_600_000;

export interface StaffEnrolmentDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  sessions: SessionsService;
  repository: StaffRepository;
  secret: string;
  publicUrl: string;
}

/**
 * Enrolment of a staff user from a one-time link: the authenticator key is shown, the first code
 * proves it was scanned, the password is set and 10 recovery codes are handed out once. Links are
 * issued here for the user management and the command line.
 */
export class StaffEnrolmentService {
  private readonly box: SecretBox;

  constructor(private readonly d: StaffEnrolmentDeps) {
    this.box = new SecretBox(d.secret, 'totp');
  }

  /** A new enrolment link for an existing user; older links die. Enrolling again replaces the authenticator. */
  async enrolmentLink(username: string): Promise<string> {
    const staff = await this.d.repository.findByUsername(this.d.db, username.trim().toLowerCase());
    if (!staff) throw new AppError('NOT_FOUND');
    return this.linkFor(await this.d.db.transaction().execute((trx) => this.issueLink(trx, staff.id)));
  }

  /** The enrolment page for a link token. */
  linkFor(token: string): string {
    return `${this.d.publicUrl}/backoffice/attivazione?token=${encodeURIComponent(token)}`;
  }

  /** A new link for the user (older ones die); returns its token, which only the link carries. */
  async issueLink(db: Db, staffId: string): Promise<string> {
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
      secret = newTotpSecret();
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
    origin: RequestOrigin,
  ): Promise<string[]> {
    const { row, staff } = await this.enrolmentFor(input.token);
    if (!row.pending_totp_sealed) throw new AppError('LINK_INVALID');
    const secret = this.box.open(row.pending_totp_sealed);
    const details: ErrorDetail[] = checkPassword(input.password, { username: staff.username }).problems.map(
      (p) => passwordProblem('password', p),
    );
    if (input.password !== input.passwordConfirmation)
      details.push(fieldError('passwordConfirmation', 'password_mismatch'));
    const step = totpStep(secret, staff.username, input.code, this.d.clock.now());
    if (step === undefined) details.push(fieldError('code', 'totp_invalid'));
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
}
