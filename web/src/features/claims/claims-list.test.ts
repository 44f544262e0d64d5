import { describe, expect, it } from 'vitest';
import { claimsListPath, filtersFromSearch, hasFilters, searchFromFilters } from './claims-list';

describe('claim list filters in the address', () => {
  it('reads the filters and ignores what it cannot read', () => {
    expect(filtersFromSearch(new URLSearchParams('stato=paid&anno=2026&beneficiario=b1&pagina=3'))).toEqual({
      state: 'paid',
      year: '2026',
      beneficiaryId: 'b1',
      page: 3,
    });
    expect(filtersFromSearch(new URLSearchParams('stato=nope&anno=26&pagina=-1'))).toEqual({
      state: '',
      year: '',
      beneficiaryId: '',
      page: 1,
    });
  });

  it('writes only the filters set, and the API query', () => {
    const filters = { state: 'submitted' as const, year: '', beneficiaryId: '', page: 1 };
    expect(searchFromFilters(filters).toString()).toBe('stato=submitted');
    expect(searchFromFilters({ ...filters, page: 2 }).toString()).toBe('stato=submitted&pagina=2');
    expect(claimsListPath({ ...filters, year: '2026' })).toBe(
      '/api/v1/claims?state=submitted&year=2026&page=1&pageSize=10',
    );
    expect(hasFilters(filters)).toBe(true);
    expect(hasFilters({ ...filters, state: '' })).toBe(false);
  });
});
