import type { ClaimConflictCode, ClaimFieldCode, DocumentRefusalCode } from '#contracts/claims.codes.js';
import type { ErrorDetail } from '../../errors/app-error.js';

/**
 * The claims module's refusals as details: a code (contracts/claims.codes.ts) and the field it
 * concerns, never text. The web words them (`fieldErrors.<code>`); the error handler gives API
 * clients the server catalog's message (server/errors/detail-messages.ts).
 */

/** A detail of VALIDATION_FAILED for a field check (`field` a JSON pointer). */
export function fieldProblem(field: string, code: ClaimFieldCode): ErrorDetail {
  return { field, code };
}

/** A detail for a refused document (field `file`). */
export function documentProblem(code: DocumentRefusalCode): ErrorDetail {
  return { field: 'file', code };
}

/** A refusal of an action in the claim's present state (CONFLICT). */
export function conflict(code: ClaimConflictCode, field = 'state'): ErrorDetail {
  return { field, code };
}
