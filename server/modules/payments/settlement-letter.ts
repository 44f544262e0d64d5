import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import { formatEuro } from '../plans/index.js';
import { adjustReasonText, reasonText } from './letter-words.js';
import { italianDate } from './payment-dates.js';

/** What a settlement letter says (lettera di liquidazione): one paid claim. */
export interface SettlementLetter {
  fundName: string;
  claimNumber: string;
  /** The person treated (the beneficiary). */
  memberName: string;
  accountHolder: string;
  /** `IT** **** … 4567`. */
  ibanMasked: string;
  categoryLabel: string;
  submittedOn: string;
  valueDate: string;
  paidCents: number;
  lines: {
    invoiceDate: string;
    invoiceNumber: string;
    issuerName: string;
    claimedCents: number;
    acceptedCents: number;
    reason: string | null;
    adjustReason: string | null;
  }[];
  /** When the claim was paid: the document's dates, so the same letter is the same file. */
  paidAt: Date;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const GREY = rgb(0.35, 0.35, 0.35);

/**
 * Text a standard PDF font can show (WinAnsi: Italian accents, €, ’ and … are in it): anything
 * else loses its accent, or becomes `?`. The standard fonts keep the text extractable.
 */
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

/** Words laid in lines no wider than `width`; a word wider than a line is cut. */
function wrap(font: PDFFont, size: number, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ').filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) <= width) {
      line = next;
      continue;
    }
    if (line) lines.push(line);
    let rest = word;
    while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}

/** A page being written top down, with a new page when the space runs out. */
class Writer {
  page: PDFPage;
  y = 0;

  constructor(
    private readonly doc: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.page = this.newPage();
  }

  private newPage(): PDFPage {
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN;
    return this.page;
  }

  /** Room for `height` points, or a new page. */
  need(height: number): void {
    if (this.y - height < MARGIN) this.newPage();
  }

  text(
    text: string,
    options: { size?: number; bold?: boolean; x?: number; width?: number; grey?: boolean; gap?: number } = {},
  ) {
    const size = options.size ?? 10;
    const font = options.bold ? this.bold : this.regular;
    const x = options.x ?? MARGIN;
    const width = options.width ?? A4[0] - MARGIN - x;
    for (const line of wrap(font, size, printable(font, text), width)) {
      this.need(size + 3);
      this.y -= size + 3;
      this.page.drawText(line, { x, y: this.y, size, font, ...(options.grey ? { color: GREY } : {}) });
    }
    this.y -= options.gap ?? 0;
  }

  /** Cells on one row: each its own x and width, right-aligned when asked; the row as tall as its tallest cell. */
  row(cells: { text: string; x: number; width: number; right?: boolean }[], size: number, bold = false) {
    const font = bold ? this.bold : this.regular;
    const wrapped = cells.map((c) => wrap(font, size, printable(font, c.text), c.width));
    const height = Math.max(...wrapped.map((w) => w.length)) * (size + 3);
    this.need(height);
    cells.forEach((cell, i) => {
      (wrapped[i] ?? []).forEach((line, n) => {
        const x = cell.right ? cell.x + cell.width - font.widthOfTextAtSize(line, size) : cell.x;
        this.page.drawText(line, { x, y: this.y - (n + 1) * (size + 3), size, font });
      });
    });
    this.y -= height;
  }

  rule(gap = 4): void {
    this.need(gap * 2);
    this.y -= gap;
    this.page.drawLine({
      start: { x: MARGIN, y: this.y },
      end: { x: A4[0] - MARGIN, y: this.y },
      thickness: 0.5,
      color: GREY,
    });
    this.y -= gap;
  }
}

/**
 * The settlement letter as a PDF (pdf-lib, standard Helvetica: text extractable, Italian accents
 * included): the fund, the member, the claim, each invoice with claimed, accepted and the member's
 * share and the reasons in words, the amount paid, the masked IBAN and the value date.
 */
