import { describe, expect, it } from 'vitest';
import { apiKey } from '../../lib/query';
import {
  isStaffClaimsQueryKey,
  queueFiltersFromSearch,
  queuePath,
  searchFromQueueFilters,
} from './claims-backoffice-api';

const cents = (euro: string) =>
  /^\d+(,\d{1,2})?$/.test(euro) ? Math.round(Number(euro.replace(',', '.')) * 100) : null;

describe('the queue filters', () => {
  it('travel in the address in Italian and back, and reach the API as its names, amounts in cents', () => {
    const filters = queueFiltersFromSearch(
      new URLSearchParams(
        'stato=in_review&giorni=30&categoria=fisioterapia&da=100,50&duplicato=true&pagina=2',
      ),
    );
    expect(filters).toMatchObject({
      state: 'in_review',
      minDays: '30',
      minEuro: '100,50',
      duplicate: 'true',
      page: 2,
    });
    expect(searchFromQueueFilters(filters).toString()).toBe(
      'stato=in_review&giorni=30&categoria=fisioterapia&da=100%2C50&duplicato=true&pagina=2',
    );
    expect(queuePath(filters, cents)).toBe(
      '/api/v1/staff/claims?state=in_review&minDays=30&category=fisioterapia&minCents=10050&duplicate=true&page=2',
    );
  });

  it('leave out what is not a value: a page below 1, days that are not a number, an unreadable amount', () => {
    const filters = queueFiltersFromSearch(
      new URLSearchParams('giorni=tanti&pagina=-3&a=euro&duplicato=forse'),
    );
    expect(filters.page).toBe(1);
    expect(filters.duplicate).toBe('');
    expect(queuePath(filters, cents)).toBe('/api/v1/staff/claims');
  });
});

describe('the queries a change reads again', () => {
  it("are the queue and the claims of the back office, not the member's", () => {
    expect(isStaffClaimsQueryKey(apiKey('/api/v1/staff/claims?state=submitted'))).toBe(true);
    expect(isStaffClaimsQueryKey(apiKey('/api/v1/staff/claims/01-abc'))).toBe(true);
    expect(isStaffClaimsQueryKey(apiKey('/api/v1/claims/01-abc'))).toBe(false);
  });
});
