import type { ReactNode } from 'react';
import { I18nProvider, RouterProvider } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Route, Routes, useHref, useNavigate } from 'react-router';
import { Layout } from './components/layout';
import { LoginPage } from './features/login/login-page';
import { NotFoundPage } from './features/not-found/not-found-page';
import { PublicConfigProvider } from './lib/public-config';

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
        <BrowserRouter>
          <AriaRouter>
            <AppRoutes />
          </AriaRouter>
        </BrowserRouter>
      </PublicConfigProvider>
    </I18nProvider>
  );
}
