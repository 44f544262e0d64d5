import { CLAIM_LIMITS, CLAIM_STATES, type ClaimState } from '#contracts/claims.codes.js';
import { CLAIMS_PATH } from './claims-api';

/**
 * "Le mie pratiche"'s filters, kept in the page's address (`/pratiche?stato=…&anno=…&beneficiario=…&pagina=2`)
 * so a filtered list can be bookmarked and the back button works; and the API query they become.
 */
export interface ClaimFilters {
  state: ClaimState | '';
  year: string;
  beneficiaryId: string;
  page: number;
}

const isState = (value: string): value is ClaimState => (CLAIM_STATES as readonly string[]).includes(value);

/** The filters in the address; anything unreadable is ignored (no filter, page 1). */
export function filtersFromSearch(search: URLSearchParams): ClaimFilters {
  const state = search.get('stato') ?? '';
  const year = search.get('anno') ?? '';
  const page = Number(search.get('pagina') ?? '1');
  return {
    state: isState(state) ? state : '',
    year: /^\d{4}$/.test(year) ? year : '',
    beneficiaryId: search.get('beneficiario') ?? '',
    page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
  };
}

/** The address for these filters (only those set; page 1 left out). */
export function searchFromFilters(filters: ClaimFilters): URLSearchParams {
  const out = new URLSearchParams();
  if (filters.state) out.set('stato', filters.state);
  if (filters.year) out.set('anno', filters.year);
  if (filters.beneficiaryId) out.set('beneficiario', filters.beneficiaryId);
  if (filters.page > 1) out.set('pagina', String(filters.page));
  return out;
}

/** `GET /api/v1/claims?…` for these filters. */
export function claimsListPath(filters: ClaimFilters): string {
  const query = new URLSearchParams();
  if (filters.state) query.set('state', filters.state);
  if (filters.year) query.set('year', filters.year);
  if (filters.beneficiaryId) query.set('beneficiaryId', filters.beneficiaryId);
  query.set('page', String(filters.page));
  query.set('pageSize', String(CLAIM_LIMITS.pageSize.default));
  return `${CLAIMS_PATH}?${query.toString()}`;
}

export function hasFilters(filters: ClaimFilters): boolean {
  return filters.state !== '' || filters.year !== '' || filters.beneficiaryId !== '';
}
