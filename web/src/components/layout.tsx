import { type MouseEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { api } from '../lib/api';
import { telHref } from '../lib/contacts';
import { type PublicConfigState, usePublicConfig } from '../lib/public-config';
import { LOGOUT_PATH, loginState, useSession } from '../lib/session';
import { LanguageSwitch } from './language-switch';
import { PendingButton } from './submit-button';

const MAIN_ID = 'main';
/** Served by the server itself: a plain link, so the browser loads it as a full page. */
const MAILBOX_PATH = '/dev/mailbox';

function focusMain(event: MouseEvent<HTMLAnchorElement>): void {
  const main = document.getElementById(MAIN_ID);
  if (!main) return;
  event.preventDefault();
  main.focus();
  main.scrollIntoView();
}

/** After a client-side navigation, move focus to the new page's heading, as a full page load would. */
function useFocusHeadingOnNavigation(): void {
  const { pathname } = useLocation();
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    const heading = document.querySelector<HTMLElement>(`#${MAIN_ID} h1`);
    if (!heading) return;
    heading.tabIndex = -1;
    heading.focus();
  }, [pathname]);
}

function BrandMark() {
  return (
    <svg
      className="brand__mark"
      viewBox="0 0 32 32"
      width="32"
      height="32"
      aria-hidden="true"
      focusable="false"
    >
      <rect width="32" height="32" rx="7" fill="currentColor" />
      <path d="M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z" fill="#ffffff" />
    </svg>
  );
}

function SupportContacts({ state }: { state: PublicConfigState }) {
  const { t } = useTranslation();
  if (state.status === 'loading') return <p className="muted">{t('layout.footer.loading')}</p>;
  if (state.status === 'error') return <p className="muted">{t('layout.footer.unavailable')}</p>;
  const { supportPhone, supportEmail } = state.config;
  return (
    <dl className="contacts">
      <div>
        <dt>{t('layout.footer.phone')}</dt>
        <dd>
          <a href={telHref(supportPhone)}>{supportPhone}</a>
        </dd>
      </div>
      <div>
        <dt>{t('layout.footer.email')}</dt>
        <dd>
          <a href={`mailto:${supportEmail}`}>{supportEmail}</a>
        </dd>
      </div>
    </dl>
  );
}

/** "ESCI": ends the session on the server, then shows the login page with a goodbye. */
function LogoutButton() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { signOut } = useSession();
  const [pending, setPending] = useState(false);

  async function logout(): Promise<void> {
    setPending(true);
    try {
      await api.post<void>(LOGOUT_PATH);
    } catch {
      // Gone already (401) or unreachable: the cookie's session ends with its idle timeout anyway.
    } finally {
      setPending(false);
    }
    signOut('loggedOut');
    void navigate('/', { state: loginState({ kind: 'loggedOut' }) });
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

export interface PageFrameProps {
  /** The brand's link target (the area's home). */
  homeHref: string;
  brandName: string;
  brandTagline?: string;
  /** Beside the language switch (the "ESCI" button). */
  tools?: ReactNode;
  /** Under the header bar, still inside <header> (the back office's user line and navigation). */
  headerExtra?: ReactNode;
  footer?: ReactNode;
  children: ReactNode;
}

/**
 * The page skeleton shared by the member portal and the back office: skip link, header with the
 * brand and the language switch, the main region (focused after client-side navigation), footer.
 */
export function PageFrame({
  homeHref,
  brandName,
  brandTagline,
  tools,
  headerExtra,
  footer,
  children,
}: PageFrameProps) {
  const { t } = useTranslation();
  const config = usePublicConfig();
  const ready = config.status === 'ready' ? config.config : undefined;
  useFocusHeadingOnNavigation();

  return (
    <div className="page">
      <a className="skip-link" href={`#${MAIN_ID}`} onClick={focusMain}>
        {t('layout.skipLink')}
      </a>
      <header className="site-header">
        {ready?.demo && (
          <p className="demo-notice" role="note">
            {t('layout.demoNotice')}
          </p>
        )}
        <div className="container site-header__inner">
          <div className="brand">
            <Link href={homeHref} className="brand__link">
              <BrandMark />
              <span className="brand__name">{brandName}</span>
            </Link>
            {brandTagline && <span className="brand__tagline">{brandTagline}</span>}
          </div>
          <div className="site-header__tools">
            <LanguageSwitch />
            {tools}
          </div>
        </div>
        {headerExtra}
      </header>

      <main id={MAIN_ID} tabIndex={-1} className="site-main">
        {children}
      </main>

      {footer}
    </div>
  );
}

export function Layout() {
  const { t } = useTranslation();
  const config = usePublicConfig();
  const ready = config.status === 'ready' ? config.config : undefined;
  const { state: session } = useSession();

  return (
    <PageFrame
      homeHref="/"
      brandName={t('layout.brand')}
      brandTagline={t('layout.brandTagline')}
      tools={session.status === 'active' && <LogoutButton />}
      footer={
        <footer className="site-footer">
          <div className="container site-footer__inner">
            <section aria-labelledby="support-heading" className="support">
              <h2 id="support-heading" className="site-footer__heading">
                {t('layout.footer.supportHeading')}
              </h2>
              <p>{t('layout.footer.supportIntro')}</p>
              <SupportContacts state={config} />
            </section>
            {ready?.mailbox && (
              <nav aria-label={t('layout.footer.devLinks')} className="dev-links">
                <a href={MAILBOX_PATH}>{t('layout.footer.mailbox')}</a>
              </nav>
            )}
          </div>
        </footer>
      }
    >
      <Outlet />
    </PageFrame>
  );
}
