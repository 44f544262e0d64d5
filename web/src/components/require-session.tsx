import { useEffect } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet } from 'react-router';
import { errorMessage } from '../lib/api';
import { loginState, useSession } from '../lib/session';
import { SessionTimeout } from './session-timeout';

/**
 * Route element for the member's pages: asks the server for the session when the app does not know
 * it yet, sends visitors without one to the login page (with the reason), and watches the timeout.
 */
export function RequireSession() {
  const { t } = useTranslation();
  const { state, check } = useSession();

  useEffect(() => {
    if (state.status === 'unknown') void check();
  }, [state.status, check]);

  if (state.status === 'active') {
    return (
      <>
        <Outlet />
        <SessionTimeout />
      </>
    );
  }
  if (state.status === 'signedOut') {
    return <Navigate to="/" replace state={loginState({ kind: state.reason })} />;
  }
  if (state.status === 'error') {
    return (
      <section className="card">
        <div role="alert" className="form-alert">
          <p>{errorMessage(t, state.error)}</p>
        </div>
        <Button className="button button--primary" onPress={() => void check()}>
          {t('form.retry')}
        </Button>
      </section>
    );
  }
  return (
    <section className="card">
      <p role="status">{t('session.checking')}</p>
    </section>
  );
}
