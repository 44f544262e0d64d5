import { useRef } from 'react';
import { Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { StaffSessionInfo } from '#contracts/staff.js';
import { canReadAudit, useStaffSession } from '../../lib/staff-session';
import { useDocumentTitle } from '../../lib/use-document-title';
import { DESK_ROUTE } from '../bookings/bookings-api';
import { NETWORK_BACKOFFICE_ROUTE } from '../network/network-api';
import { canManageStaff, STAFF_ADMIN_ROUTE } from '../staff-admin/staff-admin-api';
import { AUDIT_ROUTE, REGISTRY_ROUTE, StaffSessionPending, useRoleName } from './backoffice-layout';
import { StaffLoginPage } from './staff-login-page';
import { useFocusIfLost } from './use-focus-if-lost';

/** The signed-in user's start page: who they are and what their role can use. */
function BackofficeHome({ info }: { info: StaffSessionInfo }) {
  const { t } = useTranslation();
  useDocumentTitle(t('backoffice.home.documentTitle'));
  const roleName = useRoleName();
  const heading = useRef<HTMLHeadingElement>(null);
  useFocusIfLost(heading);

  return (
    <div className="dashboard">
      <div className="dashboard__intro">
        <h1 ref={heading}>{t('backoffice.home.heading')}</h1>
        <p className="dashboard__greeting">
          {t('backoffice.home.welcome', { username: info.username, role: roleName(info.role) })}
        </p>
      </div>
      <section className="panel" aria-labelledby="staff-tools-heading">
        <h2 id="staff-tools-heading">{t('backoffice.home.toolsHeading')}</h2>
        <ul className="staff-tools">
          <li>
            <Link href={REGISTRY_ROUTE} aria-describedby="staff-tool-registry-text">
              {t('backoffice.nav.registry')}
            </Link>
            <p id="staff-tool-registry-text" className="muted">
              {t(
                info.role === 'administrator'
                  ? 'backoffice.home.registryTextAdmin'
                  : info.role === 'auditor'
                    ? 'backoffice.home.registryTextAuditor'
                    : 'backoffice.home.registryText',
              )}
            </p>
          </li>
          <li>
            <Link href={NETWORK_BACKOFFICE_ROUTE} aria-describedby="staff-tool-network-text">
              {t('networkBackoffice.nav')}
            </Link>
            <p id="staff-tool-network-text" className="muted">
              {t(
                info.role === 'administrator'
                  ? 'networkBackoffice.homeTextAdmin'
                  : info.role === 'auditor'
                    ? 'networkBackoffice.homeTextAuditor'
                    : 'networkBackoffice.homeText',
              )}
            </p>
          </li>
          {info.role !== 'claims_operator' && (
            <li>
              <Link href={DESK_ROUTE} aria-describedby="staff-tool-bookings-text">
                {t('bookingDesk.nav')}
              </Link>
              <p id="staff-tool-bookings-text" className="muted">
                {t(info.role === 'booking_desk' ? 'bookingDesk.homeText' : 'bookingDesk.homeTextRead')}
              </p>
            </li>
          )}
          {canReadAudit(info.role) && (
            <li>
              <Link href={AUDIT_ROUTE} aria-describedby="staff-tool-audit-text">
                {t('backoffice.nav.audit')}
              </Link>
              <p id="staff-tool-audit-text" className="muted">
                {t('backoffice.home.auditText')}
              </p>
            </li>
          )}
          {canManageStaff(info.role) && (
            <li>
              <Link href={STAFF_ADMIN_ROUTE} aria-describedby="staff-tool-staff-admin-text">
                {t('staffAdmin.nav')}
              </Link>
              <p id="staff-tool-staff-admin-text" className="muted">
                {t('staffAdmin.homeText')}
              </p>
            </li>
          )}
        </ul>
        {info.role === 'claims_operator' && <p>{t('backoffice.comingSoon')}</p>}
      </section>
    </div>
  );
}

/** `/backoffice`: the login page when signed out, the start page when signed in. */
export function BackofficeIndex() {
  const { state } = useStaffSession();
  if (state.status === 'active') return <BackofficeHome info={state.info} />;
  if (state.status === 'signedOut') {
    return <StaffLoginPage reason={state.reason === 'unauthenticated' ? null : state.reason} />;
  }
  return <StaffSessionPending />;
}
