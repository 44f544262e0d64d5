import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { SessionInfo } from '../../../contracts/auth';
import { ApiError, api, onApiResponse, serverClockOffset } from './api';

export const SESSION_PATH = '/api/v1/auth/session';
export const SESSION_EXTEND_PATH = '/api/v1/auth/session/extend';
export const LOGOUT_PATH = '/api/v1/auth/logout';
export const LOGIN_PATH = '/api/v1/auth/login';

/** Why there is no session: shown on the login page. */
export type SignedOutReason = 'expired' | 'loggedOut' | 'unauthenticated';

export type SessionState =
  | { status: 'unknown' }
  | { status: 'checking' }
  | { status: 'error'; error: unknown }
  | { status: 'signedOut'; reason: SignedOutReason }
  | {
      status: 'active';
      info: SessionInfo;
      /** Local-clock instants (ms) when the session ends without activity, and in any case. */
      idleDeadline: number;
      absoluteDeadline: number;
    };

/**
 * Answers from these paths say nothing about the member's activity: public forms, and the auth
 * calls, which return a SessionInfo the caller hands to `signIn`.
 */
const NOT_ACTIVITY = [
  '/api/v1/public-config',
  '/api/v1/captcha/',
  '/api/v1/registrations',
  '/api/v1/activations',
  '/api/v1/auth/',
];

/** The server refreshes a session's expiry at most once a minute: count on the earlier value. */
const TOUCH_GRANULARITY_MS = 60_000;

export function activeState(
  info: SessionInfo,
  now: number = Date.now(),
): Extract<SessionState, { status: 'active' }> {
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

/** After a member call the server saw, the idle deadline moves forward (never backward). */
export function afterActivity(
  state: Extract<SessionState, { status: 'active' }>,
  now: number = Date.now(),
): Extract<SessionState, { status: 'active' }> {
  const candidate = now + state.info.idleTimeoutSeconds * 1000 - TOUCH_GRANULARITY_MS;
  if (candidate <= state.idleDeadline) return state;
  return { ...state, idleDeadline: Math.min(candidate, state.absoluteDeadline) };
}

export function countsAsActivity(path: string): boolean {
  return path.startsWith('/api/') && !NOT_ACTIVITY.some((prefix) => path.startsWith(prefix));
}

interface SessionContextValue {
  state: SessionState;
  signIn(info: SessionInfo): void;
  signOut(reason: SignedOutReason): void;
  /** Asks the server whether the cookie still holds a session (once at a time). */
  check(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'unknown' });
  const checking = useRef<Promise<void> | null>(null);

  const signIn = useCallback((info: SessionInfo) => setState(activeState(info)), []);
  const signOut = useCallback((reason: SignedOutReason) => setState({ status: 'signedOut', reason }), []);

  const check = useCallback(() => {
    if (checking.current) return checking.current;
    setState({ status: 'checking' });
    const run = api
      .get<SessionInfo>(SESSION_PATH)
      .then((info) => setState(activeState(info)))
      .catch((error: unknown) => {
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
  }, []);

  // Member calls keep the session alive on the server; a 401 means it is gone.
  useEffect(
    () =>
      onApiResponse(({ path, status }) => {
        setState((current) => {
          if (current.status !== 'active') return current;
          if (status === 401 && path !== LOGIN_PATH) return { status: 'signedOut', reason: 'expired' };
          if (status >= 200 && status < 400 && countsAsActivity(path)) return afterActivity(current);
          return current;
        });
      }),
    [],
  );

  const value = useMemo(() => ({ state, signIn, signOut, check }), [state, signIn, signOut, check]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() needs a <SessionProvider> above it');
  return value;
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
