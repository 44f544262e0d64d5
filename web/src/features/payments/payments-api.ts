import { PAYMENT_READ_ROLES, PAYMENT_WRITE_ROLES } from '#contracts/payments.codes.js';
import type {
  PayableClaims,
  PaymentBatchDetail,
  PaymentBatchList,
  PaymentBatchState,
  PaymentBatchSummary,
  PaymentClaim,
} from '#contracts/payments.js';
import type { StaffRole } from '../../lib/staff-session';

export type {
  PayableClaims,
  PaymentBatchDetail,
  PaymentBatchList,
  PaymentBatchState,
  PaymentBatchSummary,
  PaymentClaim,
};

/** The back office's payments pages. */
export const PAYMENTS_ROUTE = '/backoffice/pagamenti';
export const paymentBatchRoute = (id: string) => `${PAYMENTS_ROUTE}/${encodeURIComponent(id)}`;

/** The payments API. */
export const PAYMENT_BATCHES_PATH = '/api/v1/staff/payments/batches';
export const PAYABLE_PATH = '/api/v1/staff/payments/payable';
export const paymentBatchPath = (id: string) => `${PAYMENT_BATCHES_PATH}/${encodeURIComponent(id)}`;
export const paymentBatchFilePath = (id: string) => `${paymentBatchPath(id)}/file`;
export const staffLetterPath = (claimId: string) =>
  `/api/v1/staff/payments/letters/${encodeURIComponent(claimId)}`;
/** The member's copy of a paid claim's settlement letter. */
export const memberLetterPath = (claimId: string) => `/api/v1/claims/${encodeURIComponent(claimId)}/letter`;

/** Administrators make and move batches; auditors read them (the server checks it too). */
export const canReadPayments = (role: StaffRole) => (PAYMENT_READ_ROLES as readonly string[]).includes(role);
export const canWritePayments = (role: StaffRole) =>
  (PAYMENT_WRITE_ROLES as readonly string[]).includes(role);

/** True for a query key of any GET under the payments API: after a change. */
export function isPaymentsQueryKey(key: readonly unknown[]): boolean {
  return key[0] === 'api' && typeof key[1] === 'string' && key[1].startsWith('/api/v1/staff/payments');
}
