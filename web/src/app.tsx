import { type ComponentType, lazy, type ReactNode, Suspense } from 'react';
import { I18nProvider, RouterProvider } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Route, Routes, useHref, useNavigate } from 'react-router';
import { Layout } from './components/layout';
import { RequireSession } from './components/require-session';
import { ActivationPage } from './features/activation/activation-page';
import { BookingCheckPage } from './features/bookings/booking-check-page';
import { BookingPage } from './features/bookings/booking-page';
import { BookingWizardPage } from './features/bookings/booking-wizard-page';
import { ClaimPage } from './features/claims/claim-page';
import { ClaimWizardPage } from './features/claims/claim-wizard-page';
import { ClaimsListPage } from './features/claims/claims-list-page';
import { DashboardPage } from './features/dashboard/dashboard-page';
import { InstructionsPage } from './features/instructions/instructions-page';
import { LoginPage } from './features/login/login-page';
import { FacilitiesPage } from './features/network/facilities-page';
import { NotFoundPage } from './features/not-found/not-found-page';
import { PasswordChangePage } from './features/password-change/password-change-page';
import { PasswordRecoveryPage } from './features/password-recovery/password-recovery-page';
import { PasswordResetPage } from './features/password-reset/password-reset-page';
import { RegistrationPage } from './features/registration/registration-page';
import { UsernameRecoveryPage } from './features/username-recovery/username-recovery-page';
import { PublicConfigProvider } from './lib/public-config';
import { SessionProvider } from './lib/session';

/**
 * Back-office pages are loaded when first opened: members never download them (nor the QR code
 * library of the enrolment page), only the member portal is in the main bundle.
 */
function backOfficePage<K extends string>(load: () => Promise<Record<K, ComponentType<object>>>, name: K) {
  return lazy<ComponentType<object>>(async () => ({ default: (await load())[name] }));
}

/** A lazily loaded page, with a status line while its code arrives. */
function Loaded({ children }: { children: ReactNode }) {
  return <Suspense fallback={<PageLoading />}>{children}</Suspense>;
}

function PageLoading() {
  const { t } = useTranslation();
  return (
    <p role="status" className="page-loading">
      {t('layout.pageLoading')}
    </p>
  );
}

const BackofficeLayout = backOfficePage(
  () => import('./features/backoffice/backoffice-layout'),
  'BackofficeLayout',
);
const RequireStaffSession = backOfficePage(
  () => import('./features/backoffice/backoffice-layout'),
  'RequireStaffSession',
);
const AuditPage = backOfficePage(() => import('./features/backoffice/audit-page'), 'AuditPage');
const BackofficeIndex = backOfficePage(
  () => import('./features/backoffice/backoffice-home'),
  'BackofficeIndex',
);
const EnrolmentPage = backOfficePage(() => import('./features/backoffice/enrolment-page'), 'EnrolmentPage');
const NetworkBackofficePage = backOfficePage(
  () => import('./features/network/network-backoffice-page'),
  'NetworkBackofficePage',
);
const ClaimsQueuePage = backOfficePage(
  () => import('./features/claims-backoffice/claims-queue-page'),
  'ClaimsQueuePage',
);
const StaffClaimPage = backOfficePage(
  () => import('./features/claims-backoffice/staff-claim-page'),
  'StaffClaimPage',
);
const PaymentBatchPage = backOfficePage(
  () => import('./features/payments/payment-batch-page'),
  'PaymentBatchPage',
);
const DeskQueuePage = backOfficePage(() => import('./features/bookings/desk-pages'), 'DeskQueuePage');
const DeskBookingPage = backOfficePage(() => import('./features/bookings/desk-pages'), 'DeskBookingPage');
const PaymentsPage = backOfficePage(() => import('./features/payments/payments-page'), 'PaymentsPage');
const PlanPage = backOfficePage(() => import('./features/plans/plan-page'), 'PlanPage');
const PlansPage = backOfficePage(() => import('./features/plans/plans-page'), 'PlansPage');
const MemberPage = backOfficePage(() => import('./features/registry/member-page'), 'MemberPage');
const RegistryPage = backOfficePage(() => import('./features/registry/registry-page'), 'RegistryPage');
const RegistrationRequestsPage = backOfficePage(
  () => import('./features/registration-requests/registration-requests-page'),
  'RegistrationRequestsPage',
);
const ReportsPage = backOfficePage(() => import('./features/reports/reports-page'), 'ReportsPage');
const StaffAdminPage = backOfficePage(
  () => import('./features/staff-admin/staff-admin-page'),
  'StaffAdminPage',
);

