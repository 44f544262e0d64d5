import type { ClaimState, DocumentKind } from '#contracts/claims.codes.js';
import type { Db } from '../../db/database.js';

/** A covered person as the member's own records show them. */
export interface PersonRecord {
  id: string;
  givenName: string;
  surname: string;
  codiceFiscale: string;
  birthDate: string;
  role: string;
  holderCf: string | null;
  planId: string;
  coverageStart: string;
  coverageEnd: string | null;
}

export interface InvoiceRecord {
  id: string;
  invoiceDate: string;
  invoiceNumber: string;
  issuerName: string;
  issuerTaxId: string | null;
  channel: string;
  amountCents: number;
  acceptedCents: number | null;
  paidCents: number | null;
  reason: string | null;
}

export interface DocumentRecord {
  id: string;
  kind: DocumentKind;
  fileName: string;
  mediaType: string;
  bytes: number;
  uploadedAt: string;
  storageKey: string;
}

export interface ClaimRecord {
  id: string;
  number: string | null;
  beneficiaryId: string | null;
  accountId: string;
  category: string | null;
  state: ClaimState;
  iban: string | null;
  accountHolder: string | null;
  submittedAt: string | null;
  decidedAt: string | null;
  claimedCents: number;
  acceptedCents: number | null;
  paidCents: number | null;
  paidOn: string | null;
  invoices: InvoiceRecord[];
  documents: DocumentRecord[];
  events: { at: string; from: ClaimState | null; to: ClaimState; actor: string; reason: string | null }[];
}

export interface MemberRecords {
  persons: PersonRecord[];
  claims: ClaimRecord[];
}

/**
 * Everything the claims tables hold about a person or a family: the member's statement and data
 * export, and the FHIR export for the fund's other systems, read it here (decisions 050, 051).
 * Drafts are left out (not sent); only the people given and the claims about them come back.
 */
export async function claimRecords(
  db: Db,
  persons: PersonRecord[],
  where: { familyId?: string; accountId?: string },
): Promise<ClaimRecords> {
  const ids = persons.map((p) => p.id);
  if (ids.length === 0) return { persons, claims: [] };
  let q = db.selectFrom('claims').selectAll().where('state', '!=', 'draft');
  q = q.where((eb) =>
    where.accountId
      ? eb.or([eb('beneficiary_id', 'in', ids), eb('account_id', '=', where.accountId)])
      : eb('beneficiary_id', 'in', ids),
  );
  if (where.familyId) q = q.where('family_id', '=', where.familyId);
  const claims = await q.orderBy('submitted_at').orderBy('id').execute();
  const claimIds = claims.map((c) => c.id);
  const [invoices, documents, events] =
    claimIds.length === 0
      ? [[], [], []]
      : await Promise.all([
          db
            .selectFrom('claim_invoices')
            .selectAll()
            .where('claim_id', 'in', claimIds)
            .orderBy('claim_id')
            .orderBy('position')
            .execute(),
          db
            .selectFrom('claim_documents')
            .selectAll()
            .where('claim_id', 'in', claimIds)
            .where('sent', '=', 1)
            .orderBy('uploaded_at')
            .execute(),
          db
            .selectFrom('claim_events')
            .selectAll()
            .where('claim_id', 'in', claimIds)
            .orderBy('claim_id')
            .orderBy('seq')
            .execute(),
        ]);
  return {
    persons,
    claims: claims.map((c) => ({
      id: c.id,
      number: c.number,
      beneficiaryId: c.beneficiary_id,
      accountId: c.account_id,
      category: c.category,
      state: c.state,
      iban: c.iban,
      accountHolder: c.account_holder,
      submittedAt: c.submitted_at,
      decidedAt: c.decided_at,
      claimedCents: Number(c.claimed_cents),
      acceptedCents: c.accepted_cents === null ? null : Number(c.accepted_cents),
      paidCents: c.paid_cents === null ? null : Number(c.paid_cents),
      paidOn: c.paid_on,
      invoices: invoices
        .filter((i) => i.claim_id === c.id)
        .map((i) => ({
          id: i.id,
          invoiceDate: i.invoice_date,
          invoiceNumber: i.invoice_number,
          issuerName: i.issuer_name,
          issuerTaxId: i.issuer_tax_id,
          channel: i.channel,
          amountCents: Number(i.amount_cents),
          acceptedCents: i.accepted_cents === null ? null : Number(i.accepted_cents),
          paidCents: i.paid_cents === null ? null : Number(i.paid_cents),
          reason: i.reason,
        })),
      documents: documents
        .filter((d) => d.claim_id === c.id)
        .map((d) => ({
          id: d.id,
          kind: d.kind,
          fileName: d.file_name,
          mediaType: d.media_type,
          bytes: Number(d.bytes),
          uploadedAt: d.uploaded_at,
          storageKey: d.storage_key,
        })),
      events: events
        .filter((e) => e.claim_id === c.id)
        .map((e) => ({
          at: e.at,
          from: e.from_state,
          to: e.to_state,
          actor: e.actor_kind,
          reason: e.reason_code,
        })),
    })),
  };
}
type ClaimRecords = MemberRecords;
