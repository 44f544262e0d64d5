import { describe, expect, it } from 'vitest';
import { readPain001, schemaProblems } from '../../../tests/helpers/pain001.js';
import { buildCreditTransferFile, type CreditTransferFile, italianDateTime } from './sepa-file.js';

const FUND = { name: 'Fondo Sanitario Àlfa', iban: 'IT60X0542811101000000123456', bic: 'BPPIITRRXXX' };

function file(over: Partial<CreditTransferFile> = {}): CreditTransferFile {
  return {
    messageId: 'OC-20261204-1A2B3C4D',
    createdAt: '2026-12-04T10:15:30',
    executionDate: '2026-12-07',
    debtor: FUND,
    transfers: [
      {
        endToEndId: 'RSM-2026-000001',
        creditorName: 'Niccolò Çelik',
        creditorIban: 'IT36A0301503200000003517230',
        amountCents: 7000,
        remittance: 'Rimborso pratica RSM-2026-000001',
      },
      {
        endToEndId: 'RSM-2026-000002',
        creditorName: 'Anna D’Angelo & Figli',
        creditorIban: 'DE89370400440532013000',
        amountCents: 3615,
        remittance: 'Rimborso pratica RSM-2026-000002 – è così',
      },
      {
        endToEndId: 'RSM-2026-000003',
        creditorName: 'Zoë Müller',
        creditorIban: 'FR1420041010050500013M02606',
        amountCents: 1,
        remittance: 'Rimborso pratica RSM-2026-000003',
      },
    ],
    ...over,
  };
}

describe('the SEPA credit transfer file (pain.001.001.03)', () => {
  it('[administrator] carries every field: the fund as debtor, one transfer per claim, exact counts and sums', () => {
    const xml = buildCreditTransferFile(file());
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(schemaProblems(xml)).toEqual([]);
    expect(readPain001(xml)).toEqual({
      namespace: 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03',
      messageId: 'OC-20261204-1A2B3C4D',
      createdAt: '2026-12-04T10:15:30',
      groupCount: '3',
      groupSum: '106.16',
      initiatorName: 'Fondo Sanitario Alfa',
      paymentInfoId: 'OC-20261204-1A2B3C4D.1',
      method: 'TRF',
      batchBooking: 'true',
      count: '3',
      sum: '106.16',
      serviceLevel: 'SEPA',
      executionDate: '2026-12-07',
      debtorName: 'Fondo Sanitario Alfa',
      debtorIban: 'IT60X0542811101000000123456',
      debtorBic: 'BPPIITRRXXX',
      chargeBearer: 'SLEV',
      transfers: [
        {
          instrId: '1',
          endToEndId: 'RSM-2026-000001',
          amount: '70.00',
          currency: 'EUR',
          creditorName: 'Niccolo Celik',
          creditorIban: 'IT36A0301503200000003517230',
          remittance: 'Rimborso pratica RSM-2026-000001',
        },
        {
          instrId: '2',
          endToEndId: 'RSM-2026-000002',
          amount: '36.15',
          currency: 'EUR',
          creditorName: "Anna D'Angelo + Figli",
          creditorIban: 'DE89370400440532013000',
          remittance: 'Rimborso pratica RSM-2026-000002 - e cosi',
        },
        {
          instrId: '3',
          endToEndId: 'RSM-2026-000003',
          amount: '0.01',
          currency: 'EUR',
          creditorName: 'Zoe Muller',
          creditorIban: 'FR1420041010050500013M02606',
          remittance: 'Rimborso pratica RSM-2026-000003',
        },
      ],
    });
  });

  it('sums amounts that floating point would not add exactly, over a full batch', () => {
    // 0.10 + 0.20 is not 0.30 in floating point; 2000 such transfers stay exact.
    const transfers = Array.from({ length: 2000 }, (_, i) => ({
      endToEndId: `RSM-2026-${String(i + 1).padStart(6, '0')}`,
      creditorName: 'Mario Rossi',
      creditorIban: 'IT60X0542811101000000123456',
      amountCents: i % 2 === 0 ? 10 : 20,
      remittance: `Rimborso pratica RSM-2026-${String(i + 1).padStart(6, '0')}`,
    }));
    transfers.push({ ...transfers[0], endToEndId: 'RSM-2026-999999', amountCents: 99_999_999_999 } as never);
    const xml = buildCreditTransferFile(file({ transfers }));
    const read = readPain001(xml);
    expect(read.groupCount).toBe('2001');
    expect(read.count).toBe('2001');
    expect(read.groupSum).toBe('1000000299.99');
    expect(read.sum).toBe('1000000299.99');
    expect(read.transfers.at(-2)?.instrId).toBe('2000');
    expect(schemaProblems(xml)).toEqual([]);
  });

  it('cuts names to 70 characters and the remittance text to 140, in the SEPA set', () => {
    const long = file({
      transfers: [
        {
          endToEndId: 'RSM-2026-000001',
          creditorName: `Maria Àssunta ${'Bianchi '.repeat(12)}`,
          creditorIban: 'IT60X0542811101000000123456',
          amountCents: 100,
          remittance: `Rimborso pratica RSM-2026-000001 ${'è'.repeat(200)}`,
        },
      ],
    });
    const read = readPain001(buildCreditTransferFile(long));
    expect(read.transfers[0]?.creditorName.length).toBeLessThanOrEqual(70);
    expect(read.transfers[0]?.creditorName.startsWith('Maria Assunta Bianchi')).toBe(true);
    expect(read.transfers[0]?.remittance).toHaveLength(140);
  });

  it('writes the same bytes for the same batch', () => {
    expect(buildCreditTransferFile(file())).toBe(buildCreditTransferFile(file()));
  });

  it('refuses an empty file or a MsgId that leaves no room for the payment block id', () => {
    expect(() => buildCreditTransferFile(file({ transfers: [] }))).toThrow(RangeError);
    expect(() => buildCreditTransferFile(file({ messageId: 'X'.repeat(34) }))).toThrow(RangeError);
  });

  it('dates the file with the wall-clock time in Italy, summer or winter', () => {
    expect(italianDateTime(new Date('2026-12-04T09:30:05.900Z'))).toBe('2026-12-04T10:30:05');
    expect(italianDateTime(new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02T00:00:00');
  });

  it('the schema check catches what a bank would refuse', () => {
    const xml = buildCreditTransferFile(file());
    expect(schemaProblems(xml.replace('<ChrgBr>SLEV</ChrgBr>', ''))).toEqual([]);
    expect(schemaProblems(xml.replace('<NbOfTxs>3</NbOfTxs>', '<NbOfTxs>three</NbOfTxs>'))).toEqual([
      '/Document/CstmrCdtTrfInitn/GrpHdr/NbOfTxs: "three" is not a valid NbOfTxs',
    ]);
    const swapped = xml.replace(
      /(<Cdtr>.*?<\/Cdtr>)(<CdtrAcct>.*?<\/CdtrAcct>)/,
      (_m, cdtr: string, acct: string) => acct + cdtr,
    );
    expect(schemaProblems(swapped)).toEqual([
      "/Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf: Cdtr is out of the schema's order",
    ]);
    expect(schemaProblems(xml.replace('Niccolo Celik', 'Niccolò Çelik'))).toEqual([
      '/Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf/Cdtr/Nm: "Niccolò Çelik" is outside the SEPA character set',
    ]);
  });
});
