import { PDFDocument, type PDFFont, rgb, StandardFonts } from 'pdf-lib';
import QRCode from 'qrcode';
import { formatEuro } from '../plans/index.js';

/** What the voucher (the member's proof of authorisation) shows. */
export interface Voucher {
  number: string;
  code: string;
  beneficiary: string;
  service: string;
  facilityName: string;
  facilityAddress: string;
  /** `dd/mm/yyyy` and `HH:MM`, Rome. */
  date: string;
  time: string;
  expectedShareCents: number | null;
  /** The public page where the facility checks the code. */
  checkUrl: string;
  locale: 'it' | 'en';
}

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

/** The voucher as a one-page A4 PDF: the code, its QR code, who, what, where, when, the share. */
export async function voucherPdf(v: Voucher): Promise<Uint8Array> {
  const it = v.locale === 'it';
  const pdf = await PDFDocument.create();
  pdf.setTitle(it ? `Voucher prenotazione ${v.number}` : `Booking voucher ${v.number}`);
  pdf.setProducer('OneCare');
  pdf.setCreationDate(new Date(0));
  pdf.setModificationDate(new Date(0));
  const page = pdf.addPage([595.28, 841.89]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let y = 780;
  const line = (text: string, size = 11, f = font) => {
    page.drawText(printable(f, text), { x: 56, y, size, font: f, color: rgb(0.1, 0.1, 0.1) });
    y -= size + 9;
  };
  line('OneCare', 20, bold);
  line(it ? 'Voucher di prenotazione in forma diretta' : 'Direct booking voucher', 14, bold);
  y -= 8;
  line(`${it ? 'Prenotazione n.' : 'Booking no.'} ${v.number}`);
  line(`${it ? 'Codice di autorizzazione' : 'Authorisation code'}: ${v.code}`, 16, bold);
  y -= 4;
  line(`${it ? 'Assistito' : 'Member'}: ${v.beneficiary}`);
  line(`${it ? 'Prestazione' : 'Service'}: ${v.service}`);
  line(`${it ? 'Struttura' : 'Facility'}: ${v.facilityName}`);
  line(`${it ? 'Indirizzo' : 'Address'}: ${v.facilityAddress}`);
  line(`${it ? 'Data e ora' : 'Date and time'}: ${v.date} ${v.time}`);
  if (v.expectedShareCents !== null)
    line(
      `${it ? 'Quota prevista a carico dell’assistito' : 'Expected member share'}: ${formatEuro(v.expectedShareCents)}`,
    );
  y -= 10;
  line(
    it
      ? 'Presenta questo voucher alla struttura. La struttura può verificare il codice su:'
      : 'Show this voucher at the facility. The facility can check the code at:',
    10,
  );
  line(v.checkUrl, 10);
  const png = await QRCode.toBuffer(v.code, {
    type: 'png',
    margin: 1,
    width: 240,
    errorCorrectionLevel: 'M',
  });
  const image = await pdf.embedPng(png);
  page.drawImage(image, { x: 56, y: y - 180, width: 170, height: 170 });
  return pdf.save();
}
