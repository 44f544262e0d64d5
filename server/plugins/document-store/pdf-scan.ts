import { createInflate, type Inflate } from 'node:zlib';

/**
 * A streaming inspector of PDF bytes (decision 034): it reads the file as it passes, once, with a
 * few kilobytes of state, and answers whether the document is encrypted, holds active content, or
 * cannot be read safely. It tokenizes what a PDF reader parses (names, with their `#xx` escapes
 * decoded; dictionaries; keywords), skips stream data, and inflates object streams (PDF 1.5+,
 * `/Type /ObjStm`, FlateDecode) to inspect the objects packed inside them.
 *
 * It is deliberately suspicious: any of the names below anywhere in the file (a current object or
 * an old revision) refuses it, and so does anything it cannot follow (an object header hidden where
 * a reader would not look for one, a stream that does not end where it says, an object stream it
 * cannot decode).
 */

/** Names that make a PDF do something when opened or carry other files. */
export const ACTIVE_NAMES: ReadonlySet<string> = new Set([
  'JavaScript',
  'JS',
  'Launch',
  'EmbeddedFiles',
  'EmbeddedFile',
  'FileAttachment',
  'RichMedia',
  'XFA',
  'SubmitForm',
  'ImportData',
  'GoToE',
]);

export type PdfFinding = 'pdf_encrypted' | 'pdf_active_content' | 'pdf_unreadable';

/** Inflated bytes of object streams allowed per document (a decompression bomb stops here). */
export const MAX_INFLATED_BYTES = 64 * 1024 * 1024;
const MAX_DICT_TOKENS = 4096;
const MAX_NAME_BYTES = 256;
const MAX_TOKEN_BYTES = 64;

enum S {
  Normal,
  Comment,
  Name,
  Regular,
  LiteralString,
  HexString,
  LessThan,
  GreaterThan,
  StreamEol,
  StreamEolCr,
  StreamData,
}

const WS = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WS[c] = 1;
const DELIM = new Uint8Array(256);
for (const c of '()<>[]{}/%') DELIM[c.charCodeAt(0)] = 1;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const hexValue = (c: number) =>
  c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 55 : c >= 0x61 && c <= 0x66 ? c - 87 : -1;

const ENDSTREAM = Buffer.from('endstream');
const OBJ = Buffer.from('obj');
const TAIL_BYTES = 64;

/**
 * Whether "obj" at `k` is preceded by `<digits> <ws> <digits> <ws>`. Running off the start of a
 * buffer that lost its beginning (a long run of digits and blanks across chunks) counts as yes.
 */
function objectHeaderBefore(buf: Buffer, k: number, truncated: boolean): boolean {
  let j = k - 1;
  const run = (test: (c: number) => boolean): boolean => {
    const from = j;
    while (j >= 0 && test(buf[j] as number)) j--;
    return j < from;
  };
  const ws = (c: number) => WS[c] === 1;
  if (!run(ws)) return false;
  if (!run(isDigit)) return j < 0 && truncated;
  if (!run(ws)) return j < 0 && truncated;
  return j < 0 ? truncated : isDigit(buf[j] as number);
}

/**
 * Recognizes `<digits> <ws> <digits> <ws> obj <delimiter>` in bytes a reader treats as opaque
 * (comments, strings, stream data). A reader that follows the cross-reference table jumps to byte
 * offsets; an object header inside a stream or a string is a place to hide an object from a
 * reader that goes front to back, so finding one refuses the file.
 */
class HiddenObjectHeader {
  private state = 0;
  found = false;
  reset() {
    this.state = 0;
  }
  push(c: number): void {
    const ws = WS[c] === 1;
    const digit = isDigit(c);
    switch (this.state) {
      case 0:
        this.state = digit ? 1 : 0;
        break;
      case 1:
        this.state = digit ? 1 : ws ? 2 : 0;
        break;
      case 2:
        this.state = ws ? 2 : digit ? 3 : 0;
        break;
      case 3:
        this.state = digit ? 3 : ws ? 4 : 0;
        break;
      case 4:
        this.state = ws ? 4 : digit ? 3 : c === 0x6f /* o */ ? 5 : 0;
        break;
      case 5:
        this.state = c === 0x62 /* b */ ? 6 : digit ? 1 : 0;
        break;
      case 6:
        this.state = c === 0x6a /* j */ ? 7 : digit ? 1 : 0;
        break;
      case 7:
        if (ws || DELIM[c] === 1) this.found = true;
        this.state = digit ? 1 : 0;
        break;
    }
  }
  /** The opaque bytes ended right after "obj": that counts as a header too. */
  end(): void {
    if (this.state === 7) this.found = true;
    this.state = 0;
  }
}

