import type { RegistrationRequest } from '../../../contracts/auth.js';
import { isEmailAddress } from '../../../contracts/email.codes.js';
import type { Locale } from '../../../contracts/errors.js';
import type { Db } from '../../db/database.js';
import type { Outbox } from '../../email/outbox.service.js';
import { AppError, type ErrorDetail } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { randomString, UNAMBIGUOUS } from '../../lib/random.js';
import { foldName, isIsoDate, italianToday, normalizeEmail } from '../../lib/text.js';
import type { AuditService, RequestOrigin } from '../audit/audit.service.js';
import { hashPassword } from '../auth/password-hashing.js';
import type { CaptchaService } from '../captcha/captcha.service.js';
import { checkCoherence, normalizeCf, validateCodiceFiscale } from './codice-fiscale.js';
import type { MembersRepository } from './members.repository.js';
import { fieldError } from './messages.js';
import {
  MAX_FAILED_ATTEMPTS,
  matchesHash,
  newTicket,
  parseTicket,
  verificationHash,
} from './verifications.js';

const HOUR = 3_600_000;
export const TICKET_TTL_MS = 24 * HOUR;
export const TEMP_PASSWORD_TTL_MS = 24 * HOUR;

export interface RegistrationDeps {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  audit: AuditService;
  captcha: CaptchaService;
  repository: MembersRepository;
  secret: string;
}

type MatchOutcome = 'ticket' | 'not_found' | 'already_registered';

/**
 * Registration and activation (PRODUCT.md §1). The answer to a registration never depends on
 * whether the person is insured or registered; only the email sent tells the truth.
 */
export class RegistrationService {
  constructor(private readonly d: RegistrationDeps) {}

  /** Field checks first (shown beside each field), then the captcha, then the registry match. */
  async register(input: RegistrationRequest, locale: Locale, origin: RequestOrigin): Promise<void> {
    const details: ErrorDetail[] = [];
    const surname = input.surname.trim();
    const name = input.name.trim();
    const email = normalizeEmail(input.email);
    const confirmation = normalizeEmail(input.emailConfirmation);
    const cf = normalizeCf(input.codiceFiscale);
    const birthDate = input.birthDate.trim();

    if (!surname) details.push(fieldError('surname', 'required', locale));
    if (!name) details.push(fieldError('name', 'required', locale));
    if (!email) details.push(fieldError('email', 'required', locale));
    else if (!isEmailAddress(email)) details.push(fieldError('email', 'email_invalid', locale));
    if (!confirmation) details.push(fieldError('emailConfirmation', 'required', locale));
    else if (email && confirmation !== email)
      details.push(fieldError('emailConfirmation', 'email_mismatch', locale));
    let birthOk = false;
    if (!birthDate) details.push(fieldError('birthDate', 'required', locale));
    else if (!isIsoDate(birthDate)) details.push(fieldError('birthDate', 'birth_date_invalid', locale));
    else if (birthDate > italianToday(this.d.clock.now()))
      details.push(fieldError('birthDate', 'birth_date_future', locale));
    else birthOk = true;
    if (!cf) details.push(fieldError('codiceFiscale', 'required', locale));
    else {
      const valid = validateCodiceFiscale(cf);
      if (!valid.ok) {
        details.push(
          fieldError(
            'codiceFiscale',
            valid.problem === 'malformed' ? 'cf_malformed' : 'cf_check_character',
            locale,
          ),
        );
      } else if (surname && name && birthOk) {
        const problem = checkCoherence(cf, { surname, name, birthDate })[0];
        if (problem === 'incoherent_surname')
          details.push(fieldError('codiceFiscale', 'cf_incoherent_surname', locale));
        else if (problem === 'incoherent_name')
          details.push(fieldError('codiceFiscale', 'cf_incoherent_name', locale));
        else if (problem === 'incoherent_birth_date')
          details.push(fieldError('codiceFiscale', 'cf_incoherent_birth_date', locale));
      }
    }
    if (!input.altcha) details.push(fieldError('altcha', 'captcha_missing', locale));
    if (details.length > 0) throw new AppError('VALIDATION_FAILED', details);

    const captcha = await this.d.captcha.verify(input.altcha);
    if (captcha !== 'ok')
      throw new AppError('VALIDATION_FAILED', [fieldError('altcha', 'captcha_invalid', locale)]);

    await this.d.db.transaction().execute(async (trx) => {
      const outcome = await this.match(trx, { surname, name, email, cf, birthDate });
      if (outcome.kind === 'ticket') {
        await this.sendTicket(trx, outcome.memberId, email, locale);
      } else if (outcome.kind === 'already_registered') {
        // To the address on the account, not the typed one: a stranger learns nothing.
        await this.d.outbox.enqueue(trx, {
          to: outcome.accountEmail,
          template: 'registration-already-registered',
          locale,
          data: {},
        });
      } else {
        await this.d.outbox.enqueue(trx, { to: email, template: 'registration-not-found', locale, data: {} });
      }
      await this.d.audit.record(trx, origin, {
        event: 'registration_request',
        outcome: outcome.kind === 'ticket' ? 'success' : 'failure',
        actorType: 'anonymous',
        subjectId: outcome.kind === 'not_found' ? null : outcome.memberId,
        details: { result: outcome.kind satisfies MatchOutcome },
      });
    });
  }

