import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../lib/api';
import { formatClockTime, formatCountdown } from '../lib/format';
import { activeState, type SessionContextValue, type SessionTiming, useSession } from '../lib/session';
import { PendingButton } from './submit-button';

/** The warning appears this long before the session ends. */
export const SESSION_WARNING_MS = 2 * 60_000;

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}

/**
 * Idle timeout, told in advance: two minutes before the session ends a non-modal alert dialog
 * ("La sessione sta per scadere") takes focus and offers "RESTA COLLEGATO"; at the end the member
 * goes back to the login page ("Sessione scaduta"). Non-modal on purpose: react-aria's modal
 * injects an inline style our CSP refuses, and nothing behind needs to be blocked.
 * The member's session by default; the back office passes its own.
 */
export function SessionTimeout({ session }: { session?: SessionContextValue<SessionTiming> } = {}) {
  const member = useSession();
  return <SessionTimeoutFor session={session ?? member} />;
}

function SessionTimeoutFor({ session }: { session: SessionContextValue<SessionTiming> }) {
  const { t, i18n } = useTranslation();
  const { state, signIn, signOut, endpoints } = session;
  const now = useNow(1000);
  const titleId = useId();
  const textId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);
  const extendRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  /** The deadline the server confirmed when the warning window opened. */
  const [confirmed, setConfirmed] = useState<number | null>(null);

  const active = state.status === 'active' ? state : null;
  const deadline = active ? Math.min(active.idleDeadline, active.absoluteDeadline) : Number.POSITIVE_INFINITY;
  const finalLimit = active ? active.absoluteDeadline <= active.idleDeadline : false;
  const inWindow = active !== null && now >= deadline - SESSION_WARNING_MS;
  const expired = inWindow && confirmed === deadline && now >= deadline;
  const warning = inWindow && confirmed === deadline && !expired;

  // Before warning, ask the server (reading the session does not extend it): the member may have
  // been active in another tab, and our estimate after member calls is a conservative one.
  useEffect(() => {
    if (!inWindow || confirmed === deadline) return;
    let cancelled = false;
    api
      .get<SessionTiming>(endpoints.sessionPath)
      .then((info) => {
        if (cancelled) return;
        const fresh = activeState(info);
        if (Math.min(fresh.idleDeadline, fresh.absoluteDeadline) > deadline + 1000) signIn(info);
        else setConfirmed(deadline);
      })
      .catch(() => {
        // A 401 has already signed the member out (see SessionProvider); otherwise trust our clock.
        if (!cancelled) setConfirmed(deadline);
      });
    return () => {
      cancelled = true;
    };
  }, [inWindow, confirmed, deadline, signIn, endpoints]);

  useEffect(() => {
    if (!expired) return;
    // The server has ended it or is about to: make sure, then go to the login page.
    api.post<void>(endpoints.logoutPath).catch(() => undefined);
    signOut('expired');
  }, [expired, signOut, endpoints]);

  useEffect(() => {
    if (warning) {
      returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      (extendRef.current ?? dialogRef.current)?.focus();
      return;
    }
    const previous = returnFocus.current;
    returnFocus.current = null;
    if (previous?.isConnected) previous.focus();
  }, [warning]);

  if (!active || !warning) return null;

  async function extend(): Promise<void> {
    setPending(true);
    setFailure(null);
    try {
      signIn(await api.post<SessionTiming>(endpoints.extendPath));
    } catch (error) {
      setFailure(error);
    } finally {
      setPending(false);
    }
  }

  const values = {
    countdown: formatCountdown(deadline - now),
    time: formatClockTime(deadline, i18n.resolvedLanguage ?? 'it'),
  };

  return (
    <div
      ref={dialogRef}
      role="alertdialog"
      aria-labelledby={titleId}
      aria-describedby={textId}
      tabIndex={-1}
      className="session-warning"
    >
      <h2 id={titleId} className="session-warning__title">
        {t('session.warningTitle')}
      </h2>
      <p id={textId}>{finalLimit ? t('session.warningFinal', values) : t('session.warningText', values)}</p>
      {failure !== null && <p className="field__error">{errorMessage(t, failure)}</p>}
      {!finalLimit && (
        <PendingButton ref={extendRef} pending={pending} onPress={() => void extend()}>
          {t('session.extend')}
        </PendingButton>
      )}
    </div>
  );
}
