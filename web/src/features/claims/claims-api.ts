export type {
  BeneficiaryOption,
  CategoryOption,
  ClaimDetail,
  ClaimDocument,
  ClaimEvent,
  ClaimInvoice,
  ClaimList,
  ClaimOptions,
  ClaimSummary,
  ClaimWarning,
  Draft,
  DraftBody,
  DraftInvoice,
  Estimate,
  EstimateLine,
  Submitted,
} from '#contracts/claims.js';

/** The member's pages. */
export const CLAIM_WIZARD_ROUTE = '/rimborsi';
export const CLAIMS_ROUTE = '/pratiche';
export const claimRoute = (id: string) => `${CLAIMS_ROUTE}/${encodeURIComponent(id)}`;

/** The member's claims API. */
export const CLAIMS_PATH = '/api/v1/claims';
export const CLAIM_OPTIONS_PATH = `${CLAIMS_PATH}/options`;
export const DRAFTS_PATH = `${CLAIMS_PATH}/drafts`;
export const draftPath = (id: string) => `${DRAFTS_PATH}/${encodeURIComponent(id)}`;
export const draftDocumentsPath = (id: string) => `${draftPath(id)}/documents`;
export const claimPath = (id: string) => `${CLAIMS_PATH}/${encodeURIComponent(id)}`;
/** The settlement letter (PDF) of a paid claim. */
export const claimLetterPath = (id: string) => `${claimPath(id)}/letter`;
export const claimDocumentPath = (id: string, documentId: string) =>
  `${claimPath(id)}/documents/${encodeURIComponent(documentId)}`;

/** `…/documents?kind=&name=`: where a file goes (a draft's or a claim's integration). */
export const documentUploadUrl = (base: string, kind: string, name: string) =>
  `${base}?${new URLSearchParams({ kind, name: name.slice(0, 200) || 'file' }).toString()}`;

/** True for a query key of any GET under `/api/v1/claims` (the list pages, a claim): after a change. */
export function isClaimsQueryKey(key: readonly unknown[]): boolean {
  return key[0] === 'api' && typeof key[1] === 'string' && key[1].startsWith(CLAIMS_PATH);
}
