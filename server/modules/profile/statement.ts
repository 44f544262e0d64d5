import type {
  StatementLine,
  StatementPerson,
  StatementResponse,
  StatementTotals,
} from '#contracts/profile.js';
import type { MemberRecords } from '../claims/index.js';

/**
 * The yearly statement (Rendiconto annuale, decision 051), a pure function of the member's
 * records. An expense belongs to the year of its invoice date (the year of the tax return that
 * claims it); every sent claim counts, whatever its outcome, since the member paid the invoice.
 * Reimbursed: what the fund paid on that invoice line, with the claim's payment date; nothing
 * while the claim is not paid. Left to the member: amount − reimbursed, the part that may be
 * deductible. Integer cents throughout, so the totals match the claims to the cent.
 */
export function buildStatement(records: MemberRecords, year: number, years: number[]): StatementResponse {
  const prefix = `${year}-`;
  const persons: StatementPerson[] = records.persons.map((person) => {
    const lines: StatementLine[] = [];
    for (const claim of records.claims) {
      if (claim.beneficiaryId !== person.id || claim.state === 'draft') continue;
      for (const invoice of claim.invoices) {
        if (!invoice.invoiceDate.startsWith(prefix)) continue;
        const reimbursed = claim.state === 'paid' && claim.paidOn ? (invoice.paidCents ?? 0) : 0;
        lines.push({
          claimNumber: claim.number ?? '',
          invoiceDate: invoice.invoiceDate,
          invoiceNumber: invoice.invoiceNumber,
          issuer: invoice.issuerName,
          amountCents: invoice.amountCents,
          reimbursedCents: reimbursed,
          paidOn: reimbursed > 0 ? claim.paidOn : null,
          leftCents: invoice.amountCents - reimbursed,
        });
      }
    }
    lines.sort(
      (a, b) => a.invoiceDate.localeCompare(b.invoiceDate) || a.claimNumber.localeCompare(b.claimNumber),
    );
    return {
      id: person.id,
      name: `${person.givenName} ${person.surname}`,
      codiceFiscale: person.codiceFiscale,
      lines,
      totals: sum(lines),
    };
  });
  return { year, years, persons, totals: sum(persons.map((p) => p.totals)) };
}

export function sum(items: StatementTotals[]): StatementTotals {
  return items.reduce(
    (t, l) => ({
      amountCents: t.amountCents + l.amountCents,
      reimbursedCents: t.reimbursedCents + l.reimbursedCents,
      leftCents: t.leftCents + l.leftCents,
    }),
    { amountCents: 0, reimbursedCents: 0, leftCents: 0 },
  );
}

/** The years a statement can be asked for: from the first claim's year (at most back to `first`) to now. */
export function statementYears(records: MemberRecords, currentYear: number, first: number): number[] {
  let from = currentYear;
  for (const c of records.claims)
    for (const i of c.invoices) from = Math.min(from, Number(i.invoiceDate.slice(0, 4)));
  from = Math.max(from, first);
  const years: number[] = [];
  for (let y = currentYear; y >= from; y--) years.push(y);
  return years;
}
