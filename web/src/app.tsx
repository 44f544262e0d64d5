import { type ComponentType, lazy, type ReactNode, Suspense } from 'react';
import { I18nProvider, RouterProvider } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Route, Routes, useHref, useNavigate } from 'react-router';
import { Layout } from './components/layout';
import { RequireSession } from './components/require-session';
import { LoginPage } from './features/login/login-page';
import { NotFoundPage } from './features/not-found/not-found-page';
import { loadPageCatalogue } from './i18n';
import { PublicConfigProvider } from './lib/public-config';
import { SessionProvider } from './lib/session';

/**
 * Pages are loaded when first opened (decision 052): the first page a visitor sees, the login, is
 * in the main bundle with the layout; every other page is a chunk of its own, its wording too, and
 * members never download the back office (nor the QR code library of the enrolment page).
 */
function lazyPage<K extends string>(load: () => Promise<Record<K, ComponentType<object>>>, name: K) {
  return lazy<ComponentType<object>>(async () => {
    // The page's wording arrives beside its code (the first page's catalogue part lacks it).
    const [page] = await Promise.all([load(), loadPageCatalogue()]);
    return { default: page[name] };
  });
}
const backOfficePage = lazyPage;

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

const ActivationPage = lazyPage(() => import('./features/activation/activation-page'), 'ActivationPage');
const ClaimPage = lazyPage(() => import('./features/claims/claim-page'), 'ClaimPage');
const ClaimWizardPage = lazyPage(() => import('./features/claims/claim-wizard-page'), 'ClaimWizardPage');
const ClaimsListPage = lazyPage(() => import('./features/claims/claims-list-page'), 'ClaimsListPage');
const DashboardPage = lazyPage(() => import('./features/dashboard/dashboard-page'), 'DashboardPage');
const InstructionsPage = lazyPage(
  () => import('./features/instructions/instructions-page'),
  'InstructionsPage',
);
const FacilitiesPage = lazyPage(() => import('./features/network/facilities-page'), 'FacilitiesPage');
const PasswordChangePage = lazyPage(
  () => import('./features/password-change/password-change-page'),
  'PasswordChangePage',
);
const PasswordRecoveryPage = lazyPage(
  () => import('./features/password-recovery/password-recovery-page'),
  'PasswordRecoveryPage',
);
const PasswordResetPage = lazyPage(
  () => import('./features/password-reset/password-reset-page'),
  'PasswordResetPage',
);
const RegistrationPage = lazyPage(
  () => import('./features/registration/registration-page'),
  'RegistrationPage',
);
const BookingCheckPage = lazyPage(() => import('./features/bookings/booking-check-page'), 'BookingCheckPage');
const BookingPage = lazyPage(() => import('./features/bookings/booking-page'), 'BookingPage');
const BookingWizardPage = lazyPage(
  () => import('./features/bookings/booking-wizard-page'),
  'BookingWizardPage',
);
const ProfilePage = lazyPage(() => import('./features/profile/profile-page'), 'ProfilePage');
const StatementPage = lazyPage(() => import('./features/profile/statement-page'), 'StatementPage');
const EmailConfirmPage = lazyPage(() => import('./features/profile/profile-links'), 'EmailConfirmPage');
const IbanReportPage = lazyPage(() => import('./features/profile/profile-links'), 'IbanReportPage');
const UsernameRecoveryPage = lazyPage(
  () => import('./features/username-recovery/username-recovery-page'),
  'UsernameRecoveryPage',
);

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
        <Route
          path="registrazione"
          element={
            <Loaded>
              <RegistrationPage />
            </Loaded>
          }
        />
        <Route
          path="attivazione"
          element={
            <Loaded>
              <ActivationPage />
            </Loaded>
          }
        />
        <Route
          path="recupero-password"
          element={
            <Loaded>
              <PasswordRecoveryPage />
            </Loaded>
          }
        />
        <Route
          path="recupero-username"
          element={
            <Loaded>
              <UsernameRecoveryPage />
            </Loaded>
          }
        />
        <Route
          path="reimposta-password"
          element={
            <Loaded>
              <PasswordResetPage />
            </Loaded>
          }
        />
        <Route
          path="istruzioni"
          element={
            <Loaded>
              <InstructionsPage />
            </Loaded>
          }
        />
        <Route
          path="verifica-prenotazione"
          element={
            <Loaded>
              <BookingCheckPage />
            </Loaded>
          }
        />
        {/* Links from emails: the token is the proof, no session needed. */}
        <Route
          path="profilo/email"
          element={
            <Loaded>
              <EmailConfirmPage />
            </Loaded>
          }
        />
        <Route
          path="profilo/segnala-iban"
          element={
            <Loaded>
              <IbanReportPage />
            </Loaded>
          }
        />
        {/* The member's pages: a session is required. */}
        <Route element={<RequireSession />}>
          <Route
            path="cambio-password"
            element={
              <Loaded>
                <PasswordChangePage />
              </Loaded>
            }
          />
          <Route
            path="area-riservata"
            element={
              <Loaded>
                <DashboardPage />
              </Loaded>
            }
          />
          <Route
            path="strutture"
            element={
              <Loaded>
                <FacilitiesPage />
              </Loaded>
            }
          />
          <Route
            path="rimborsi"
            element={
              <Loaded>
                <ClaimWizardPage />
              </Loaded>
            }
          />
          <Route
            path="pratiche"
            element={
              <Loaded>
                <ClaimsListPage />
              </Loaded>
            }
          />
          <Route
            path="pratiche/:id"
            element={
              <Loaded>
                <ClaimPage />
              </Loaded>
            }
          />
          <Route
            path="profilo"
            element={
              <Loaded>
                <ProfilePage />
              </Loaded>
            }
          />
          <Route
            path="rendiconto"
            element={
              <Loaded>
                <StatementPage />
              </Loaded>
            }
          />
          <Route
            path="prenotazioni"
            element={
              <Loaded>
                <BookingWizardPage />
              </Loaded>
            }
          />
          <Route
            path="prenotazioni/:id"
            element={
              <Loaded>
                <BookingPage />
              </Loaded>
            }
          />
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