  /** A fresh activation ticket by email; any older ticket of the person dies. */
  private async sendTicket(trx: Db, memberId: string, email: string, locale: Locale): Promise<void> {
    const now = this.d.clock.now();
    const { ticket, lookup } = newTicket();
    await this.d.repository.revokeVerifications(
      trx,
      'activation',
      { registryMemberId: memberId },
      now.toISOString(),
    );
    await this.d.repository.insertVerification(trx, {
      id: newId(now.getTime()),
      purpose: 'activation',
      lookup,
      token_hash: verificationHash(this.d.secret, ticket.replace(/-/g, '')),
      registry_member_id: memberId,
      account_id: null,
      email,
      locale,
      expires_at: new Date(now.getTime() + TICKET_TTL_MS).toISOString(),
      used_at: null,
      failed_attempts: 0,
      created_at: now.toISOString(),
    });
    await this.d.outbox.enqueue(trx, {
      to: email,
      template: 'registration-ticket',
      locale,
      data: { ticket },
    });
  }

  /**
   * The back office resends the activation ticket of a person without an account: to the email in
   * the registry, or else to the one typed at the last registration. CONFLICT when neither exists
   * or the account is already active.
   */
  async resendTicket(memberId: string, staffId: string, origin: RequestOrigin): Promise<void> {
    await this.d.db.transaction().execute(async (trx) => {
      if (await this.d.repository.findAccountByRegistryMember(trx, memberId)) throw new AppError('CONFLICT');
      const member = await this.d.repository.findRegistryMemberWithPlan(trx, memberId);
      if (!member) throw new AppError('NOT_FOUND');
      const registryEmail = (await this.d.repository.findRegistryMemberByCf(trx, member.codice_fiscale))
        ?.email;
      const last = await this.d.repository.lastVerification(trx, 'activation', memberId);
      const email = registryEmail || last?.email;
      if (!email) throw new AppError('CONFLICT');
      await this.sendTicket(trx, memberId, email, last?.locale === 'en' ? 'en' : 'it');
      await this.d.audit.record(trx, origin, {
        event: 'authn_token_created',
        outcome: 'success',
        actorType: 'staff',
        actorId: staffId,
        subjectId: memberId,
        details: { purpose: 'activation', by: 'back_office' },
      });
    });
  }

