import type { MemberFieldCode } from '#contracts/members.codes.js';
import type { ErrorDetail } from '../../errors/app-error.js';

/** Why a field of the account forms is refused: a stable code, worded by the error handler and the web. */
export function fieldError(field: string, code: MemberFieldCode): ErrorDetail {
  return { field, code };
}
