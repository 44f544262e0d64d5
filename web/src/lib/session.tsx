import {
  type Context,
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { SessionInfo } from '#contracts/auth.js';
import { ApiError, api, onApiResponse, requestsSent, serverClockOffset } from './api';
import { forgetServerState } from './query';

export const SESSION_PATH = '/api/v1/auth/session';
export const SESSION_EXTEND_PATH = '/api/v1/auth/session/extend';
export const LOGOUT_PATH = '/api/v1/auth/logout';
export const LOGIN_PATH = '/api/v1/auth/login';

/** Why there is no session: shown on the login page. */
export type SignedOutReason = 'expired' | 'loggedOut' | 'unauthenticated';

/** What every session answer carries (the member's SessionInfo, the staff's StaffSessionInfo). */
export interface SessionTiming {
  idleExpiresAt: string;
  absoluteExpiresAt: string;
  idleTimeoutSeconds: number;
}

export interface ActiveSession<Info extends SessionTiming = SessionInfo> {
  status: 'active';
  info: Info;
  /** Local-clock instants (ms) when the session ends without activity, and in any case. */
  idleDeadline: number;
  absoluteDeadline: number;
}

export type SessionState<Info extends SessionTiming = SessionInfo> =
  | { status: 'unknown' }
  | { status: 'checking' }
  | { status: 'error'; error: unknown }
  | { status: 'signedOut'; reason: SignedOutReason }
  | ActiveSession<Info>;

/** The API of one kind of session (member, staff): its paths and which calls concern it. */
export interface SessionEndpoints {
  sessionPath: string;
  extendPath: string;
  logoutPath: string;
  loginPath: string;
  /** A 401 from this path means the session is gone (other sessions' calls are not ours). */
  owns(path: string): boolean;
  /** An answer from this path means the server saw activity and moved the idle expiry. */
  countsAsActivity(path: string): boolean;
}

/** Everything under this prefix belongs to the back office and its own (staff) session cookie. */
export const STAFF_API_PREFIX = '/api/v1/staff/';

/**
 * Answers from these paths say nothing about the member's activity: public forms, the auth
 * calls (which return a SessionInfo the caller hands to `signIn`), and the back office's calls.
 */
const NOT_ACTIVITY = [
  '/api/v1/public-config',
  '/api/v1/captcha/',
  '/api/v1/registrations',
  '/api/v1/activations',
  '/api/v1/auth/',
  STAFF_API_PREFIX,
];

/** The server refreshes a session's expiry at most once a minute: count on the earlier value. */
const TOUCH_GRANULARITY_MS = 60_000;

export function activeState<Info extends SessionTiming>(
  info: Info,
  now: number = Date.now(),
): ActiveSession<Info> {
  const offset = serverClockOffset();
  const idle = Date.parse(info.idleExpiresAt) - offset;
  const absolute = Date.parse(info.absoluteExpiresAt) - offset;
  return {
    status: 'active',
    info,
    idleDeadline: Number.isNaN(idle) ? now + info.idleTimeoutSeconds * 1000 : idle,
    absoluteDeadline: Number.isNaN(absolute) ? Number.POSITIVE_INFINITY : absolute,
  };
}

/** After a call the server saw, the idle deadline moves forward (never backward). */
export function afterActivity<Info extends SessionTiming>(
  state: ActiveSession<Info>,
  now: number = Date.now(),
): ActiveSession<Info> {
  const candidate = now + state.info.idleTimeoutSeconds * 1000 - TOUCH_GRANULARITY_MS;
  if (candidate <= state.idleDeadline) return state;
  return { ...state, idleDeadline: Math.min(candidate, state.absoluteDeadline) };
}

/** The member's calls: every API path but the back office's. */
export function memberOwns(path: string): boolean {
  return path.startsWith('/api/') && !path.startsWith(STAFF_API_PREFIX);
}

export function countsAsActivity(path: string): boolean {
  return path.startsWith('/api/') && !NOT_ACTIVITY.some((prefix) => path.startsWith(prefix));
}

export const MEMBER_SESSION: SessionEndpoints = {
  sessionPath: SESSION_PATH,
  extendPath: SESSION_EXTEND_PATH,
  logoutPath: LOGOUT_PATH,
  loginPath: LOGIN_PATH,
  owns: memberOwns,
  countsAsActivity,
};

export interface SessionContextValue<Info extends SessionTiming = SessionInfo> {
  state: SessionState<Info>;
  endpoints: SessionEndpoints;
  signIn(info: Info): void;
  signOut(reason: SignedOutReason): void;
  /** Asks the server whether the cookie still holds a session (once at a time). */
  check(): Promise<void>;
}

/**
 * The state of one kind of session (its cookie) as the app knows it, kept up to date by every API
 * answer that concerns it: activity moves the idle expiry forward, a 401 ends it.
 */
function useSessionKeeper<Info extends SessionTiming>(
  endpoints: SessionEndpoints,
): SessionContextValue<Info> {
  const [state, setState] = useState<SessionState<Info>>({ status: 'unknown' });
  const checking = useRef<Promise<void> | null>(null);

  // Whatever was loaded for the session that ended must not be shown to whoever comes next.
  useEffect(() => {
    if (state.status === 'signedOut') forgetServerState();
  }, [state.status]);

  // Answers to requests sent before the last sign-in or sign-out speak of an earlier session: a
  // late 401 from a page of the previous session must not end the one that has just begun.
  const changedAfter = useRef(0);
  const signIn = useCallback((info: Info) => {
    changedAfter.current = requestsSent();
    setState(activeState(info));
  }, []);
  const signOut = useCallback((reason: SignedOutReason) => {
    changedAfter.current = requestsSent();
    setState({ status: 'signedOut', reason });
  }, []);

  const check = useCallback(() => {
    if (checking.current) return checking.current;
    setState({ status: 'checking' });
    const since = requestsSent();
    const stillCurrent = () => changedAfter.current <= since;
    const run = api
      .get<Info>(endpoints.sessionPath)
      .then((info) => {
        if (stillCurrent()) setState(activeState(info));
      })
      .catch((error: unknown) => {
        if (!stillCurrent()) return;
        if (error instanceof ApiError && error.status === 401) {
          setState({ status: 'signedOut', reason: 'unauthenticated' });
        } else {
          setState({ status: 'error', error });
        }
      })
      .finally(() => {
        checking.current = null;
      });
    checking.current = run;
    return run;
  }, [endpoints]);

  // Our calls keep the session alive on the server; a 401 means it is gone.
  useEffect(
    () =>
      onApiResponse(({ path, status, sequence }) => {
        if (!endpoints.owns(path) || sequence <= changedAfter.current) return;
        setState((current) => {
          if (current.status !== 'active') return current;
          if (status === 401 && path !== endpoints.loginPath)
            return { status: 'signedOut', reason: 'expired' };
          if (status >= 200 && status < 400 && endpoints.countsAsActivity(path))
            return afterActivity(current);
          return current;
        });
      }),
    [endpoints],
  );

  return useMemo(
    () => ({ state, endpoints, signIn, signOut, check }),
    [state, endpoints, signIn, signOut, check],
  );
}

/** Provides one kind of session (member, staff) through its own context. */
export function SessionKeeperProvider<Info extends SessionTiming>({
  context,
  endpoints,
  children,
}: {
  context: Context<SessionContextValue<Info> | null>;
  endpoints: SessionEndpoints;
  children: ReactNode;
}) {
  const value = useSessionKeeper<Info>(endpoints);
  return <context.Provider value={value}>{children}</context.Provider>;
}

export function useSessionContext<Info extends SessionTiming>(
  context: Context<SessionContextValue<Info> | null>,
  name: string,
): SessionContextValue<Info> {
  const value = useContext(context);
  if (!value) throw new Error(`${name} needs its provider above it`);
  return value;
}

const MemberSessionContext = createContext<SessionContextValue<SessionInfo> | null>(null);

/** The member's session (the member portal's cookie). */
export function SessionProvider({ children }: { children: ReactNode }) {
  return (
    <SessionKeeperProvider context={MemberSessionContext} endpoints={MEMBER_SESSION}>
      {children}
    </SessionKeeperProvider>
  );
}

export function useSession(): SessionContextValue<SessionInfo> {
  return useSessionContext(MemberSessionContext, 'useSession()');
}

/** The notice the login page shows, passed as router state. */
export type LoginNotice =
  | { kind: SignedOutReason }
  | { kind: 'passwordRecovery'; email: string }
  | { kind: 'usernameRecovery'; email: string };

export function parseLoginNotice(state: unknown): LoginNotice | null {
  if (typeof state !== 'object' || state === null || !('notice' in state)) return null;
  const notice = (state as { notice: unknown }).notice;
  if (typeof notice !== 'object' || notice === null) return null;
  const { kind, email } = notice as { kind?: unknown; email?: unknown };
  if (kind === 'expired' || kind === 'loggedOut' || kind === 'unauthenticated') return { kind };
  if ((kind === 'passwordRecovery' || kind === 'usernameRecovery') && typeof email === 'string') {
    return { kind, email };
  }
  return null;
}

export function loginState(notice: LoginNotice): { notice: LoginNotice } {
  return { notice };
}
