import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DETAIL_CODES } from '#contracts/details.codes.js';
import { DETAIL_MESSAGES, detailMessage, placeholdersOf } from './detail-messages.js';

/** The web's wording of the codes (the web owns it; the API's message must need the same values). */
function webFieldErrors(language: 'it' | 'en'): Record<string, string> {
  const url = new URL(`../../web/src/i18n/${language}.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { fieldErrors: Record<string, string> }).fieldErrors;
}

const webPlaceholders = (text: string | undefined) =>
  [...(text ?? '').matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)].map((m) => m[1] ?? '').sort();

describe("the API's words for detail codes", () => {
  it('word every listed code, Italian and English with the same placeholders', () => {
    expect(Object.keys(DETAIL_MESSAGES).sort()).toEqual([...DETAIL_CODES].sort());
    for (const [code, text] of Object.entries(DETAIL_MESSAGES)) {
      expect(placeholdersOf(text.en), code).toEqual(placeholdersOf(text.it));
    }
  });

  it("need the same params as the web's wording", () => {
    const web = { it: webFieldErrors('it'), en: webFieldErrors('en') };
    for (const [code, text] of Object.entries(DETAIL_MESSAGES)) {
      for (const language of ['it', 'en'] as const) {
        expect(webPlaceholders(web[language][code]), `${language} ${code}`).toEqual(
          placeholdersOf(text[language]),
        );
      }
    }
  });

  it('put the params in, in the language asked for; an unknown code gets the generic words', () => {
    expect(detailMessage('minLength', { limit: 3 }, 'it')).toBe('Inserisci almeno 3 caratteri.');
    expect(detailMessage('minLength', { limit: 3 }, 'en')).toBe('Enter at least 3 characters.');
    expect(detailMessage('file_header', { line: 1, columns: 'a;b' }, 'it')).toBe(
      "Riga 1: l'intestazione deve contenere esattamente queste colonne, in qualsiasi ordine: a;b.",
    );
    expect(detailMessage('too_short', undefined, 'en')).toBe(
      'Your password must be at least {min} characters long.',
    );
    expect(detailMessage('no_such_code', undefined, 'it')).toBe('Valore non valido.');
  });
});
