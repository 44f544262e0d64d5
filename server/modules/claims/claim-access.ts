import type { FastifyBaseLogger } from 'fastify';
import {
  CLAIM_ADJUST_REASONS,
  type ClaimAdjustReason,
  DOCUMENT_KINDS,
  type DocumentKind,
} from '#contracts/claims.codes.js';
import type { ClaimDocument, ClaimInvoice, DraftInvoice } from '#contracts/claims.js';
import type { CategoryCode, Channel } from '#contracts/plans.codes.js';
import type { PlanRules } from '#contracts/plans.js';
import type { AppConfig } from '../../config/config.js';
import type { Db, Dialect } from '../../db/database.js';
import type { Outbox } from '../../email/outbox.service.js';
import { AppError } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import { italianToday } from '../../lib/text.js';
import type { DocumentStore } from '../../plugins/document-store/index.js';
import type { MemberAccount } from '../members/index.js';
import { conflict } from './claim-messages.js';
import { ClaimsRepository } from './claims.repository.js';
import type { ClaimDocumentRow, ClaimEventRow, ClaimRow } from './claims.table.js';

/** Documents are kept in this folder of the store. */
export const CLAIM_DOCUMENT_FOLDER = 'claims';

export interface ClaimsDeps {
  log: Pick<FastifyBaseLogger, 'error'>;
  db: Db;
  dialect: Dialect;
  clock: Clock;
  outbox: Outbox;
  documents: DocumentStore;
  config: Pick<
    AppConfig,
    'claimDecisionDays' | 'claimIntegrationExpiryDays' | 'claimFourEyesCents' | 'claimAutoSampleBasisPoints'
  >;
}

export type RegistryRow = NonNullable<Awaited<ReturnType<ClaimsRepository['registryMember']>>>;

/** Who asks, and what of the family they may see (decision 033). */
export interface MemberScope {
  account: MemberAccount;
  self: RegistryRow;
  familyId: string;
  family: RegistryRow[];
  /** The persons whose claims the member sees and may claim for: all the family for the holder, else themselves. */
  persons: RegistryRow[];
}

export interface Plan {
  id: string;
  code: string;
  version: number;
  rules: PlanRules;
}

export interface StoredDraft {
  beneficiaryId: string | null;
  category: CategoryCode | null;
  invoices: DraftInvoice[];
  iban: string | null;
  accountHolder: string | null;
}

export interface CompleteInvoice {
  id: string;
  invoiceDate: string;
  invoiceNumber: string;
  issuerName: string;
  issuerTaxId: string | null;
  amountCents: number;
  channel: Channel;
  facilityId: string | null;
}

export const EMPTY_DRAFT: StoredDraft = {
  beneficiaryId: null,
  category: null,
  invoices: [],
  iban: null,
  accountHolder: null,
};

export function notFound(): AppError {
  return new AppError('NOT_FOUND');
}

export function parseDraft(row: ClaimRow): StoredDraft {
  if (!row.draft) return { ...EMPTY_DRAFT };
  return { ...EMPTY_DRAFT, ...(JSON.parse(row.draft) as Partial<StoredDraft>) };
}

export function documentView(d: ClaimDocumentRow): ClaimDocument {
  return {
    id: d.id,
    kind: d.kind,
    fileName: d.file_name,
    mediaType: d.media_type,
    bytes: d.bytes,
    uploadedAt: d.uploaded_at,
    phase: d.phase,
    sent: d.sent === 1,
  };
}

type InvoiceRow = Awaited<ReturnType<ClaimsRepository['invoices']>>[number];

/** An invoice line as the member and the back office see it. */
export function invoiceView(i: InvoiceRow): ClaimInvoice {
  return {
    id: i.id,
    invoiceDate: i.invoice_date,
    invoiceNumber: i.invoice_number,
    issuerName: i.issuer_name,
    issuerTaxId: i.issuer_tax_id,
    channel: i.channel,
    facility: i.facility_id ? { id: i.facility_id, name: i.facility_name ?? '' } : null,
    amountCents: i.amount_cents,
    estimatedCents: i.estimated_cents,
    acceptedCents: i.accepted_cents,
    paidCents: i.paid_cents,
    reason: i.reason,
    explanation: JSON.parse(i.explanation) as { it: string[]; en: string[] },
    probableDuplicate: i.probable_duplicate === 1,
    adjustReason: isAdjustReason(i.adjust_reason) ? i.adjust_reason : null,
  };
}

const isAdjustReason = (code: string | null): code is ClaimAdjustReason =>
  code !== null && (CLAIM_ADJUST_REASONS as readonly string[]).includes(code);

const isDocumentKind = (code: unknown): code is DocumentKind =>
  typeof code === 'string' && (DOCUMENT_KINDS as readonly string[]).includes(code);

/** The documents a request for documents asked for (the event's params). */
export function eventItems(event: ClaimEventRow): DocumentKind[] {
  if (!event.params) return [];
  const items = (JSON.parse(event.params) as { items?: unknown }).items;
  return Array.isArray(items) ? items.filter(isDocumentKind) : [];
}

/**
 * What the claims services share: who asks and what of the family they see, their plan, today,
 * and which claim they may touch (their own draft, or a sent claim they may see).
 */
export class ClaimAccess {
  readonly repo: ClaimsRepository;

  constructor(private readonly d: Pick<ClaimsDeps, 'db' | 'dialect' | 'clock'>) {
    this.repo = new ClaimsRepository(d.dialect);
  }

  today(): string {
    return italianToday(this.d.clock.now());
  }

  async scope(account: MemberAccount): Promise<MemberScope> {
    // The member and the family in one query (the member is always part of their family unit).
    const family = await this.repo.familyOfMember(this.d.db, account.registry_member_id);
    const self = family.find((p) => p.id === account.registry_member_id);
    if (!self) throw notFound();
    const holderCf = self.holder_cf ?? self.codice_fiscale;
    const holder = family.find((p) => p.codice_fiscale === holderCf);
    const familyId = holder?.id ?? self.id;
    const isHolder = self.holder_cf === null;
    const persons = isHolder ? family : family.filter((p) => p.id === self.id);
    return { account, self, familyId, family, persons };
  }

  async plan(scope: MemberScope): Promise<Plan> {
    const row = await this.repo.planWithRules(this.d.db, scope.self.plan_id);
    if (!row) throw new AppError('CONFLICT', [conflict('no_plan', 'plan')]);
    return {
      id: row.id,
      code: row.code,
      version: Number(row.version),
      rules: JSON.parse(row.rules) as PlanRules,
    };
  }

  async ownDraft(account: MemberAccount, id: string): Promise<ClaimRow> {
    const row = await this.repo.findClaim(this.d.db, id);
    if (!row || row.account_id !== account.id || row.state !== 'draft') throw notFound();
    return row;
  }

  /** A sent claim the member may see (their own, or of a person they see), else NOT_FOUND. */
  async visibleClaim(account: MemberAccount, id: string): Promise<{ claim: ClaimRow; scope: MemberScope }> {
    const claim = await this.repo.findClaim(this.d.db, id);
    if (!claim || claim.state === 'draft') throw notFound();
    const scope = await this.scope(account);
    if (claim.family_id !== scope.familyId) throw notFound();
    const seen = claim.account_id === account.id || scope.persons.some((p) => p.id === claim.beneficiary_id);
    if (!seen) throw notFound();
    return { claim, scope };
  }
}
