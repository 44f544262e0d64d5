import { randomBytes } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';

/** An invoice-like PDF (pdf-lib), with a line of text a test can look for in the stored bytes. */
export async function invoicePdf(
  text = 'FATTURA n. 120 - Visita cardiologica - 120,00 EUR',
): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.drawText(text, { x: 40, y: 780, size: 12, font });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** A PDF of about `bytes` bytes: a page with an image of noise (it does not compress). */
export async function largePdf(bytes: number): Promise<Buffer> {
  const side = Math.ceil(Math.sqrt(bytes / 3));
  const jpeg = await sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } })
    .jpeg({ quality: 100 })
    .toBuffer();
  const doc = await PDFDocument.create();
  const image = await doc.embedJpg(jpeg);
  doc.addPage([595, 842]).drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** A small photo of a prescription, as a PNG; another `shade` makes another file. */
export function prescriptionPng(shade = 0): Promise<Buffer> {
  return sharp({
    create: { width: 40, height: 30, channels: 3, background: { r: 240, g: 240 - shade, b: 230 } },
  })
    .png()
    .toBuffer();
}