  private async match(
    db: Db,
    p: { surname: string; name: string; email: string; cf: string; birthDate: string },
  ): Promise<
    | { kind: 'ticket'; memberId: string }
    | { kind: 'already_registered'; memberId: string; accountEmail: string }
    | { kind: 'not_found' }
  > {
    const valid = validateCodiceFiscale(p.cf);
    let member = await this.d.repository.findRegistryMemberByCf(db, p.cf);
    if (!member && valid.ok && valid.canonical !== p.cf) {
      member = await this.d.repository.findRegistryMemberByCf(db, valid.canonical);
    }
    const today = italianToday(this.d.clock.now());
    if (
      !member ||
      member.birth_date !== p.birthDate ||
      foldName(member.surname) !== foldName(p.surname) ||
      foldName(member.given_name) !== foldName(p.name) ||
      (member.coverage_end !== null && member.coverage_end < today) ||
      (member.email !== null && member.email !== '' && normalizeEmail(member.email) !== p.email)
    ) {
      return { kind: 'not_found' };
    }
    const account = await this.d.repository.findAccountByRegistryMember(db, member.id);
    if (account) return { kind: 'already_registered', memberId: member.id, accountEmail: account.email };
    return { kind: 'ticket', memberId: member.id };
  }

  /**
   * Uses a ticket: creates the account and sends two emails, one with the username and one with a
   * temporary password. A wrong, used, expired or dead ticket gets one answer: TICKET_INVALID.
   */
  async activate(input: string, origin: RequestOrigin): Promise<void> {
    const parsed = parseTicket(input);
    if (!parsed) throw new AppError('TICKET_INVALID');
    const now = this.d.clock.now();
    const candidates = await this.d.repository.findLiveVerifications(
      this.d.db,
      'activation',
      parsed.lookup,
      now.toISOString(),
    );
    const live = candidates.filter((v) => v.failed_attempts < MAX_FAILED_ATTEMPTS);
    const hit = live.find((v) => matchesHash(this.d.secret, parsed.normalized, v.token_hash));
    if (!hit?.registry_member_id) {
      for (const v of live) await this.d.repository.addFailedAttempt(this.d.db, v.id);
      await this.d.audit.record(this.d.db, origin, {
        event: 'authn_token_invalid',
        outcome: 'failure',
        actorType: 'anonymous',
        subjectId: live[0]?.registry_member_id ?? null,
        details: { purpose: 'activation' },
      });
      throw new AppError('TICKET_INVALID');
    }
    const memberId = hit.registry_member_id;

    await this.d.db.transaction().execute(async (trx) => {
      if (!(await this.d.repository.consumeVerification(trx, hit.id, now.toISOString())))
        throw new AppError('TICKET_INVALID');
      if (await this.d.repository.findAccountByRegistryMember(trx, memberId))
        throw new AppError('TICKET_INVALID');
      const member = await this.d.repository.findRegistryMemberWithPlan(trx, memberId);
      if (!member) throw new AppError('TICKET_INVALID');
      const username = await this.uniqueUsername(trx, member.given_name, member.surname);
      const temporaryPassword = randomString(20, UNAMBIGUOUS);
      const accountId = newId(now.getTime());
      await this.d.repository.insertAccount(trx, {
        id: accountId,
        registry_member_id: memberId,
        username,
        email: hit.email,
        locale: hit.locale,
        password_hash: await hashPassword(temporaryPassword),
        must_change_password: 1,
        temp_password_expires_at: new Date(now.getTime() + TEMP_PASSWORD_TTL_MS).toISOString(),
        password_changed_at: null,
        failed_logins: 0,
        password_locked_at: null,
        created_at: now.toISOString(),
      });
      const locale = hit.locale === 'en' ? 'en' : 'it';
      await this.d.outbox.enqueue(trx, {
        to: hit.email,
        template: 'account-username',
        locale,
        data: { username },
      });
      await this.d.outbox.enqueue(trx, {
        to: hit.email,
        template: 'account-temporary-password',
        locale,
        data: { password: temporaryPassword },
      });
      await this.d.audit.record(trx, origin, {
        event: 'user_created',
        outcome: 'success',
        actorType: 'member',
        actorId: accountId,
        subjectId: memberId,
      });
    });
  }

  /** nome.cognome in plain lower-case letters; mario.rossi, mario.rossi2, … when taken. */
  private async uniqueUsername(db: Db, givenName: string, surname: string): Promise<string> {
    const part = (s: string) => foldName(s).toLowerCase() || 'utente';
    const base = `${part(givenName)}.${part(surname)}`;
    const taken = new Set(await this.d.repository.usernamesStartingWith(db, base));
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
  }
}
