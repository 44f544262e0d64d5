import type { RegistrationRequest } from '#contracts/auth.js';
import { isEmailAddress } from '#contracts/email.codes.js';
import type { Locale } from '#contracts/errors.js';
import type { Db } from '../../db/database.js';
import type { Outbox } from '../../email/outbox.service.js';
import { AppError, type ErrorDetail } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { hashPassword } from '../../lib/password-hashing.js';
import { randomString, UNAMBIGUOUS } from '../../lib/random.js';
import { foldName, isIsoDate, italianToday, normalizeCardNumber, normalizeEmail } from '../../lib/text.js';
import { hashToken, safeEqual } from '../../lib/tokens.js';
import type { RequestOrigin } from '../../plugins/request-context.js';
import type { AuditService } from '../audit/index.js';
import type { CaptchaService } from '../captcha/index.js';
import { checkCoherence, normalizeCf, validateCodiceFiscale } from './codice-fiscale.js';
import type { MembersRepository } from './members.repository.js';
import type { AddressProof } from './members.table.js';
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
/** A registration waiting for the back office is dropped after this. */
export const REQUEST_TTL_MS = 14 * 24 * HOUR;
/** Wrong card numbers for one member before the card stops being accepted (for CARD_LOCK_MS). */
export const MAX_CARD_FAILURES = 5;
export const CARD_LOCK_MS = 24 * HOUR;

export interface RegistrationDeps {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  audit: AuditService;
  captcha: CaptchaService;
  repository: MembersRepository;
  secret: string;
}

/**
 * ticket: the typed address is proven (registry email or card number); already_registered: the
 * notice goes to the account's address; not_found: no member; card_mismatch: the registry has no
 * email and the card number typed is missing or wrong; back_office: the registry has neither an
 * email nor a card number, the request waits for a staff user. Only `ticket` sends a ticket; the
 * last three send the typed address the same "not found" email.
 */
