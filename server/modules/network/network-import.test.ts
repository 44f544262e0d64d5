import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { NETWORK_COLUMNS, NetworkFileError, readNetworkCsv } from './network-import.js';

const HEADER = NETWORK_COLUMNS.join(';');
const GOOD = 'T-1;Centro;Via Prova 1;Milano;MI;20121;45.46;9.19;;lenti';

async function refusal(text: string): Promise<NetworkFileError> {
  try {
    for await (const _ of readNetworkCsv(Readable.from([text]))) {
      // read it all
    }
  } catch (err) {
    if (err instanceof NetworkFileError) return err;
    throw err;
  }
  throw new Error('the file was accepted');
}

describe('a network file refused as a whole says why', () => {
  it('empty, or no header', async () => {
    expect((await refusal('\n')).kind).toBe('empty');
  });

  it('a separator other than ; or ,', async () => {
    const err = await refusal(`${NETWORK_COLUMNS.join('\t')}\n`);
    expect(err).toMatchObject({ kind: 'separator', line: 1 });
  });

  it('missing, unknown and repeated columns, each named', async () => {
    const err = await refusal('codice;nome;nome;colore\nA;B;B;C\n');
    expect(err.kind).toBe('header');
    expect(err.columns).toEqual({
      unknown: ['colore'],
      missing: [
        'indirizzo',
        'citta',
        'provincia',
        'cap',
        'latitudine',
        'longitudine',
        'telefono',
        'prestazioni',
      ],
      repeated: ['nome'],
    });
  });

  it('a quote never closed, from the line it opens', async () => {
    const err = await refusal(`${HEADER}\n${GOOD}\nT-2;"Centro;Via;Milano;MI;20121;45.46;9.19;;lenti\n`);
    expect(err).toMatchObject({ kind: 'quoting', line: 3 });
  });
});
