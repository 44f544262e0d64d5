import type { CategoryCode } from '#contracts/plans.codes.js';
import type { Db } from '../../db/database.js';
import { newId } from '../../lib/ids.js';
import type { MemberAccount } from '../members/index.js';
import { assessClaim } from '../plans/index.js';
import type { ClaimAccess, ClaimsDeps } from './claim-access.js';
import { addDays } from './claim-dates.js';
import { familyUsage } from './claim-usage.js';
import type { ClaimsRepository } from './claims.repository.js';

/** Who a member may book for, their family and plan: what the bookings module asks the claims module. */
export interface BookingScope {
  accountId: string;
  email: string;
  locale: 'it' | 'en';
  familyId: string;
  persons: { id: string; givenName: string; surname: string; codiceFiscale: string }[];
  plan: { id: string; code: string; version: number; rules: import('#contracts/plans.js').PlanRules };
}

export interface NetworkEstimateInput {
  familyId: string;
  beneficiaryId: string;
  rules: import('#contracts/plans.js').PlanRules;
  category: CategoryCode;
  amountCents: number;
  hasPrescription: boolean;
  /** The day of the service (YYYY-MM-DD). */
  on: string;
}

export interface NetworkEstimate {
  acceptedCents: number;
  memberShareCents: number;
  explanation: { it: string[]; en: string[] };
}

/** A performed booking's invoice, as the direct claim records it (decision 047). */
export interface DirectClaimInput {
  bookingId: string;
  accountId: string;
  familyId: string;
  beneficiaryId: string;
  plan: { id: string; code: string; version: number };
  category: CategoryCode;
  facility: { id: string; name: string; iban: string };
  invoiceNumber: string;
  invoiceDate: string;
  amountCents: number;
  /** Stored keys of the booking's prescriptions: the claim refers to the same documents. */
  prescriptions: {
    storageKey: string;
    fileName: string;
    mediaType: 'application/pdf' | 'image/jpeg' | 'image/png';
    bytes: number;
    sha256: string;
  }[];
}

/**
 * Direct claims (forma diretta): the fund pays the facility the accepted amount, the member pays
 * only their share. A direct claim is created sent, by the system, from a performed booking; from
 * there it follows the one state machine of every claim (decision 047).
 */
export class ClaimDirectService {
  private readonly repo: ClaimsRepository;

  constructor(
    private readonly d: Pick<ClaimsDeps, 'db' | 'clock' | 'config'>,
    private readonly access: ClaimAccess,
  ) {
    this.repo = access.repo;
  }

  async scope(account: MemberAccount): Promise<BookingScope> {
    const scope = await this.access.scope(account);
    const plan = await this.access.plan(scope);
    return {
      accountId: account.id,
      email: account.email,
      locale: account.locale === 'en' ? 'en' : 'it',
      familyId: scope.familyId,
      persons: scope.persons.map((p) => ({
        id: p.id,
        givenName: p.given_name,
        surname: p.surname,
        codiceFiscale: p.codice_fiscale,
      })),
      plan,
    };
  }

  /** The rules engine on one network line, against what the family used so far in the plan year. */
  async estimateNetwork(input: NetworkEstimateInput, db: Db = this.d.db): Promise<NetworkEstimate> {
    const usage = familyUsage(
      input.familyId,
      input.rules.year,
      await this.repo.usageLines(db, input.familyId),
    );
    const assessment = assessClaim(
      input.rules,
      {
        beneficiaryId: input.beneficiaryId,
        familyId: input.familyId,
        submittedOn: input.on,
        lines: [
          {
            id: 'booking',
            category: input.category,
            channel: 'network',
            invoiceDate: input.on,
            amountCents: input.amountCents,
            hasPrescription: input.hasPrescription,
          },
        ],
      },
      usage,
    );
    const line = assessment.lines[0];
    return {
      acceptedCents: line?.acceptedCents ?? 0,
      memberShareCents: line?.memberShareCents ?? input.amountCents,
      explanation: line?.explanation ?? { it: [], en: [] },
    };
  }

