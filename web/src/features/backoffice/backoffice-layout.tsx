import { useEffect, useState } from 'react';
import { Button, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { PageFrame } from '../../components/layout';
import { SessionTimeout } from '../../components/session-timeout';
import { PendingButton } from '../../components/submit-button';
import { api, errorMessage } from '../../lib/api';
import {
  canReadAudit,
  FEW_RECOVERY_CODES,
  STAFF_LOGOUT_PATH,
  type StaffRole,
  StaffSessionProvider,
  useStaffSession,
} from '../../lib/staff-session';
import { DESK_ROUTE } from '../bookings/bookings-api';
import { CLAIMS_QUEUE_ROUTE, canReadClaims } from '../claims-backoffice/claims-backoffice-api';
import { NETWORK_BACKOFFICE_ROUTE } from '../network/network-api';
import { canReadPayments, PAYMENTS_ROUTE } from '../payments/payments-api';
import {
  canReadRegistrationRequests,
  REGISTRATION_REQUESTS_ROUTE,
} from '../registration-requests/registration-requests-api';
import { canReadReports, REPORTS_ROUTE } from '../reports/reports-api';
import { canManageStaff, STAFF_ADMIN_ROUTE } from '../staff-admin/staff-admin-api';

export const BACKOFFICE_HOME = '/backoffice';
export const AUDIT_ROUTE = '/backoffice/audit';
export const REGISTRY_ROUTE = '/backoffice/anagrafica';
export const PLANS_ROUTE = '/backoffice/piani';

/** "Operatore pratiche", "Revisore", … */
export function useRoleName(): (role: StaffRole) => string {
  const { t } = useTranslation();
  return (role) => t(`backoffice.roles.${role}`);
}

/** "ESCI": ends the staff session on the server, then the back office shows its login page. */
function StaffLogoutButton() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { signOut } = useStaffSession();
  const [pending, setPending] = useState(false);

  async function logout(): Promise<void> {
    setPending(true);
    try {
      await api.post<void>(STAFF_LOGOUT_PATH);
    } catch {
      // Gone already (401) or unreachable: the session ends with its idle timeout anyway.
    } finally {
      setPending(false);
    }
    signOut('loggedOut');
    void navigate(BACKOFFICE_HOME);
  }

  return (
    <PendingButton
      className="button button--secondary button--small"
      pending={pending}
      onPress={() => void logout()}
    >
      {t('layout.logout')}
    </PendingButton>
  );
}

/** The tools of the signed-in user's role: the member registry for all, the audit trail for some. */
export function StaffNavigation({ role }: { role: StaffRole }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const current = (route: string) =>
    pathname === route || pathname.startsWith(`${route}/`) ? ('page' as const) : undefined;
  return (
    <nav aria-label={t('backoffice.nav.label')} className="staff-nav">
      <ul>
        <li>
          <Link href={REGISTRY_ROUTE} aria-current={current(REGISTRY_ROUTE)}>
            {t('backoffice.nav.registry')}
          </Link>
        </li>
        {canReadClaims(role) && (
          <li>
            <Link href={CLAIMS_QUEUE_ROUTE} aria-current={current(CLAIMS_QUEUE_ROUTE)}>
              {t('claimsQueue.nav')}
            </Link>
          </li>
        )}
        {role !== 'claims_operator' && (
          <li>
            <Link href={DESK_ROUTE} aria-current={current(DESK_ROUTE)}>
              {t('bookingDesk.nav')}
            </Link>
          </li>
        )}
        {canReadRegistrationRequests(role) && (
          <li>
            <Link href={REGISTRATION_REQUESTS_ROUTE} aria-current={current(REGISTRATION_REQUESTS_ROUTE)}>
              {t('registrationRequests.nav')}
            </Link>
          </li>
        )}
        <li>
          <Link href={PLANS_ROUTE} aria-current={current(PLANS_ROUTE)}>
            {t('backoffice.nav.plans')}
          </Link>
        </li>
        <li>
          <Link href={NETWORK_BACKOFFICE_ROUTE} aria-current={current(NETWORK_BACKOFFICE_ROUTE)}>
            {t('networkBackoffice.nav')}
          </Link>
        </li>
        {canReadPayments(role) && (
          <li>
            <Link href={PAYMENTS_ROUTE} aria-current={current(PAYMENTS_ROUTE)}>
              {t('payments.nav')}
            </Link>
          </li>
        )}
        {canReadAudit(role) && (
          <li>
            <Link href={AUDIT_ROUTE} aria-current={current(AUDIT_ROUTE)}>
              {t('backoffice.nav.audit')}
            </Link>
          </li>
        )}
        {canReadReports(role) && (
          <li>
            <Link href={REPORTS_ROUTE} aria-current={current(REPORTS_ROUTE)}>
              {t('reports.nav')}
            </Link>
          </li>
        )}
        {canManageStaff(role) && (
          <li>
            <Link href={STAFF_ADMIN_ROUTE} aria-current={current(STAFF_ADMIN_ROUTE)}>
              {t('staffAdmin.nav')}
            </Link>
          </li>
        )}
      </ul>
    </nav>
  );
}

function StaffBar() {
  const { t } = useTranslation();
  const roleName = useRoleName();
  const { state } = useStaffSession();
  if (state.status !== 'active') return null;
  const { username, role } = state.info;
  return (
    <div className="staff-bar">
      <div className="container staff-bar__inner">
        <p className="staff-bar__user">{t('backoffice.signedInAs', { username, role: roleName(role) })}</p>
        <StaffNavigation role={role} />
      </div>
    </div>
  );
}

function Frame() {
  const { t } = useTranslation();
  const session = useStaffSession();
  const { state, check } = session;

  // The header shows who is signed in: ask the server once when the app does not know yet.
  useEffect(() => {
    if (state.status === 'unknown') void check();
  }, [state.status, check]);

  const active = state.status === 'active' ? state : null;
  return (
    <PageFrame
      homeHref={BACKOFFICE_HOME}
      brandName={t('backoffice.brand')}
      brandTagline={t('backoffice.brandTagline')}
      tools={active && <StaffLogoutButton />}
      headerExtra={<StaffBar />}
    >
      {active && active.info.recoveryCodesLeft <= FEW_RECOVERY_CODES && (
        <p className="staff-warning staff-warning--top" role="note">
          {t('backoffice.recoveryCodesLow', { left: active.info.recoveryCodesLeft })}
        </p>
      )}
      <Outlet />
      {active && <SessionTimeout session={session} />}
    </PageFrame>
  );
}

/** Route element of `/backoffice/*`: the staff session (its own cookie) and the back office's frame. */
export function BackofficeLayout() {
  return (
    <StaffSessionProvider>
      <Frame />
    </StaffSessionProvider>
  );
}

/** While the session is checked, or when the check failed: what the page shows instead. */
export function StaffSessionPending() {
  const { t } = useTranslation();
  const { state, check } = useStaffSession();
  if (state.status === 'error') {
    return (
      <section className="card">
        <h1>{t('backoffice.home.heading')}</h1>
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
      <h1>{t('backoffice.home.heading')}</h1>
      <p role="status">{t('backoffice.checking')}</p>
    </section>
  );
}

/** Route element for the signed-in back-office pages: without a session, back to its login page. */
export function RequireStaffSession() {
  const { state } = useStaffSession();
  if (state.status === 'active') return <Outlet />;
  if (state.status === 'signedOut') return <Navigate to={BACKOFFICE_HOME} replace />;
  return <StaffSessionPending />;
}