/** Lets react-aria-components links navigate through React Router instead of reloading the page. */
function AriaRouter({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  return (
    <RouterProvider
      navigate={(path) => {
        void navigate(path);
      }}
      useHref={useHref}
    >
      {children}
    </RouterProvider>
  );
}

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<LoginPage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="registrazione" element={<RegistrationPage />} />
        <Route path="attivazione" element={<ActivationPage />} />
        <Route path="recupero-password" element={<PasswordRecoveryPage />} />
        <Route path="recupero-username" element={<UsernameRecoveryPage />} />
        <Route path="reimposta-password" element={<PasswordResetPage />} />
        <Route path="istruzioni" element={<InstructionsPage />} />
        <Route path="verifica-prenotazione" element={<BookingCheckPage />} />
        {/* The member's pages: a session is required. */}
        <Route element={<RequireSession />}>
          <Route path="cambio-password" element={<PasswordChangePage />} />
          <Route path="area-riservata" element={<DashboardPage />} />
          <Route path="strutture" element={<FacilitiesPage />} />
          <Route path="rimborsi" element={<ClaimWizardPage />} />
          <Route path="pratiche" element={<ClaimsListPage />} />
          <Route path="pratiche/:id" element={<ClaimPage />} />
          <Route path="prenotazioni" element={<BookingWizardPage />} />
          <Route path="prenotazioni/:id" element={<BookingPage />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
      {/* The back office: its own frame and its own (staff) session. */}
      <Route
        path="backoffice"
        element={
          <Loaded>
            <BackofficeLayout />
          </Loaded>
        }
      >
        <Route
          index
          element={
            <Loaded>
              <BackofficeIndex />
            </Loaded>
          }
        />
        <Route
          path="attivazione"
          element={
            <Loaded>
              <EnrolmentPage />
            </Loaded>
          }
        />
        <Route
          element={
            <Loaded>
              <RequireStaffSession />
            </Loaded>
          }
        >
          <Route
            path="audit"
            element={
              <Loaded>
                <AuditPage />
              </Loaded>
            }
          />
          <Route
            path="anagrafica"
            element={
              <Loaded>
                <RegistryPage />
              </Loaded>
            }
          />
          <Route
            path="anagrafica/:id"
            element={
              <Loaded>
                <MemberPage />
              </Loaded>
            }
          />
          <Route
            path="registrazioni"
            element={
              <Loaded>
                <RegistrationRequestsPage />
              </Loaded>
            }
          />
          <Route
            path="strutture"
            element={
              <Loaded>
                <NetworkBackofficePage />
              </Loaded>
            }
          />
          <Route
            path="pratiche"
            element={
              <Loaded>
                <ClaimsQueuePage />
              </Loaded>
            }
          />
          <Route
            path="pratiche/:id"
            element={
              <Loaded>
                <StaffClaimPage />
              </Loaded>
            }
          />
          <Route
            path="piani"
            element={
              <Loaded>
                <PlansPage />
              </Loaded>
            }
          />
          <Route
            path="piani/:code"
            element={
              <Loaded>
                <PlanPage />
              </Loaded>
            }
          />
          <Route
            path="report"
            element={
              <Loaded>
                <ReportsPage />
              </Loaded>
            }
          />
          <Route
            path="prenotazioni"
            element={
              <Loaded>
                <DeskQueuePage />
              </Loaded>
            }
          />
          <Route
            path="prenotazioni/:id"
            element={
              <Loaded>
                <DeskBookingPage />
              </Loaded>
            }
          />
          <Route
            path="pagamenti"
            element={
              <Loaded>
                <PaymentsPage />
              </Loaded>
            }
          />
          <Route
            path="pagamenti/:id"
            element={
              <Loaded>
                <PaymentBatchPage />
              </Loaded>
            }
          />
          <Route
            path="personale"
            element={
              <Loaded>
                <StaffAdminPage />
              </Loaded>
            }
          />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function App() {
  const { i18n } = useTranslation();
  return (
    <I18nProvider locale={i18n.resolvedLanguage ?? 'it'}>
      <PublicConfigProvider>
        <SessionProvider>
          <BrowserRouter>
            <AriaRouter>
              <AppRoutes />
            </AriaRouter>
          </BrowserRouter>
        </SessionProvider>
      </PublicConfigProvider>
    </I18nProvider>
  );
}
