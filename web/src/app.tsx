import type { ReactNode } from 'react';
import { I18nProvider, RouterProvider } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Route, Routes, useHref, useNavigate } from 'react-router';
import { Layout } from './components/layout';
import { RequireSession } from './components/require-session';
import { ActivationPage } from './features/activation/activation-page';
import { AuditPage } from './features/backoffice/audit-page';
import { BackofficeIndex } from './features/backoffice/backoffice-home';
import { BackofficeLayout, RequireStaffSession } from './features/backoffice/backoffice-layout';
import { EnrolmentPage } from './features/backoffice/enrolment-page';
import { DashboardPage } from './features/dashboard/dashboard-page';
import { InstructionsPage } from './features/instructions/instructions-page';
import { LoginPage } from './features/login/login-page';
import { FacilitiesPage } from './features/network/facilities-page';
import { NetworkBackofficePage } from './features/network/network-backoffice-page';
import { NotFoundPage } from './features/not-found/not-found-page';
import { PasswordChangePage } from './features/password-change/password-change-page';
import { PasswordRecoveryPage } from './features/password-recovery/password-recovery-page';
import { PasswordResetPage } from './features/password-reset/password-reset-page';
import { PlanPage } from './features/plans/plan-page';
import { PlansPage } from './features/plans/plans-page';
import { RegistrationPage } from './features/registration/registration-page';
import { MemberPage } from './features/registry/member-page';
import { RegistryPage } from './features/registry/registry-page';
import { StaffAdminPage } from './features/staff-admin/staff-admin-page';
import { UsernameRecoveryPage } from './features/username-recovery/username-recovery-page';
import { PublicConfigProvider } from './lib/public-config';
import { SessionProvider } from './lib/session';

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
        {/* The member's pages: a session is required. */}
        <Route element={<RequireSession />}>
          <Route path="cambio-password" element={<PasswordChangePage />} />
          <Route path="area-riservata" element={<DashboardPage />} />
          <Route path="strutture" element={<FacilitiesPage />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
      {/* The back office: its own frame and its own (staff) session. */}
      <Route path="backoffice" element={<BackofficeLayout />}>
        <Route index element={<BackofficeIndex />} />
        <Route path="attivazione" element={<EnrolmentPage />} />
        <Route element={<RequireStaffSession />}>
          <Route path="audit" element={<AuditPage />} />
          <Route path="anagrafica" element={<RegistryPage />} />
          <Route path="anagrafica/:id" element={<MemberPage />} />
          <Route path="strutture" element={<NetworkBackofficePage />} />
          <Route path="piani" element={<PlansPage />} />
          <Route path="piani/:code" element={<PlanPage />} />
          <Route path="personale" element={<StaffAdminPage />} />
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
