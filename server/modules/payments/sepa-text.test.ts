import { describe, expect, it } from 'vitest';
import { sepaAmount, sepaText } from './sepa-text.js';

describe('text and amounts in the SEPA character set', () => {
  it('drops accents and spells out letters without one', () => {
    expect(sepaText('Niccolò Çelik', 70)).toBe('Niccolo Celik');
    expect(sepaText('Àèìòù ÉÈ Ñoño Łukasz Straße Ærø Œuvre', 70)).toBe(
      'Aeiou EE Nono Lukasz Strasse AEro OEuvre',
    );
    expect(sepaText('ﬁorella Dvořák Şahin Ğül', 70)).toBe('fiorella Dvorak Sahin Gul');
  });

  it("keeps a-z A-Z 0-9 / - ? : ( ) . , ' + and space; the usual look-alikes become them; anything else a space", () => {
    expect(sepaText("Rossi & Figli s.r.l. (Roma) 1/2 ?:,'+-", 140)).toBe(
      "Rossi + Figli s.r.l. (Roma) 1/2 ?:,'+-",
    );
    expect(sepaText('D’Angelo – O‘Neil_Smith', 70)).toBe("D'Angelo - O'Neil-Smith");
    expect(sepaText('Anna "Nina" <Bianchi>; €10 #1 @home 😀 王', 70)).toBe('Anna Nina Bianchi 10 1 home');
    expect(sepaText('  Mario\t\n  Rossi  ', 70)).toBe('Mario Rossi');
    expect(sepaText('漢字', 70)).toBe('');
  });

  it('cuts to the length allowed, without a trailing space', () => {
    expect(sepaText('a'.repeat(80), 70)).toHaveLength(70);
    expect(sepaText(`${'a'.repeat(69)} b`, 70)).toBe('a'.repeat(69));
  });

  it('writes integer cents with two decimals and a point, whatever their size', () => {
    expect(sepaAmount(0)).toBe('0.00');
    expect(sepaAmount(5)).toBe('0.05');
    expect(sepaAmount(70)).toBe('0.70');
    expect(sepaAmount(123_456)).toBe('1234.56');
    expect(sepaAmount(99_999_999_999)).toBe('999999999.99');
    expect(() => sepaAmount(-1)).toThrow(RangeError);
    expect(() => sepaAmount(1.5)).toThrow(RangeError);
  });
});
