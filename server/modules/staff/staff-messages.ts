import type { StaffFieldCode } from '#contracts/staff.codes.js';
import { AppError, type ErrorDetail } from '../../errors/app-error.js';
import { STAFF_ROLES } from './staff.table.js';

export type { StaffFieldCode };

/** The command line's wording for a new user's problems (it prints them and exits). */
export const CLI_MESSAGES: Partial<Record<StaffFieldCode, string>> = {
  username_invalid: 'username: 3-64 characters, a-z 0-9 . _ -, starting with a letter',
  email_invalid: 'email: not a valid address',
  role_invalid: `role: one of ${STAFF_ROLES.join(', ')}`,
};

/** Why a new user's data or an administrator's request is refused: a code, worded by the web. */
export function staffFieldError(field: string, code: StaffFieldCode): ErrorDetail {
  return { field, code };
}

export const usernameTaken = () => new AppError('CONFLICT', [staffFieldError('username', 'username_taken')]);
