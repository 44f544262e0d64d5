import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { crc32, deflateSync } from 'node:zlib';
import { PDFDocument, PDFHexString, PDFName, PDFString, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CheckOptions, checkAndSave, sniffMediaType } from './document-check.js';
import { DocumentStore } from './document-store.js';
import { LocalBlobStore } from './local-blob-store.js';

const MAX = 10 * 1024 * 1024;
const OPTIONS = { maxBytes: MAX, prefix: 'claims' };

/** A source that hands over `data` in uneven pieces, as a network upload does. */
function source(data: Buffer, piece = 10_007): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= data.length) return void this.push(null);
      this.push(data.subarray(offset, offset + piece));
      offset += piece;
    },
  });
}

/** Every file below the store's folder (blobs and half-written parts alike). */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => statSync(join(dir, f)).isFile());
}

/** A PDF written by hand, with a correct cross-reference table: objects 1–3 are the catalog, pages, page. */
function handPdf(extra: { catalog?: string; objects?: string[]; trailer?: string } = {}): Buffer {
  const objects = [
    `<< /Type /Catalog /Pages 2 0 R ${extra.catalog ?? ''}>>`,
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
    ...(extra.objects ?? []),
  ];
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${extra.trailer ?? ''}>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** An invoice-like PDF made with pdf-lib. */
async function invoicePdf(build?: (doc: PDFDocument) => Promise<void> | void, useObjectStreams = true) {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.drawText('FATTURA n. 42 - Visita specialistica - 120,00 EUR', { x: 40, y: 780, size: 12, font });
  await build?.(doc);
  return Buffer.from(await doc.save({ useObjectStreams }));
}

function openActionJavaScript(doc: PDFDocument): void {
  const action = doc.context.obj({ Type: 'Action', S: 'JavaScript', JS: PDFString.of('app.alert(1)') });
  doc.catalog.set(PDFName.of('OpenAction'), doc.context.register(action));
}

/** A PNG with a tEXt chunk inserted after its header chunk. */
function withTextChunk(png: Buffer, keyword: string, text: string): Buffer {
  const data = Buffer.from(`${keyword}\0${text}`, 'latin1');
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  const afterHeader = 8 + 25; // signature, then IHDR (4 + 4 + 13 + 4)
  return Buffer.concat([png.subarray(0, afterHeader), chunk, png.subarray(afterHeader)]);
}

/** A PNG whose header claims width × height, followed by a tiny image stream (a decompression bomb's shape). */
function claimedPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const c = Buffer.alloc(12 + data.length);
    c.writeUInt32BE(data.length, 0);
    c.write(type, 4, 'latin1');
    data.copy(c, 8);
    c.writeUInt32BE(crc32(c.subarray(4, 8 + data.length)), 8 + data.length);
    return c;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(width + 1))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

let dir: string;
let store: DocumentStore;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'onecare-check-'));
  store = new DocumentStore(new LocalBlobStore(dir), randomBytes(32));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  for (const f of files(dir)) rmSync(join(dir, f));
});

const stored = async (key: string) => buffer(await store.open(key));

async function expectRefused(data: Buffer, code: string, options: CheckOptions = OPTIONS, piece?: number) {
  const result = await checkAndSave(store, source(data, piece), options);
  expect(result).toEqual({ ok: false, code });
  expect(files(dir)).toEqual([]);
}

