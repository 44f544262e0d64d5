import { describe, expect, it } from 'vitest';
import {
  formatCountdown,
  formatDate,
  formatDateTime,
  formatWait,
  groupByFour,
  isIsoDate,
  looksLikeCodiceFiscale,
  looksLikeEmail,
  normaliseCodiceFiscale,
} from './format';

describe('formatDate', () => {
  it('writes an ISO date as dd/mm/yyyy without shifting the day', () => {
    expect(formatDate('2026-03-09')).toBe('09/03/2026');
    expect(formatDate('2026-12-31T23:30:00.000Z')).toBe('31/12/2026');
  });
  it('leaves anything else as it is', () => {
    expect(formatDate('domani')).toBe('domani');
  });
});

describe('isIsoDate', () => {
  it('accepts real days only', () => {
    expect(isIsoDate('1980-02-29')).toBe(true);
    expect(isIsoDate('1981-02-29')).toBe(false);
    expect(isIsoDate('1980-13-01')).toBe(false);
    expect(isIsoDate('01/02/1980')).toBe(false);
    expect(isIsoDate('')).toBe(false);
  });
});

describe('form checks', () => {
  it('recognises the shape of an e-mail address', () => {
    expect(looksLikeEmail('mario.rossi@example.it')).toBe(true);
    expect(looksLikeEmail('mario rossi@example.it')).toBe(false);
    expect(looksLikeEmail('mario@example')).toBe(false);
  });
  it('normalises and checks a codice fiscale', () => {
    const cf = normaliseCodiceFiscale(' rssmra80a01 h501u ');
    expect(cf).toBe('RSSMRA80A01H501U');
    expect(looksLikeCodiceFiscale(cf)).toBe(true);
    expect(looksLikeCodiceFiscale('RSSMRA80A01H501')).toBe(false);
    expect(looksLikeCodiceFiscale('RSSMRA80A01H501U!')).toBe(false);
  });
});

describe('formatWait', () => {
  it('uses seconds under two minutes and whole minutes above, in the given language', () => {
    expect(formatWait(45, 'it')).toBe('45 secondi');
    expect(formatWait(1, 'en')).toBe('1 second');
    expect(formatWait(121, 'it')).toBe('3 minuti');
    expect(formatWait(600, 'en')).toBe('10 minutes');
  });
});

describe('formatCountdown', () => {
  it('shows minutes and padded seconds, never below zero', () => {
    expect(formatCountdown(105_000)).toBe('1:45');
    expect(formatCountdown(9_100)).toBe('0:10');
    expect(formatCountdown(-5)).toBe('0:00');
  });
});

describe('formatDateTime', () => {
  it('writes an instant as dd/mm/yyyy hh:mm on the local clock', () => {
    const local = new Date(2026, 4, 4, 9, 5).toISOString();
    expect(formatDateTime(local)).toBe('04/05/2026 09:05');
    expect(formatDateTime('not a date')).toBe('not a date');
  });
});

describe('groupByFour', () => {
  it('groups a key by four characters', () => {
    expect(groupByFour('JBSWY3DPEHPK3PXPAB')).toBe('JBSW Y3DP EHPK 3PXP AB');
    expect(groupByFour('JBSW Y3DP')).toBe('JBSW Y3DP');
  });
});
