import { createContext, type ReactNode } from 'react';
import { STAFF_ROLES } from '#contracts/staff.codes.js';
import type { StaffSessionInfo } from '#contracts/staff.js';
import {
  type SessionContextValue,
  type SessionEndpoints,
  SessionKeeperProvider,
  STAFF_API_PREFIX,
  useSessionContext,
} from './session';

export const STAFF_SESSION_PATH = '/api/v1/staff/auth/session';
export const STAFF_SESSION_EXTEND_PATH = '/api/v1/staff/auth/session/extend';
export const STAFF_LOGOUT_PATH = '/api/v1/staff/auth/logout';
export const STAFF_LOGIN_PATH = '/api/v1/staff/auth/login';
export const ENROLMENT_START_PATH = '/api/v1/staff/enrolment/start';
export const ENROLMENT_COMPLETE_PATH = '/api/v1/staff/enrolment/complete';

/** Calls that return a session the caller hands to `signIn`, or that need none (enrolment). */
const STAFF_NOT_ACTIVITY = ['/api/v1/staff/auth/', '/api/v1/staff/enrolment/'];

export function staffOwns(path: string): boolean {
  return path.startsWith(STAFF_API_PREFIX) && !path.startsWith('/api/v1/staff/enrolment/');
}

export function staffCallCountsAsActivity(path: string): boolean {
  return staffOwns(path) && !STAFF_NOT_ACTIVITY.some((prefix) => path.startsWith(prefix));
}

export const STAFF_SESSION: SessionEndpoints = {
  sessionPath: STAFF_SESSION_PATH,
  extendPath: STAFF_SESSION_EXTEND_PATH,
  logoutPath: STAFF_LOGOUT_PATH,
  loginPath: STAFF_LOGIN_PATH,
  owns: staffOwns,
  countsAsActivity: staffCallCountsAsActivity,
};

const StaffSessionContext = createContext<SessionContextValue<StaffSessionInfo> | null>(null);

/** The back office's session: a cookie of its own, separate from the member's. */
export function StaffSessionProvider({ children }: { children: ReactNode }) {
  return (
    <SessionKeeperProvider context={StaffSessionContext} endpoints={STAFF_SESSION}>
      {children}
    </SessionKeeperProvider>
  );
}

export function useStaffSession(): SessionContextValue<StaffSessionInfo> {
  return useSessionContext(StaffSessionContext, 'useStaffSession()');
}

export type StaffRole = StaffSessionInfo['role'];
export { STAFF_ROLES };

/** Roles that may read the audit trail (the server checks it too). */
export const AUDIT_ROLES: readonly StaffRole[] = ['auditor', 'administrator'];

export function canReadAudit(role: StaffRole): boolean {
  return AUDIT_ROLES.includes(role);
}

/** Warn when this few recovery codes are left. */
export const FEW_RECOVERY_CODES = 3;