describe('checkAndSave: PDFs', () => {
  it('[member] an invoice PDF is stored as sent, under the prefix, with its size and hash', async () => {
    for (const useObjectStreams of [true, false]) {
      const pdf = await invoicePdf(undefined, useObjectStreams);
      const result = await checkAndSave(store, source(pdf), OPTIONS);
      if (!result.ok) throw new Error(result.code);
      expect(result.mediaType).toBe('application/pdf');
      expect(result.document.key).toMatch(/^claims\/[0-9a-f]{64}$/);
      expect(result.document.bytes).toBe(pdf.length);
      expect((await stored(result.document.key)).equals(pdf)).toBe(true);
    }
    // The hand-made PDF is accepted too (it is the base of the hostile ones below), and pdf-lib reads it.
    await PDFDocument.load(handPdf());
    expect((await checkAndSave(store, source(handPdf()), OPTIONS)).ok).toBe(true);
  });

  it('[member] a stream whose bytes happen to spell a dangerous name is only data', async () => {
    const data = 'q BT /JS 12 Tf (x) Tj ET Q /JavaScript';
    const pdf = handPdf({ objects: [`<< /Length ${data.length} >>\nstream\n${data}\nendstream`] });
    expect((await checkAndSave(store, source(pdf, 7), OPTIONS)).ok).toBe(true);
  });

  it('[member] empty streams, CRLF line ends and indirect lengths are read as a reader reads them', async () => {
    const pdf = handPdf({
      objects: [
        '<< /Length 0 >>\r\nstream\r\n\r\nendstream',
        '<< /Length 6 0 R >>\r\nstream\r\nabc\r\nendstream',
        '3',
      ],
    });
    expect((await checkAndSave(store, source(pdf, 5), OPTIONS)).ok).toBe(true);
  });

  it('[attacker] JavaScript in an object stream without a filter is found too', async () => {
    const objects = '5 0 << /S /JavaScript /JS (app.alert(1)) >>';
    const pdf = handPdf({
      catalog: '/OpenAction 5 0 R',
      objects: [`<< /Type /ObjStm /N 1 /First 4 /Length ${objects.length} >>\nstream\n${objects}\nendstream`],
    });
    await expectRefused(pdf, 'pdf_active_content');
  });

  it('[attacker] JavaScript in an OpenAction is refused, in the open or inside a compressed object stream', async () => {
    const open = await invoicePdf(openActionJavaScript, false);
    expect(open.includes('/JavaScript')).toBe(true);
    await expectRefused(open, 'pdf_active_content');

    const packed = await invoicePdf(openActionJavaScript, true);
    expect(packed.includes('JavaScript')).toBe(false); // only inside the deflated object stream
    expect(packed.includes('/ObjStm')).toBe(true);
    await expectRefused(packed, 'pdf_active_content');
  });

  it('[attacker] a name spelled with # escapes is read as the name it is', async () => {
    const pdf = handPdf({
      catalog: '/OpenAction 4 0 R',
      objects: ['<< /S /Java#53cript /J#53 (app.alert(1)) >>'],
    });
    expect(pdf.includes('JavaScript')).toBe(false);
    await expectRefused(pdf, 'pdf_active_content');
    await expectRefused(
      handPdf({ catalog: '/OpenAction 4 0 R', objects: ['<< /S /#4C#61unch /F (calc.exe) >>'] }),
      'pdf_active_content',
    );
  });

  it('[attacker] launch, forms that submit, XFA, rich media and attachments are refused', async () => {
    for (const object of [
      '<< /S /Launch /F (cmd.exe) >>',
      '<< /S /SubmitForm /F (https://example.test/) >>',
      '<< /Fields [] /XFA 5 0 R >>',
      '<< /Type /Annot /Subtype /RichMedia >>',
      '<< /Type /Annot /Subtype /FileAttachment /FS 5 0 R >>',
    ]) {
      await expectRefused(
        handPdf({ catalog: '/OpenAction 4 0 R', objects: [object, '<< >>'] }),
        'pdf_active_content',
      );
    }
    const attached = await invoicePdf(async (doc) => {
      await doc.attach(Buffer.from('MZ not really a program'), 'nota.exe', {
        mimeType: 'application/octet-stream',
      });
    });
    await expectRefused(attached, 'pdf_active_content');
  });

  it('[member] an encrypted PDF is refused: /Encrypt in the trailer or in a cross-reference stream', async () => {
    const standard = '<< /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >>';
    await expectRefused(handPdf({ objects: [standard], trailer: '/Encrypt 4 0 R' }), 'pdf_encrypted');
    const xrefStream = await invoicePdf((doc) => {
      const dict = doc.context.obj({ Filter: 'Standard', V: 1, R: 2, P: -4, O: PDFHexString.of('00') });
      doc.context.trailerInfo.Encrypt = doc.context.register(dict);
    }, true);
    expect(xrefStream.includes('/XRef')).toBe(true);
    expect(xrefStream.includes('trailer')).toBe(false);
    await expectRefused(xrefStream, 'pdf_encrypted');
  });

  it('[attacker] an object hidden inside a stream, a stream longer than it says, a cut file: unreadable', async () => {
    const hidden = '0123 5 0 obj << /Type /Catalog >> endobj';
    await expectRefused(
      handPdf({ objects: [`<< /Length ${hidden.length} >>\nstream\n${hidden}\nendstream`] }),
      'pdf_unreadable',
    );
    await expectRefused(
      handPdf({ objects: ['<< /Length 3 >>\nstream\nabcdef\nendstream'] }),
      'pdf_unreadable',
    );
    const pdf = await invoicePdf();
    await expectRefused(pdf.subarray(0, Math.floor(pdf.length / 2)), 'pdf_unreadable');
    await expectRefused(Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(5000)]), 'pdf_unreadable');
    // An object stream that does not inflate.
    await expectRefused(
      handPdf({
        objects: [
          '<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length 16 >>\nstream\n0123456789abcdef\nendstream',
        ],
      }),
      'pdf_unreadable',
    );
  });

  it('[attacker] whatever the pieces the upload arrives in, the verdict is the same', async () => {
    const hidden = `${'x'.repeat(70)}0123 5   0 obj << /Type /Catalog >> endobj${'y'.repeat(70)}`;
    const direct = handPdf({ objects: [`<< /Length ${hidden.length} >>\nstream\n${hidden}\nendstream`] });
    // Without a direct /Length the data ends at the first "endstream".
    const indirect = handPdf({
      objects: [`<< /Length 5 0 R >>\nstream\n${hidden}\nendstream`, `${hidden.length}`],
    });
    const clean = handPdf({
      objects: ['<< /Length 5 0 R >>\nstream\nq 1 0 0 1 0 0 cm /Im0 Do Q 12 0 objection\nendstream', '40'],
    });
    const packed = await invoicePdf(openActionJavaScript, true);
    for (const piece of [1, 2, 3, 7, 61, 64, 65, 4096]) {
      await expectRefused(direct, 'pdf_unreadable', OPTIONS, piece);
      await expectRefused(indirect, 'pdf_unreadable', OPTIONS, piece);
      await expectRefused(packed, 'pdf_active_content', OPTIONS, piece);
      const ok = await checkAndSave(store, source(clean, piece), OPTIONS);
      if (!ok.ok) throw new Error(`piece ${piece}: ${ok.code}`);
      await store.remove(ok.document.key);
    }
  });

  it('[attacker] an object stream that inflates beyond reason is refused without inflating it all', async () => {
    const bomb = deflateSync(Buffer.alloc(200 * 1024 * 1024, 0x20), { level: 9 });
    const pdf = handPdf({
      objects: [`<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n`],
    });
    const at = pdf.indexOf('stream\n') + 'stream\n'.length;
    const withBomb = Buffer.concat([pdf.subarray(0, at), bomb, pdf.subarray(at)]);
    await expectRefused(withBomb, 'pdf_unreadable');
  });
});