type MatchOutcome = 'ticket' | 'not_found' | 'already_registered' | 'card_mismatch' | 'back_office';

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
    const cardNumber = normalizeCardNumber(input.cardNumber ?? '');

    if (!surname) details.push(fieldError('surname', 'required'));
    if (!name) details.push(fieldError('name', 'required'));
    if (!email) details.push(fieldError('email', 'required'));
    else if (!isEmailAddress(email)) details.push(fieldError('email', 'email_invalid'));
    if (!confirmation) details.push(fieldError('emailConfirmation', 'required'));
    else if (email && confirmation !== email) details.push(fieldError('emailConfirmation', 'email_mismatch'));
    let birthOk = false;
    if (!birthDate) details.push(fieldError('birthDate', 'required'));
    else if (!isIsoDate(birthDate)) details.push(fieldError('birthDate', 'birth_date_invalid'));
    else if (birthDate > italianToday(this.d.clock.now()))
      details.push(fieldError('birthDate', 'birth_date_future'));
    else birthOk = true;
    if (!cf) details.push(fieldError('codiceFiscale', 'required'));
    else {
      const valid = validateCodiceFiscale(cf);
      if (!valid.ok) {
        details.push(
          fieldError('codiceFiscale', valid.problem === 'malformed' ? 'cf_malformed' : 'cf_check_character'),
        );
      } else if (surname && name && birthOk) {
        const problem = checkCoherence(cf, { surname, name, birthDate })[0];
        if (problem === 'incoherent_surname')
          details.push(fieldError('codiceFiscale', 'cf_incoherent_surname'));
        else if (problem === 'incoherent_name')
          details.push(fieldError('codiceFiscale', 'cf_incoherent_name'));
        else if (problem === 'incoherent_birth_date')
          details.push(fieldError('codiceFiscale', 'cf_incoherent_birth_date'));
      }
    }
    if (!input.altcha) details.push(fieldError('altcha', 'captcha_missing'));
    if (details.length > 0) throw new AppError('VALIDATION_FAILED', details);

    const captcha = await this.d.captcha.verify(input.altcha);
    if (captcha !== 'ok') throw new AppError('VALIDATION_FAILED', [fieldError('altcha', 'captcha_invalid')]);

    await this.d.db.transaction().execute(async (trx) => {
      const outcome = await this.match(trx, { surname, name, email, cf, birthDate, cardNumber });
      if (outcome.kind === 'ticket') {
        await this.sendTicket(trx, outcome.memberId, email, locale, outcome.proof);
      } else if (outcome.kind === 'back_office') {
        const now = this.d.clock.now();
        await this.d.repository.supersedeRegistrationRequests(trx, outcome.memberId, now.toISOString());
        await this.d.repository.insertRegistrationRequest(trx, {
          id: newId(now.getTime()),
          registry_member_id: outcome.memberId,
          surname,
          given_name: name,
          codice_fiscale: cf,
          birth_date: birthDate,
          email,
          locale,
          status: 'pending',
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + REQUEST_TTL_MS).toISOString(),
          decided_by: null,
          decided_at: null,
        });
        // Nothing that tells the typed address the person exists: the same email as "not found",
        // whose text covers this case too.
        await this.d.outbox.enqueue(trx, { to: email, template: 'registration-not-found', locale, data: {} });
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

  /**
   * A fresh activation ticket by email; any older ticket of the person dies. `proof` says how the
   * address was proven: a ticket never goes to an address that was only typed.
   */
  private async sendTicket(
    trx: Db,
    memberId: string,
    email: string,
    locale: Locale,
    proof: AddressProof,
  ): Promise<void> {
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
      address_proof: proof,
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
   * the registry, or else to the address of the last ticket whose address was proven (card number
   * or back-office confirmation). CONFLICT when neither exists or the account is already active.
   */
  async resendTicket(memberId: string, staffId: string, origin: RequestOrigin): Promise<void> {
    await this.d.db.transaction().execute(async (trx) => {
      if (await this.d.repository.findAccountByRegistryMember(trx, memberId)) throw new AppError('CONFLICT');
      const member = await this.d.repository.findRegistryMemberWithPlan(trx, memberId);
      if (!member) throw new AppError('NOT_FOUND');
      const registryEmail = (await this.d.repository.findRegistryMemberByCf(trx, member.codice_fiscale))
        ?.email;
      const last = await this.d.repository.lastVerification(trx, 'activation', memberId);
      const proven = registryEmail ? undefined : await this.d.repository.lastProvenActivation(trx, memberId);
      const email = registryEmail || proven?.email;
      const proof: AddressProof | null | undefined = registryEmail ? 'registry_email' : proven?.address_proof;
      if (!email || !proof) throw new AppError('CONFLICT');
      const locale = (registryEmail ? last : proven)?.locale === 'en' ? 'en' : 'it';
      await this.sendTicket(trx, memberId, email, locale, proof);
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
    p: { surname: string; name: string; email: string; cf: string; birthDate: string; cardNumber: string },
  ): Promise<
    | { kind: 'ticket'; memberId: string; proof: AddressProof }
    | { kind: 'already_registered'; memberId: string; accountEmail: string }
    | { kind: 'card_mismatch' | 'back_office'; memberId: string }
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
    if (member.email) return { kind: 'ticket', memberId: member.id, proof: 'registry_email' };
    // No email on file: the typed address is only a claim until a second, non-public proof.
    if (!member.card_number) return { kind: 'back_office', memberId: member.id };
    return (await this.cardMatches(db, member.id, member.card_number, p.cardNumber))
      ? { kind: 'ticket', memberId: member.id, proof: 'card_number' }
      : { kind: 'card_mismatch', memberId: member.id };
  }

  /**
   * The typed card number against the one on file, in constant time (both are keyed hashes of the
   * same length). After MAX_CARD_FAILURES wrong ones within CARD_LOCK_MS even the right one is
   * refused for the rest of that time, so nobody can try numbers one captcha at a time.
   */
  private async cardMatches(db: Db, memberId: string, onFile: string, typed: string): Promise<boolean> {
    // Nothing typed is no guess: it does not count towards the lock.
    if (typed === '') return false;
    const key = `card:${memberId}`;
    const now = this.d.clock.now();
    const since = new Date(now.getTime() - CARD_LOCK_MS).toISOString();
    const [counter] = await this.d.repository.throttles(db, [key]);
    const locked =
      counter !== undefined && counter.failures >= MAX_CARD_FAILURES && counter.last_failure_at > since;
    const same = safeEqual(hashToken(this.d.secret, typed), hashToken(this.d.secret, onFile));
    if (same && !locked) {
      if (counter) await this.d.repository.clearThrottles(db, [key]);
      return true;
    }
    if (!same) await this.d.repository.addThrottleFailure(db, key, now.toISOString(), since);
    return false;
  }

  /**
   * The back office's queue: registrations of members with neither an email nor a card number in
   * the registry, pending and not expired, oldest first. Every reading is audited.
   */
  async pendingRequests(staffId: string, origin: RequestOrigin) {
    const rows = await this.d.repository.pendingRegistrationRequests(
      this.d.db,
      this.d.clock.now().toISOString(),
      200,
    );
    await this.d.audit.record(this.d.db, origin, {
      event: 'sensitive_read',
      outcome: 'success',
      actorType: 'staff',
      actorId: staffId,
      details: { what: 'registration_requests', count: rows.length },
    });
    return rows.map((r) => ({
      id: r.id,
      typed: {
        surname: r.surname,
        name: r.given_name,
        codiceFiscale: r.codice_fiscale,
        birthDate: r.birth_date,
        email: r.email,
      },
      locale: r.locale,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      earlierRequests: Number(r.earlier_requests ?? 0),
      member: {
        id: r.registry_member_id,
        surname: r.member_surname,
        name: r.member_given_name,
        codiceFiscale: r.member_codice_fiscale,
        birthDate: r.member_birth_date,
      },
    }));
  }

  /**
   * A staff user confirms a pending request (having checked who made it): the ticket goes to the
   * address typed in it. CONFLICT when it was decided, replaced or expired, or the member has an
   * account, an email or a card number in the registry meanwhile; NOT_FOUND when there is no such
   * request.
   */
  async confirmRequest(id: string, staffId: string, origin: RequestOrigin): Promise<void> {
    await this.d.db.transaction().execute(async (trx) => {
      const request = await this.d.repository.findRegistrationRequest(trx, id);
      if (!request) throw new AppError('NOT_FOUND');
      if (await this.d.repository.findAccountByRegistryMember(trx, request.registry_member_id))
        throw new AppError('CONFLICT');
      // The registry now holds an email or a card number: the member registers with that proof.
      const member = await this.d.repository.findRegistryMemberById(trx, request.registry_member_id);
      if (!member || member.email || member.card_number) throw new AppError('CONFLICT');
      const now = this.d.clock.now().toISOString();
      if (!(await this.d.repository.decideRegistrationRequest(trx, id, 'confirmed', staffId, now)))
        throw new AppError('CONFLICT');
      const locale: Locale = request.locale === 'en' ? 'en' : 'it';
      await this.sendTicket(trx, request.registry_member_id, request.email, locale, 'back_office');
      await this.d.audit.record(trx, origin, {
        event: 'registration_request_confirmed',
        outcome: 'success',
        actorType: 'staff',
        actorId: staffId,
        subjectId: request.registry_member_id,
        details: { requestId: id },
      });
    });
  }

  /** A staff user rejects a pending request: a polite email to the address typed, no ticket. */
  async rejectRequest(id: string, staffId: string, origin: RequestOrigin): Promise<void> {
    await this.d.db.transaction().execute(async (trx) => {
      const request = await this.d.repository.findRegistrationRequest(trx, id);
      if (!request) throw new AppError('NOT_FOUND');
      const now = this.d.clock.now().toISOString();
      if (!(await this.d.repository.decideRegistrationRequest(trx, id, 'rejected', staffId, now)))
        throw new AppError('CONFLICT');
      await this.d.outbox.enqueue(trx, {
        to: request.email,
        template: 'registration-rejected',
        locale: request.locale === 'en' ? 'en' : 'it',
        data: {},
      });
      await this.d.audit.record(trx, origin, {
        event: 'registration_request_rejected',
        outcome: 'success',
        actorType: 'staff',
        actorId: staffId,
        subjectId: request.registry_member_id,
        details: { requestId: id },
      });
    });
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
