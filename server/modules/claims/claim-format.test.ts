import { describe, expect, it } from 'vitest';
import { contentDisposition, displayName, maskIban } from './claim-format.js';

describe('claim values as shown', () => {
  it('masks an IBAN but for the country and the last four characters', () => {
    expect(maskIban('IT60X0542811101000000123456')).toBe('IT** **** … 3456');
    expect(maskIban(null)).toBe('');
  });

  it('keeps only the last part of a path, without control characters, quotes or direction overrides', () => {
    expect(displayName('C:\\Users\\mario\\fattura.pdf')).toBe('fattura.pdf');
    expect(displayName('../../etc/passwd')).toBe('passwd');
    expect(displayName('a"b\r\nX-Evil: 1.pdf')).toBe('abX-Evil: 1.pdf');
    expect(displayName('fattura\u202Efdp.exe')).toBe('fatturafdp.exe');
    expect(displayName('   ')).toBe('documento');
    expect(displayName('x'.repeat(300))).toHaveLength(200);
  });

  it('writes Content-Disposition with an ASCII fallback and the UTF-8 name encoded', () => {
    expect(contentDisposition('ricevuta è.pdf')).toBe(
      `attachment; filename="ricevuta _.pdf"; filename*=UTF-8''ricevuta%20%C3%A8.pdf`,
    );
    expect(contentDisposition("l'esame (1);x\\.pdf")).toBe(
      `attachment; filename="l'esame (1)_x_.pdf"; filename*=UTF-8''l%27esame%20%281%29%3Bx%5C.pdf`,
    );
    expect(contentDisposition('a\r\nb')).not.toMatch(/[\r\n]/);
  });
});