describe('checkAndSave: types by content', () => {
  it('[attacker] garbage, a program, HTML or SVG are refused whatever they are called', async () => {
    for (const data of [
      randomBytes(3000),
      Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), randomBytes(2000)]),
      Buffer.from('<!DOCTYPE html><html><script>alert(1)</script></html>'),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
      Buffer.from(' %PDF-1.7 with a space in front'),
      Buffer.from('%PD'),
    ]) {
      await expectRefused(data, 'type_not_allowed');
    }
    expect(sniffMediaType(Buffer.from('%PDF-1.4'))).toBe('application/pdf');
  });

  it('[member] an empty upload is refused as empty', async () => {
    await expectRefused(Buffer.alloc(0), 'empty');
  });

  it('[member] an upload over the limit is refused; the rest of it is read and dropped, not kept', async () => {
    const pdf = await invoicePdf();
    const big = Buffer.concat([pdf, randomBytes(3 * 1024 * 1024)]);
    const upload = source(big, 65_536);
    const ended = new Promise((resolve) => upload.on('end', resolve));
    const result = await checkAndSave(store, upload, { maxBytes: 1024 * 1024, prefix: 'claims' });
    expect(result).toEqual({ ok: false, code: 'too_large' });
    await ended; // drained, so an HTTP request can still be answered
    expect(files(dir)).toEqual([]);
    // One byte over is over; exactly the limit is not.
    await expectRefused(pdf, 'too_large', { maxBytes: pdf.length - 1, prefix: 'claims' });
    expect((await checkAndSave(store, source(pdf), { maxBytes: pdf.length, prefix: 'claims' })).ok).toBe(
      true,
    );
  });

  it('[member] an upload that breaks off is an error, and nothing is kept', async () => {
    const pdf = await invoicePdf();
    let sent = 0;
    const breaking = new Readable({
      read() {
        if (sent++ === 0) this.push(pdf.subarray(0, 500));
        else this.destroy(new Error('connection reset'));
      },
    });
    await expect(checkAndSave(store, breaking, OPTIONS)).rejects.toThrow('connection reset');
    expect(files(dir)).toEqual([]);
  });

  it('[member] an upload that announces its length is refused unread past the limit, stored when it keeps its word', async () => {
    const pdf = await invoicePdf();
    const announcing = (declaredBytes: number) => ({ ...OPTIONS, maxBytes: pdf.length, declaredBytes });
    await expectRefused(pdf, 'too_large', announcing(pdf.length + 1));
    const active = await invoicePdf(openActionJavaScript, false);
    await expectRefused(active, 'pdf_active_content', { ...OPTIONS, declaredBytes: active.length });
    const result = await checkAndSave(store, source(pdf), announcing(pdf.length));
    expect(result.ok && result.document.bytes).toBe(pdf.length);
    // A photo's announced length is the upload's, not the re-encoded image's: it is not passed on.
    const photo = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#00c000' } })
      .jpeg()
      .toBuffer();
    expect((await checkAndSave(store, source(photo), { ...OPTIONS, declaredBytes: photo.length })).ok).toBe(
      true,
    );
  });

  it('[member] over HTTP, a refused upload still gets its answer, its length announced or not', async () => {
    for (const announce of [false, true]) {
      const server = createServer(async (req, res) => {
        const declaredBytes = announce ? Number(req.headers['content-length']) : undefined;
        const result = await checkAndSave(store, req, {
          maxBytes: 256 * 1024,
          prefix: 'claims',
          declaredBytes,
        });
        res.writeHead(result.ok ? 201 : result.code === 'too_large' ? 413 : 400).end(JSON.stringify(result));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      try {
        const post = (body: Buffer) =>
          fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body }).then(async (r) => [
            r.status,
            await r.json(),
          ]);
        const pdf = await invoicePdf();
        expect(await post(Buffer.concat([pdf, randomBytes(2 * 1024 * 1024)]))).toEqual([
          413,
          { ok: false, code: 'too_large' },
        ]);
        expect(await post(Buffer.concat([Buffer.from('MZ'), randomBytes(1024 * 1024)]))).toEqual([
          400,
          { ok: false, code: 'type_not_allowed' },
        ]);
        expect((await post(pdf))[0]).toBe(201);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    }
  });
});

