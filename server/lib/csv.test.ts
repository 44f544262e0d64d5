import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './csv.js';

describe('CSV export cells', () => {
  it('neutralise formulas a spreadsheet would run', () => {
    expect(csvCell('=HYPERLINK("http://x","click")')).toBe('"\'=HYPERLINK(""http://x"",""click"")"');
    expect(csvCell('+39 333')).toBe('"\'+39 333"');
    expect(csvCell('-1')).toBe('"\'-1"');
    expect(csvCell('@SUM(A1)')).toBe('"\'@SUM(A1)"');
    expect(csvCell('\tx')).toBe('"\'\tx"');
  });

  it('quote everything else, double quotes, and leave empty values empty', () => {
    expect(csvCell('authn_login_success')).toBe('"authn_login_success"');
    expect(csvCell('a;b "c"')).toBe('"a;b ""c"""');
    expect(csvCell(null)).toBe('');
    expect(csvLine(['a', 1, null])).toBe('"a";"1";\r\n');
  });
});