  /**
   * Creates the direct claim of a performed booking, in the caller's transaction: number, one
   * invoice line (channel network, the facility), the prescriptions, the first event (system,
   * `booking_performed`). Payee: the facility, with its IBAN. Returns its id, number and the
   * member's share as the engine judges it now.
   */
  async createDirect(trx: Db, input: DirectClaimInput) {
    const now = this.d.clock.now();
    const today = this.access.today();
    const year = Number(today.slice(0, 4));
    const number = `RSM-${year}-${String(await this.repo.nextNumber(trx, year)).padStart(6, '0')}`;
    const plan = await this.repo.planWithRules(trx, input.plan.id);
    const rules = plan ? (JSON.parse(plan.rules) as import('#contracts/plans.js').PlanRules) : null;
    const estimate = rules
      ? await this.estimateNetwork(
          {
            familyId: input.familyId,
            beneficiaryId: input.beneficiaryId,
            rules,
            category: input.category,
            amountCents: input.amountCents,
            hasPrescription: input.prescriptions.length > 0,
            on: input.invoiceDate,
          },
          trx,
        )
      : { acceptedCents: 0, memberShareCents: input.amountCents, explanation: { it: [], en: [] } };
    const id = newId(now.getTime());
    await this.repo.insertClaim(trx, {
      id,
      number,
      account_id: input.accountId,
      family_id: input.familyId,
      beneficiary_id: input.beneficiaryId,
      plan_id: input.plan.id,
      plan_code: input.plan.code,
      plan_version: input.plan.version,
      category: input.category,
      state: 'submitted',
      kind: 'direct',
      booking_id: input.bookingId,
      iban: input.facility.iban,
      account_holder: input.facility.name,
      idempotency_key: `booking:${input.bookingId}`,
      submitted_at: now.toISOString(),
      expected_decision_on: addDays(today, this.d.config.claimDecisionDays),
      claimed_cents: input.amountCents,
      estimated_cents: estimate.acceptedCents,
      accepted_cents: null,
      paid_cents: null,
      last_reminder_at: null,
      draft: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    });
    await this.repo.insertInvoices(trx, [
      {
        id: newId(now.getTime()),
        claim_id: id,
        position: 0,
        invoice_date: input.invoiceDate,
        invoice_number: input.invoiceNumber,
        issuer_name: input.facility.name,
        issuer_tax_id: null,
        amount_cents: input.amountCents,
        channel: 'network',
        facility_id: input.facility.id,
        estimated_cents: estimate.acceptedCents,
        accepted_cents: null,
        paid_cents: null,
        reason: null,
        explanation: JSON.stringify(estimate.explanation),
        probable_duplicate: 0,
      },
    ]);
    for (const p of input.prescriptions) {
      await this.repo.insertDocument(trx, {
        id: newId(now.getTime()),
        claim_id: id,
        storage_key: p.storageKey,
        kind: 'prescrizione',
        file_name: p.fileName,
        media_type: p.mediaType,
        bytes: p.bytes,
        sha256: p.sha256,
        phase: 'initial',
        sent: 1,
        uploaded_at: now.toISOString(),
      });
    }
    await this.repo.insertEvent(trx, {
      id: newId(now.getTime()),
      claim_id: id,
      at: now.toISOString(),
      from_state: null,
      to_state: 'submitted',
      actor_kind: 'system',
      actor_id: null,
      reason_code: 'booking_performed',
      note: null,
    });
    return { id, number, memberShareCents: estimate.memberShareCents, acceptedCents: estimate.acceptedCents };
  }

  /** A claim's number, state and the member's share (accepted when decided, else estimated). */
  async summary(db: Db, claimId: string) {
    const claim = await this.repo.findClaim(db, claimId);
    if (!claim?.number) return null;
    const accepted = claim.accepted_cents ?? claim.estimated_cents;
    return {
      id: claim.id,
      number: claim.number,
      state: claim.state,
      memberShareCents: Math.max(0, claim.claimed_cents - accepted),
    };
  }
}