describe('checkAndSave: photos', () => {
  it('[member] a JPEG is turned upright and stored without EXIF, GPS or camera data', async () => {
    const photo = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#c00000' } })
      .withExif({
        IFD0: { Make: 'PhoneMaker', Model: 'Phone 15 Pro' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '45/1 28/1 0/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '9/1 11/1 0/1',
        },
      })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const before = await sharp(photo).metadata();
    expect(before.exif?.includes('PhoneMaker')).toBe(true);
    expect(before.orientation).toBe(6);

    const result = await checkAndSave(store, source(photo, 100), OPTIONS);
    if (!result.ok) throw new Error(result.code);
    expect(result.mediaType).toBe('image/jpeg');
    const out = await stored(result.document.key);
    expect(result.document.bytes).toBe(out.length);
    const after = await sharp(out).metadata();
    expect(after.format).toBe('jpeg');
    expect([after.width, after.height]).toEqual([20, 40]); // orientation applied
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(out.includes('PhoneMaker')).toBe(false);
    expect(out.includes('Exif')).toBe(false);
  });

  it('[member] a PNG is stored without its text chunks', async () => {
    const plain = await sharp({ create: { width: 30, height: 30, channels: 4, background: '#00c0c0' } })
      .png()
      .toBuffer();
    const png = withTextChunk(plain, 'Comment', 'Mario Demo, via Roma 1, Milano');
    expect((await sharp(png).metadata()).comments?.[0]?.text).toContain('Mario Demo');

    const result = await checkAndSave(store, source(png), OPTIONS);
    if (!result.ok) throw new Error(result.code);
    expect(result.mediaType).toBe('image/png');
    const out = await stored(result.document.key);
    const after = await sharp(out).metadata();
    expect(after.format).toBe('png');
    expect(after.comments).toBeUndefined();
    expect(out.includes('tEXt')).toBe(false);
    expect(out.includes('Mario')).toBe(false);
  });

  it('[attacker] a broken image or one that would decode to too many pixels is refused as unreadable', async () => {
    await expectRefused(
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(4000)]),
      'image_unreadable',
    );
    await expectRefused(claimedPng(20_000, 20_000), 'image_unreadable');
    const png = await sharp({ create: { width: 30, height: 30, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    await expectRefused(png.subarray(0, 40), 'image_unreadable');
  });
});
