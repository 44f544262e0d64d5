import { STAFF_USER_STATES } from '#contracts/staff.codes.js';
import type {
  CreateStaffUserRequest,
  StaffUserList,
  StaffUserResponse,
  StaffUserState,
  StaffUserView,
} from '#contracts/staff.js';
import { api } from '../../lib/api';
import type { StaffRole } from '../../lib/staff-session';

export type { CreateStaffUserRequest, StaffUserList, StaffUserState, StaffUserView };

/** The administrators' page of back-office users. */
export const STAFF_ADMIN_ROUTE = '/backoffice/personale';
export const STAFF_USERS_PATH = '/api/v1/staff/users';

export type StaffUserAction = 'disable' | 'enable' | 'reset-two-factor';

export const staffUserActionPath = (id: string, action: StaffUserAction | 'role') =>
  `${STAFF_USERS_PATH}/${encodeURIComponent(id)}/${action}`;

/** Only administrators manage staff users (the server checks it too). */
export const canManageStaff = (role: StaffRole) => role === 'administrator';

export { STAFF_USER_STATES };

export const staffUsersApi = {
  create: (body: CreateStaffUserRequest) =>
    api.post<StaffUserResponse>(STAFF_USERS_PATH, body).then((r) => r.user),
  act: (id: string, action: StaffUserAction) =>
    api.post<StaffUserResponse>(staffUserActionPath(id, action), {}).then((r) => r.user),
  changeRole: (id: string, role: StaffRole) =>
    api.post<StaffUserResponse>(staffUserActionPath(id, 'role'), { role }).then((r) => r.user),
};