/** Where the token starting at `i` ends: the first blank or delimiter, or the end of the chunk. */
function tokenEnd(chunk: Uint8Array, i: number): number {
  let j = i;
  while (j < chunk.length) {
    const d = chunk[j] as number;
    if (WS[d] === 1 || DELIM[d] === 1) break;
    j++;
  }
  return j;
}

function decodeName(raw: number[]): string {
  if (!raw.includes(0x23)) return String.fromCharCode(...raw);
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] ?? 0;
    if (c === 0x23 /* # */ && i + 2 < raw.length) {
      const hi = hexValue(raw[i + 1] ?? 0);
      const lo = hexValue(raw[i + 2] ?? 0);
      if (hi >= 0 && lo >= 0) {
        out.push(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out.push(c);
  }
  return String.fromCharCode(...out);
}

interface StreamInfo {
  objectStream: boolean;
  length: number | null;
  filters: string[];
  decodeParms: boolean;
}

function streamInfo(t: string[]): StreamInfo {
  const info: StreamInfo = { objectStream: false, length: null, filters: [], decodeParms: false };
  const int = (s: string | undefined) => s !== undefined && /^\d+$/.test(s);
  for (let i = 0; i < t.length; i++) {
    switch (t[i]) {
      case '/Type':
        if (t[i + 1] === '/ObjStm') info.objectStream = true;
        break;
      case '/Length':
        if (int(t[i + 1]) && !(int(t[i + 2]) && t[i + 3] === 'R')) info.length = Number(t[i + 1]);
        break;
      case '/Filter':
        if (t[i + 1] === '[') {
          for (let j = i + 2; j < t.length && t[j] !== ']'; j++) info.filters.push(t[j] ?? '');
        } else if (t[i + 1]?.startsWith('/')) info.filters.push(t[i + 1] ?? '');
        break;
      case '/DecodeParms':
        if (t[i + 1] !== 'null') info.decodeParms = true;
        break;
    }
  }
  return info;
}

/**
 * Feed the file with `write` in any pieces, then `await end()`; `finding` holds the first reason to
 * refuse (null: nothing found). `nested` scanners read the inside of an object stream.
 */
export class PdfScanner {
  finding: PdfFinding | null = null;
  private state = S.Normal;
  private name: number[] = [];
  private token: number[] = [];
  private stringDepth = 0;
  private escape = false;
  private comment: number[] = [];
  private dictDepth = 0;
  private dictTokens: string[] = [];
  private dictOverflow = false;
  private expectEndstream = false;
  private sawObject = false;
  private sawStartxref = false;
  private sawEof = false;
  // Stream data
  private remaining: number | null = null;
  private objectStream: {
    write(data: Uint8Array): boolean;
    end(): void;
    inflater?: Inflate;
  } | null = null;
  private readonly inflating: Promise<void>[] = [];
  private readonly hidden = new HiddenObjectHeader();
  private readonly budget: { inflated: number };

  constructor(
    private readonly nested = false,
    budget?: { inflated: number },
  ) {
    this.budget = budget ?? { inflated: 0 };
  }

  private refuse(finding: PdfFinding): void {
    // Encryption and active content outrank "unreadable": they say more about the file.
    if (this.finding === null || (this.finding === 'pdf_unreadable' && finding !== 'pdf_unreadable'))
      this.finding = finding;
  }

  /** Returns true when the inflater of the current object stream asks to wait (see `drain`). */
  write(chunk: Uint8Array): boolean {
    let wait = false;
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      const c = chunk[i] as number;
      switch (this.state) {
        case S.Normal:
          if (WS[c] === 1) {
            i++;
            while (i < n && WS[chunk[i] as number] === 1) i++;
          } else if (c === 0x25 /* % */) {
            this.state = S.Comment;
            this.comment.length = 0;
            this.hidden.reset();
            i++;
          } else if (c === 0x2f /* / */) {
            this.state = S.Name;
            this.name.length = 0;
            i++;
          } else if (c === 0x28 /* ( */) {
            this.state = S.LiteralString;
            this.stringDepth = 1;
            this.escape = false;
            this.hidden.reset();
            i++;
          } else if (c === 0x3c /* < */) {
            this.state = S.LessThan;
            i++;
          } else if (c === 0x3e /* > */) {
            this.state = S.GreaterThan;
            i++;
          } else if (c === 0x5b /* [ */ || c === 0x5d /* ] */) {
            this.emit(c === 0x5b ? '[' : ']');
            i++;
          } else if (c === 0x29 /* ) */ || c === 0x7b || c === 0x7d) {
            i++;
          } else {
            this.state = S.Regular;
            this.token.length = 0;
          }
          break;
        case S.Comment:
          if (c === 0x0a || c === 0x0d) {
            this.hidden.end();
            if (this.hidden.found && !this.nested) this.refuse('pdf_unreadable');
            this.state = S.Normal;
          } else {
            if (this.comment.length < 8) this.comment.push(c);
            if (this.comment.length === 4 && String.fromCharCode(...this.comment) === '%EOF')
              this.sawEof = true;
            // A name in a comment does nothing, but an object hidden in one would.
            this.hidden.push(c);
            if (this.hidden.found && !this.nested) this.refuse('pdf_unreadable');
            i++;
          }
          break;
        case S.Name: {
          const j = tokenEnd(chunk, i);
          for (let k = i; k < j && this.name.length < MAX_NAME_BYTES; k++) this.name.push(chunk[k] as number);
          i = j;
          if (j < n) {
            this.emit(`/${decodeName(this.name)}`);
            this.state = S.Normal;
          }
          break;
        }
        case S.Regular: {
          const j = tokenEnd(chunk, i);
          for (let k = i; k < j && this.token.length < MAX_TOKEN_BYTES; k++)
            this.token.push(chunk[k] as number);
          i = j;
          if (j < n) {
            // "stream" consumes its end of line itself (S.StreamEol looks at the byte at `i`).
            this.keyword(String.fromCharCode(...this.token), chunk[j] as number);
            if (this.state === S.Regular) this.state = S.Normal;
          }
          break;
        }
        case S.LiteralString:
          this.hidden.push(c);
          if (this.escape) this.escape = false;
          else if (c === 0x5c /* \ */) this.escape = true;
          else if (c === 0x28) this.stringDepth++;
          else if (c === 0x29 && --this.stringDepth === 0) {
            this.hidden.end();
            this.state = S.Normal;
            this.emit('()');
          }
          if (this.hidden.found && !this.nested) this.refuse('pdf_unreadable');
          i++;
          break;
        case S.HexString:
          if (c === 0x3e) {
            this.state = S.Normal;
            this.emit('<>');
          } else if (WS[c] !== 1 && hexValue(c) < 0) {
            this.refuse('pdf_unreadable');
          }
          i++;
          break;
        case S.LessThan:
          if (c === 0x3c) {
            this.state = S.Normal;
            this.emit('<<');
            i++;
          } else {
            this.state = S.HexString;
          }
          break;
        case S.GreaterThan:
          this.state = S.Normal;
          if (c === 0x3e) {
            this.emit('>>');
            i++;
          }
          break;
        case S.StreamEol:
          // The byte that ended the "stream" keyword: CRLF or LF (a lone CR is tolerated).
          if (c === 0x0d) {
            this.state = S.StreamEolCr;
            i++;
          } else {
            if (c === 0x0a) i++;
            this.state = S.StreamData;
          }
          break;
        case S.StreamEolCr:
          if (c === 0x0a) i++;
          this.state = S.StreamData;
          break;
        case S.StreamData: {
          const end = this.streamBytes(chunk, i);
          if (this.objectStream && end > i) wait = !this.objectStream.write(chunk.subarray(i, end)) || wait;
          if (this.streamDone) this.endStream();
          i = end;
          break;
        }
      }
      if (this.finding === 'pdf_active_content' || this.finding === 'pdf_encrypted') return wait;
    }
    return wait;
  }

  private streamDone = false;

  /** Consumes stream data from `at`; returns where scanning goes on in this chunk. */
  private streamBytes(chunk: Uint8Array, at: number): number {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (this.remaining !== null) {
      const take = Math.min(this.remaining, bytes.length - at);
      this.remaining -= take;
      if (this.remaining === 0) {
        this.streamDone = true;
        this.expectEndstream = true;
      }
      this.opaque(bytes.subarray(at, at + take), this.streamDone);
      return at + take;
    }
    // No direct /Length: the data ends at the first "endstream" (which may begin in the last chunk).
    let found = -1;
    if (this.carry.length > 0) {
      const seam = Buffer.concat([this.carry, bytes.subarray(at, at + ENDSTREAM.length - 1)]);
      const k = seam.indexOf(ENDSTREAM);
      if (k !== -1) found = at + k - this.carry.length;
    }
    if (found === -1) found = bytes.indexOf(ENDSTREAM, at);
    if (found === -1) {
      this.opaque(bytes.subarray(at), false);
      const keep = ENDSTREAM.length - 1;
      const joined = Buffer.concat([this.carry, bytes.subarray(Math.max(at, bytes.length - keep))]);
      this.carry = Buffer.from(joined.subarray(Math.max(0, joined.length - keep)));
      return bytes.length;
    }
    this.carry = Buffer.alloc(0);
    this.streamDone = true;
    this.opaque(bytes.subarray(at, Math.max(at, found)), true);
    return found + ENDSTREAM.length;
  }

  /**
   * Looks for an object header ("12 0 obj") in bytes a reader skips (stream data). Searching for
   * "obj" natively and looking back from each hit is much faster than a byte-by-byte automaton.
   */
  private opaque(data: Buffer, last: boolean): void {
    // Where the previous piece meets this one: a short copy, never the whole chunk.
    if (this.tail.length > 0) {
      const seam = Buffer.concat([this.tail, data.subarray(0, TAIL_BYTES)]);
      this.findHeaders(seam, 0, this.tailTruncated, last && data.length <= TAIL_BYTES);
    }
    // The rest in place; a hit near the start was seen in the seam with what came before it.
    this.findHeaders(
      data,
      this.tail.length > 0 ? Math.max(0, TAIL_BYTES - 3) : 0,
      this.tail.length > 0,
      last,
    );
    if (last) {
      this.tail = Buffer.alloc(0);
      this.tailTruncated = false;
    } else if (data.length >= TAIL_BYTES) {
      this.tail = Buffer.from(data.subarray(data.length - TAIL_BYTES));
      this.tailTruncated = true;
    } else {
      const joined = Buffer.concat([this.tail, data]);
      this.tailTruncated = this.tailTruncated || joined.length > TAIL_BYTES;
      this.tail = Buffer.from(joined.subarray(Math.max(0, joined.length - TAIL_BYTES)));
    }
  }

  private findHeaders(buf: Buffer, from: number, truncated: boolean, last: boolean): void {
    for (let k = buf.indexOf(OBJ, from); k !== -1; k = buf.indexOf(OBJ, k + 1)) {
      if (k + 3 >= buf.length && !last) break; // the next byte decides; the tail carries it over
      const after = buf[k + 3];
      if (after !== undefined && WS[after] !== 1 && DELIM[after] !== 1) continue;
      if (objectHeaderBefore(buf, k, truncated)) {
        this.refuse('pdf_unreadable');
        return;
      }
    }
  }

  private carry: Buffer = Buffer.alloc(0);
  private tail: Buffer = Buffer.alloc(0);
  private tailTruncated = false;

  private endStream(): void {
    this.streamDone = false;
    this.remaining = null;
    this.state = S.Normal;
    const objectStream = this.objectStream;
    if (objectStream) {
      this.objectStream = null;
      objectStream.end();
    }
  }

  private emit(token: string): void {
    if (this.expectEndstream) {
      // A direct /Length must land right before "endstream", or the stream is not what it says.
      this.expectEndstream = false;
      this.refuse('pdf_unreadable');
    }
    if (token === '<<') {
      this.dictDepth++;
      if (this.dictDepth === 2) this.record('<<');
      return;
    }
    if (token === '>>') {
      if (this.dictDepth > 0) this.dictDepth--;
      if (this.dictDepth === 1) this.record('>>');
      return;
    }
    if (token.startsWith('/')) {
      const name = token.slice(1);
      if (name === 'Encrypt') this.refuse('pdf_encrypted');
      else if (ACTIVE_NAMES.has(name)) this.refuse('pdf_active_content');
    }
    if (this.dictDepth === 1) this.record(token);
  }

  private record(token: string): void {
    if (this.dictTokens.length < MAX_DICT_TOKENS) this.dictTokens.push(token);
    else this.dictOverflow = true;
  }

  private keyword(word: string, next: number): void {
    if (this.expectEndstream) {
      this.expectEndstream = false;
      if (word === 'endstream') return;
      this.refuse('pdf_unreadable');
    }
    switch (word) {
      case 'obj':
        this.sawObject = true;
        this.dictDepth = 0;
        this.dictTokens = [];
        this.dictOverflow = false;
        return;
      case 'endobj':
        this.dictDepth = 0;
        this.dictTokens = [];
        return;
      case 'startxref':
        this.sawStartxref = true;
        return;
      case 'stream':
        this.beginStream(next);
        return;
      default:
        if (this.dictDepth === 1) this.record(word);
    }
  }

  private beginStream(next: number): void {
    if (this.nested) {
      // Objects inside an object stream are never streams.
      this.refuse('pdf_unreadable');
      return;
    }
    const info = streamInfo(this.dictTokens);
    if (this.dictOverflow) this.refuse('pdf_unreadable');
    this.dictTokens = [];
    this.dictDepth = 0;
    this.remaining = info.length;
    this.carry = Buffer.alloc(0);
    this.state = next === 0x0d || next === 0x0a ? S.StreamEol : S.StreamData;
    if (!info.objectStream) return;
    const filters = info.filters.join(' ');
    const inner = new PdfScanner(true, this.budget);
    if (filters === '') {
      // Uncommon but legal: an object stream without a filter. Its objects are read as they pass.
      this.objectStream = {
        write: (data) => {
          this.budget.inflated += data.length;
          inner.write(data);
          if (inner.finding) this.refuse(inner.finding);
          return true;
        },
        end: () => {
          inner.write(Buffer.from(' '));
          if (inner.finding) this.refuse(inner.finding);
        },
      };
    } else if (filters === '/FlateDecode' && !info.decodeParms) {
      this.inflate(inner);
    } else {
      // An object stream we cannot decode is one we cannot inspect.
      this.refuse('pdf_unreadable');
    }
  }

  private inflate(inner: PdfScanner): void {
    const inflater = createInflate();
    this.objectStream = {
      write: (data) => inflater.write(data),
      end: () => inflater.end(),
      inflater,
    };
    this.inflating.push(
      new Promise<void>((resolve) => {
        inflater.on('data', (data: Buffer) => {
          this.budget.inflated += data.length;
          if (this.budget.inflated > MAX_INFLATED_BYTES) {
            this.refuse('pdf_unreadable');
            inflater.destroy();
            return resolve();
          }
          inner.write(data);
          if (inner.finding) this.refuse(inner.finding);
        });
        inflater.on('error', () => {
          this.refuse('pdf_unreadable');
          resolve();
        });
        inflater.on('end', () => {
          // The end of the content ends whatever token was open.
          inner.write(Buffer.from(' '));
          if (inner.finding) this.refuse(inner.finding);
          resolve();
        });
        inflater.on('close', () => resolve());
      }),
    );
  }

  /** Waits for the current object stream's inflater to take what it was given. */
  async drain(): Promise<void> {
    const inflater = this.objectStream?.inflater;
    if (inflater?.writableNeedDrain) {
      await new Promise<void>((resolve) => {
        const done = () => {
          inflater.off('drain', done);
          inflater.off('close', done);
          resolve();
        };
        inflater.on('drain', done);
        inflater.on('close', done);
      });
    }
  }

  /** The upload stopped early: the inflater of an object stream in progress is released. */
  abort(): void {
    this.objectStream?.inflater?.destroy();
    this.objectStream = null;
  }

  /** The whole file has been written: waits for object streams and checks the file's shape. */
  async end(): Promise<PdfFinding | null> {
    if (this.state === S.StreamData || this.state === S.StreamEol || this.state === S.StreamEolCr) {
      this.refuse('pdf_unreadable');
      this.objectStream?.inflater?.destroy();
    }
    this.write(Buffer.from('\n'));
    await Promise.all(this.inflating);
    if (this.state !== S.Normal) this.refuse('pdf_unreadable');
    if (!this.sawObject || !this.sawStartxref || !this.sawEof) this.refuse('pdf_unreadable');
    return this.finding;
  }
}
