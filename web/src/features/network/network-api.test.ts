import { describe, expect, it } from 'vitest';
import { canManageNetwork, canReadNetworkImports, problemText } from './network-api';

describe('network back office helpers', () => {
  it('gives each row problem its key and the values its text needs', () => {
    const column = (name: string) => `«${name}»`;
    expect(problemText({ code: 'empty', column: 'cap' }, column)).toEqual({
      key: 'networkBackoffice.problems.empty',
      values: { column: '«cap»' },
    });
    expect(
      problemText({ code: 'outside_italy', column: 'latitudine', values: ['35', '47.5'] }, column),
    ).toEqual({
      key: 'networkBackoffice.problems.outside_italy',
      values: { column: '«latitudine»', min: '35', max: '47.5' },
    });
    expect(
      problemText({ code: 'services_unknown', values: ['yoga', 'massaggi'] }, column)?.values.values,
    ).toBe('yoga, massaggi');
    expect(problemText({ code: 'field_count', values: ['10', '2'] }, column)?.values).toMatchObject({
      expected: '10',
      found: '2',
    });
    // A code this page does not know: the English reason is shown instead.
    expect(problemText({ code: 'something_new' }, column)).toBeNull();
  });

  it('only administrators upload; auditors also read the history', () => {
    expect(canManageNetwork('administrator')).toBe(true);
    expect(canManageNetwork('auditor')).toBe(false);
    expect(canReadNetworkImports('auditor')).toBe(true);
    expect(canReadNetworkImports('booking_desk')).toBe(false);
    expect(canReadNetworkImports('claims_operator')).toBe(false);
  });
});
