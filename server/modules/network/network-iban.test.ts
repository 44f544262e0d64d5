import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readNetworkCsv } from './network-import.js';

const HEADER = 'codice;nome;indirizzo;citta;provincia;cap;latitudine;longitudine;telefono;prestazioni';
const ROW = 'ABC-1;Centro Prova;Via Prova 1;Milano;MI;20121;45.46;9.19;02 0000 0001;visite_specialistiche';

async function rows(text: string) {
  const out = [];
  for await (const line of readNetworkCsv(Readable.from([text]))) out.push(line.result);
  return out;
}

describe('the network file’s optional iban column', () => {
  it('is optional: without it no IBAN is read (the stored one stays)', async () => {
    const [row] = await rows(`${HEADER}\n${ROW}\n`);
    expect(row?.ok && 'iban' in row.row).toBe(false);
  });

  it('reads an IBAN in the electronic format, an empty field as none, refuses a wrong one', async () => {
    const [good, empty, bad] = await rows(
      `${HEADER};iban\n${ROW};IT60 X054 2811 1010 0000 0123 456\n${ROW.replace('ABC-1', 'ABC-2')};\n${ROW.replace('ABC-1', 'ABC-3')};IT00X0542811101000000123456\n`,
    );
    expect(good).toMatchObject({ ok: true, row: { iban: 'IT60X0542811101000000123456' } });
    expect(empty).toMatchObject({ ok: true, row: { iban: null } });
    expect(bad).toMatchObject({ ok: false, problems: [{ code: 'iban_invalid', column: 'iban' }] });
  });
});