export async function settlementLetterPdf(letter: SettlementLetter): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Lettera di liquidazione ${letter.claimNumber}`);
  doc.setAuthor(letter.fundName);
  doc.setSubject(`Pratica ${letter.claimNumber}`);
  doc.setCreator('OneCare');
  doc.setProducer('OneCare');
  doc.setLanguage('it-IT');
  doc.setCreationDate(letter.paidAt);
  doc.setModificationDate(letter.paidAt);
  const w = new Writer(
    doc,
    await doc.embedFont(StandardFonts.Helvetica),
    await doc.embedFont(StandardFonts.HelveticaBold),
  );
  const euro = formatEuro;
  const claimed = letter.lines.reduce((s, l) => s + l.claimedCents, 0);
  const accepted = letter.lines.reduce((s, l) => s + l.acceptedCents, 0);

  w.text(letter.fundName, { size: 14, bold: true, gap: 2 });
  w.text('Rimborso spese mediche', { size: 10, grey: true, gap: 18 });
  w.text('Lettera di liquidazione', { size: 16, bold: true, gap: 10 });
  w.text(`Pratica n. ${letter.claimNumber}`, { size: 11, bold: true, gap: 2 });
  w.text(`Assistito: ${letter.memberName}`, { size: 11 });
  w.text(`Categoria: ${letter.categoryLabel}`, { size: 11 });
  w.text(`Richiesta inviata il ${italianDate(letter.submittedOn)}`, { size: 11, gap: 12 });
  w.text(
    `Gentile ${letter.accountHolder}, la pratica è stata liquidata: le comunichiamo il dettaglio delle spese rimborsate e di quanto resta a suo carico.`,
    { size: 11, gap: 12 },
  );

  const x = MARGIN;
  const cols = {
    date: { x, width: 58 },
    number: { x: x + 62, width: 64 },
    issuer: { x: x + 130, width: 134 },
    claimed: { x: x + 268, width: 68 },
    accepted: { x: x + 340, width: 72 },
    share: { x: x + 416, width: 67 },
  };
  w.row(
    [
      { text: 'Data', ...cols.date },
      { text: 'Numero', ...cols.number },
      { text: 'Emessa da', ...cols.issuer },
      { text: 'Richiesto', ...cols.claimed, right: true },
      { text: 'Riconosciuto', ...cols.accepted, right: true },
      { text: 'A suo carico', ...cols.share, right: true },
    ],
    9,
    true,
  );
  w.rule(3);
  for (const line of letter.lines) {
    w.row(
      [
        { text: italianDate(line.invoiceDate), ...cols.date },
        { text: line.invoiceNumber, ...cols.number },
        { text: line.issuerName, ...cols.issuer },
        { text: euro(line.claimedCents), ...cols.claimed, right: true },
        { text: euro(line.acceptedCents), ...cols.accepted, right: true },
        { text: euro(line.claimedCents - line.acceptedCents), ...cols.share, right: true },
      ],
      9,
    );
    const reason = reasonText(line.reason);
    const adjusted = adjustReasonText(line.adjustReason);
    const why = [reason && `Motivo: ${reason}.`, adjusted && `Importo rivisto dall'operatore: ${adjusted}.`]
      .filter(Boolean)
      .join(' ');
    if (why) w.text(why, { size: 8.5, x: cols.number.x, grey: true });
    w.y -= 4;
  }
  w.rule(3);
  w.row(
    [
      { text: 'Totale', x, width: 260 },
      { text: euro(claimed), ...cols.claimed, right: true },
      { text: euro(accepted), ...cols.accepted, right: true },
      { text: euro(claimed - accepted), ...cols.share, right: true },
    ],
    9,
    true,
  );
  w.y -= 16;

  w.text(`Importo liquidato: ${euro(letter.paidCents)}`, { size: 12, bold: true, gap: 2 });
  w.text(`Bonifico a ${letter.accountHolder}, IBAN ${letter.ibanMasked}`, { size: 11 });
  w.text(`Data valuta: ${italianDate(letter.valueDate)}`, { size: 11, gap: 18 });
  w.text(
    'Per qualsiasi chiarimento può scrivere al fondo dalla pagina della pratica nell’area riservata OneCare.',
    { size: 9, grey: true },
  );
  return doc.save({ useObjectStreams: false });
}
