import { describe, expect, it } from 'vitest';
import type { ClaimRecord, MemberRecords } from '../claims/index.js';
import { buildStatement, statementYears } from './statement.js';
import { statementCsv } from './statement-files.js';

const person = (id: string, givenName: string) => ({
  id,
  givenName,
  surname: 'Rossi',
  codiceFiscale: `CF${id}`,
  birthDate: '1980-01-01',
  role: 'titolare',
  holderCf: null,
  planId: 'p',
  coverageStart: '2020-01-01',
  coverageEnd: null,
});

function claim(over: Partial<ClaimRecord>): ClaimRecord {
  return {
    id: 'c',
    number: 'RSM-2025-1',
    beneficiaryId: 'a',
    accountId: 'acc',
    category: 'visite_specialistiche',
    state: 'paid',
    iban: null,
    accountHolder: null,
    submittedAt: '2025-03-01T09:00:00.000Z',
    decidedAt: null,
    claimedCents: 0,
    acceptedCents: null,
    paidCents: null,
    paidOn: '2025-04-02',
    invoices: [],
    documents: [],
    events: [],
    ...over,
  };
}

const invoice = (invoiceDate: string, amountCents: number, paidCents: number | null) => ({
  id: `${invoiceDate}-${amountCents}`,
  invoiceDate,
  invoiceNumber: 'FT-1',
  issuerName: 'Studio',
  issuerTaxId: null,
  channel: 'out_of_network',
  amountCents,
  acceptedCents: paidCents,
  paidCents,
  reason: null,
});

describe('the yearly statement', () => {
  const records: MemberRecords = {
    persons: [person('a', 'Anna'), person('b', 'Bruno')],
    claims: [
      claim({
        id: '1',
        invoices: [invoice('2025-02-10', 12_345, 6_001), invoice('2025-02-11', 8_001, 3_333)],
      }),
      // Not paid yet: the whole amount stays with the member.
      claim({
        id: '2',
        number: 'RSM-2025-2',
        beneficiaryId: 'b',
        state: 'in_review',
        paidOn: null,
        invoices: [invoice('2025-05-01', 999, null)],
      }),
      // Another year: not in 2025's statement.
      claim({ id: '3', number: 'RSM-2024-9', invoices: [invoice('2024-12-31', 5_000, 5_000)] }),
    ],
  };

  it('[member] per person: amount, reimbursed (when paid) and left, in cents that add up', () => {
    const s = buildStatement(records, 2025, [2025, 2024]);
    expect(s.persons[0]?.totals).toEqual({ amountCents: 20_346, reimbursedCents: 9_334, leftCents: 11_012 });
    expect(s.persons[0]?.lines[0]).toMatchObject({ paidOn: '2025-04-02', leftCents: 6_344 });
    expect(s.persons[1]?.totals).toEqual({ amountCents: 999, reimbursedCents: 0, leftCents: 999 });
    expect(s.totals).toEqual({ amountCents: 21_345, reimbursedCents: 9_334, leftCents: 12_011 });
    for (const p of s.persons)
      expect(p.totals.amountCents).toBe(p.totals.reimbursedCents + p.totals.leftCents);
  });

  it('[member] the years go from the first invoice to this year, not before the first allowed', () => {
    expect(statementYears(records, 2026, 2020)).toEqual([2026, 2025, 2024]);
    expect(statementYears(records, 2026, 2025)).toEqual([2026, 2025]);
  });

  it('[member] the CSV: BOM, semicolons, Italian decimals, a total row per person', () => {
    const csv = statementCsv(buildStatement(records, 2025, [2025]), 'it');
    expect(csv.startsWith('\uFEFF"person";')).toBe(true);
    expect(csv).toContain('"Anna Rossi";"CFa";"TOTAL";"";"";"";"203,46";"93,34";"";"110,12"\r\n');
  });
});
