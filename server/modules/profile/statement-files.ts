import { PDFDocument, type PDFFont, type PDFPage, StandardFonts } from 'pdf-lib';
import type { Locale } from '#contracts/errors.codes.js';
import type { StatementResponse } from '#contracts/profile.js';
import { csvLine } from '../../lib/csv.js';

const BOM = '\uFEFF';

/** Integer cents → `1234,56` (it) / `1234.56` (en), exactly, without floating point. */
export function plainEuros(cents: number, locale: Locale): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const text = `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return locale === 'it' ? text.replace('.', ',') : text;
}

/** `1.234,56 €` as the letters and the portal show amounts. */
export function euroText(cents: number): string {
  const abs = Math.abs(cents);
  const grouped = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${cents < 0 ? '-' : ''}${grouped},${String(abs % 100).padStart(2, '0')} €`;
}

/** `2026-05-20` → `20/05/2026`. */
export function dmy(iso: string | null): string {
  if (!iso) return '';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

const WORDS = {
  it: {
    title: 'Rendiconto annuale',
    intro:
      'Spese inviate al fondo e rimborsi ricevuti, per la dichiarazione dei redditi. La parte rimborsata dal fondo non è detraibile; la parte rimasta a carico può esserlo.',
    person: 'Persona',
    columns: ['Data', 'Pratica', 'Emittente', 'Importo', 'Rimborsato', 'Pagato il', 'A carico'],
    total: 'Totale',
    grandTotal: 'Totale nucleo',
    none: 'Nessuna spesa inviata in questo anno.',
  },
  en: {
    title: 'Yearly statement',
    intro:
      'Expenses sent to the fund and reimbursements received, for the tax return. The part reimbursed by the fund is not deductible; the part left to you may be.',
    person: 'Person',
    columns: ['Date', 'Claim', 'Issuer', 'Amount', 'Reimbursed', 'Paid on', 'Left to you'],
    total: 'Total',
    grandTotal: 'Family total',
    none: 'No expense sent in this year.',
  },
} as const;

/**
 * The statement as CSV, the project's way (decision 042): UTF-8 with a BOM, semicolons, cells
 * quoted and guarded, CRLF; stable column codes; amounts with the language's decimal separator.
 */
export function statementCsv(statement: StatementResponse, locale: Locale): string {
  const header = [
    'person',
    'codice_fiscale',
    'invoice_date',
    'claim_number',
    'invoice_number',
    'issuer',
    'amount_eur',
    'reimbursed_eur',
    'paid_on',
    'left_eur',
  ];
  const rows = statement.persons.flatMap((p) => [
    ...p.lines.map((l) => [
      p.name,
      p.codiceFiscale,
      l.invoiceDate,
      l.claimNumber,
      l.invoiceNumber,
      l.issuer,
      plainEuros(l.amountCents, locale),
      plainEuros(l.reimbursedCents, locale),
      l.paidOn ?? '',
      plainEuros(l.leftCents, locale),
    ]),
    [
      p.name,
      p.codiceFiscale,
      'TOTAL',
      '',
      '',
      '',
      plainEuros(p.totals.amountCents, locale),
      plainEuros(p.totals.reimbursedCents, locale),
      '',
      plainEuros(p.totals.leftCents, locale),
    ],
  ]);
  return BOM + csvLine(header) + rows.map((r) => csvLine(r)).join('');
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;

function printable(font: PDFFont, text: string): string {
  const known = new Set(font.getCharacterSet());
  return [...text.replace(/[\r\n\t]+/g, ' ')]
    .map((c) => {
      if (known.has(c.codePointAt(0) ?? 0)) return c;
      const base = c.normalize('NFD').replace(/\p{M}/gu, '');
      return base.length > 0 && [...base].every((b) => known.has(b.codePointAt(0) ?? 0)) ? base : '?';
    })
    .join('');
}

/** The statement as a PDF (pdf-lib, standard fonts: the text stays extractable). */
export async function statementPdf(
  statement: StatementResponse,
  locale: Locale,
  fundName: string,
  at: Date,
): Promise<Uint8Array> {
  const w = WORDS[locale];
  const doc = await PDFDocument.create();
  doc.setTitle(`${w.title} ${statement.year}`);
  doc.setProducer('OneCare');
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page: PDFPage = doc.addPage(A4);
  let y = A4[1] - MARGIN;
  const need = (h: number) => {
    if (y - h < MARGIN) {
      page = doc.addPage(A4);
      y = A4[1] - MARGIN;
    }
  };
  const text = (t: string, x: number, size = 9, isBold = false, right?: number) => {
    const font = isBold ? bold : regular;
    let s = printable(font, t);
    const limit = right !== undefined ? right - x : A4[0] - MARGIN - x;
    while (s.length > 1 && font.widthOfTextAtSize(s, size) > limit) s = s.slice(0, -1);
    const dx = right !== undefined ? right - font.widthOfTextAtSize(s, size) : x;
    page.drawText(s, { x: dx, y, size, font });
  };
  const para = (t: string, size: number, isBold = false) => {
    const font = isBold ? bold : regular;
    const words = printable(font, t).split(' ');
    let line = '';
    for (const word of words) {
      const next = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(next, size) > A4[0] - 2 * MARGIN) {
        need(size + 4);
        y -= size + 4;
        page.drawText(line, { x: MARGIN, y, size, font });
        line = word;
      } else line = next;
    }
    need(size + 4);
    y -= size + 4;
    page.drawText(line, { x: MARGIN, y, size, font });
  };
  // Columns: date, claim, issuer, amount, reimbursed, paid on, left (amounts right-aligned).
  const X = [MARGIN, 100, 170, 330, 395, 410, 475, A4[0] - MARGIN];
  const row = (cells: string[], isBold = false) => {
    need(13);
    y -= 13;
    text(cells[0] ?? '', X[0] as number, 8, isBold);
    text(cells[1] ?? '', X[1] as number, 8, isBold);
    text(cells[2] ?? '', X[2] as number, 8, isBold, 280);
    text(cells[3] ?? '', 285, 8, isBold, 340);
    text(cells[4] ?? '', 345, 8, isBold, 405);
    text(cells[5] ?? '', 415, 8, isBold);
    text(cells[6] ?? '', 470, 8, isBold, A4[0] - MARGIN);
  };
  para(fundName, 10, true);
  para(`${w.title} ${statement.year}`, 16, true);
  y -= 4;
  para(w.intro, 9);
  for (const person of statement.persons) {
    y -= 10;
    para(`${w.person}: ${person.name} (${person.codiceFiscale})`, 11, true);
    if (person.lines.length === 0) {
      para(w.none, 9);
      continue;
    }
    row([...w.columns], true);
    for (const l of person.lines)
      row([
        dmy(l.invoiceDate),
        l.claimNumber,
        l.issuer,
        euroText(l.amountCents),
        euroText(l.reimbursedCents),
        dmy(l.paidOn),
        euroText(l.leftCents),
      ]);
    row(
      [
        w.total,
        '',
        '',
        euroText(person.totals.amountCents),
        euroText(person.totals.reimbursedCents),
        '',
        euroText(person.totals.leftCents),
      ],
      true,
    );
  }
  y -= 10;
  row(
    [
      w.grandTotal,
      '',
      '',
      euroText(statement.totals.amountCents),
      euroText(statement.totals.reimbursedCents),
      '',
      euroText(statement.totals.leftCents),
    ],
    true,
  );
  return doc.save();
}
