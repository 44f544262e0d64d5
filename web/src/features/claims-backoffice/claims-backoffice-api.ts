import type { TFunction } from 'i18next';
import { DETAIL_CODES } from '#contracts/details.codes.js';
import type { StaffRole } from '#contracts/staff.codes.js';
import { ApiError, detailText, errorMessage } from '../../lib/api';

export type {
  DecisionBody,
  DecisionResult,
  Queue,
  QueueItem,
  StaffClaimDetail,
  StaffClaimInvoice,
} from '#contracts/claims-backoffice.js';

/** The operators' queue and a claim in the back office (PRODUCT.md §4). */
export const CLAIMS_QUEUE_ROUTE = '/backoffice/pratiche';
export const staffClaimRoute = (id: string) => `${CLAIMS_QUEUE_ROUTE}/${encodeURIComponent(id)}`;

export const STAFF_CLAIMS_PATH = '/api/v1/staff/claims';
export const staffClaimPath = (id: string) => `${STAFF_CLAIMS_PATH}/${encodeURIComponent(id)}`;
export const staffClaimDocumentPath = (id: string, documentId: string) =>
  `${staffClaimPath(id)}/documents/${encodeURIComponent(documentId)}`;

/** Operators process; administrators and auditors read; the booking desk sees none of it. */
export const canReadClaims = (role: StaffRole) =>
  role === 'claims_operator' || role === 'administrator' || role === 'auditor';

export function isStaffClaimsQueryKey(key: readonly unknown[]): boolean {
  return key[0] === 'api' && typeof key[1] === 'string' && key[1].startsWith(STAFF_CLAIMS_PATH);
}

/** A refusal worded by its first known detail code (with its values), else by the error's code. */
export function staffClaimError(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) {
    const detail = error.details.find((d) => d.code && (DETAIL_CODES as readonly string[]).includes(d.code));
    if (detail?.code && error.code !== 'VALIDATION_FAILED') return detailText(t, detail);
  }
  return errorMessage(t, error);
}

/** The queue's filters, as the address's query keeps them (Italian names) and the API reads them. */
export interface QueueFilters {
  state: string;
  minDays: string;
  category: string;
  plan: string;
  minEuro: string;
  maxEuro: string;
  duplicate: '' | 'true' | 'false';
  page: number;
}

export function queueFiltersFromSearch(search: URLSearchParams): QueueFilters {
  const page = Number(search.get('pagina') ?? '1');
  const duplicate = search.get('duplicato');
  return {
    state: search.get('stato') ?? '',
    minDays: search.get('giorni') ?? '',
    category: search.get('categoria') ?? '',
    plan: search.get('piano') ?? '',
    minEuro: search.get('da') ?? '',
    maxEuro: search.get('a') ?? '',
    duplicate: duplicate === 'true' || duplicate === 'false' ? duplicate : '',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

export function searchFromQueueFilters(f: QueueFilters): URLSearchParams {
  const out = new URLSearchParams();
  const put = (name: string, value: string) => {
    if (value) out.set(name, value);
  };
  put('stato', f.state);
  put('giorni', f.minDays);
  put('categoria', f.category);
  put('piano', f.plan);
  put('da', f.minEuro);
  put('a', f.maxEuro);
  put('duplicato', f.duplicate);
  if (f.page > 1) out.set('pagina', String(f.page));
  return out;
}

/** The API path for the filters; amounts typed in euro (already checked) become cents. */
export function queuePath(f: QueueFilters, cents: (euro: string) => number | null): string {
  const q = new URLSearchParams();
  if (f.state) q.set('state', f.state);
  if (/^\d{1,4}$/.test(f.minDays)) q.set('minDays', f.minDays);
  if (f.category) q.set('category', f.category);
  if (f.plan) q.set('plan', f.plan);
  const min = f.minEuro ? cents(f.minEuro) : null;
  const max = f.maxEuro ? cents(f.maxEuro) : null;
  if (min !== null) q.set('minCents', String(min));
  if (max !== null) q.set('maxCents', String(max));
  if (f.duplicate) q.set('duplicate', f.duplicate);
  if (f.page > 1) q.set('page', String(f.page));
  const query = q.toString();
  return query ? `${STAFF_CLAIMS_PATH}?${query}` : STAFF_CLAIMS_PATH;
}
