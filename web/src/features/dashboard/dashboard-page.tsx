import { Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import type { MeResponse } from '#contracts/auth.js';
import { MEMBER_ROLES } from '#contracts/registry.codes.js';
import { LoadError } from '../../components/load-error';
import { ApiError } from '../../lib/api';
import { formatDate } from '../../lib/format';
import { useApiQuery } from '../../lib/query';
import { useSession } from '../../lib/session';
import { useDocumentTitle } from '../../lib/use-document-title';
import { CapsSection } from './caps-section';

export const ME_PATH = '/api/v1/me';
export const FAMILY_PATH = '/api/v1/me/family';

interface FamilyMember {
  name: string;
  surname: string;
  role: string;
  birthDate: string;
  coverage: { start: string; end: string | null };
}

const ROLES = MEMBER_ROLES;
type Role = (typeof ROLES)[number];
const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

function CoverageSummary({ me }: { me: MeResponse }) {
  const { t } = useTranslation();
  const start = formatDate(me.coverage.start);
  const coverage = me.coverage.end
    ? t('dashboard.coverageRange', { start, end: formatDate(me.coverage.end) })
    : t('dashboard.coverageOngoing', { start });
  return (
    <section className="panel" aria-labelledby="coverage-heading">
      <h2 id="coverage-heading">{t('dashboard.coverageHeading')}</h2>
      <dl className="facts">
        <div>
          <dt>{t('dashboard.member')}</dt>
          <dd>
            {me.name} {me.surname}
          </dd>
        </div>
        <div>
          <dt>{t('dashboard.role')}</dt>
          <dd>{isRole(me.role) ? t(`dashboard.roles.${me.role}`) : me.role}</dd>
        </div>
        <div>
          <dt>{t('dashboard.plan')}</dt>
          <dd>{me.plan.name}</dd>
        </div>
        <div>
          <dt>{t('dashboard.coverage')}</dt>
          <dd>{coverage}</dd>
        </div>
        <div>
          <dt>{t('dashboard.username')}</dt>
          <dd>{me.username}</dd>
        </div>
      </dl>
    </section>
  );
}

/** "Familiari coperti": the others covered with the member; nothing at all when there are none. */
function FamilySection() {
  const { t } = useTranslation();
  // The section is an extra: if it cannot be loaded, the dashboard works without it.
  const family = useApiQuery<{ family: FamilyMember[] }>(FAMILY_PATH).data?.family ?? [];
  if (family.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="family-heading">
      <h2 id="family-heading">{t('dashboard.familyHeading')}</h2>
      <ul className="family-list">
        {family.map((person) => {
          const start = formatDate(person.coverage.start);
          return (
            <li key={`${person.surname}-${person.name}-${person.birthDate}`}>
              <span className="family-list__name">
                {person.name} {person.surname}
              </span>{' '}
              — {isRole(person.role) ? t(`dashboard.roles.${person.role}`) : person.role} —{' '}
              {person.coverage.end
                ? t('dashboard.coverageRange', { start, end: formatDate(person.coverage.end) })
                : t('dashboard.coverageOngoing', { start })}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

const SERVICES = [
  { href: '/prenotazioni', title: 'dashboard.book', text: 'dashboard.bookText', icon: 'calendar' },
  { href: '/rimborsi', title: 'dashboard.reimburse', text: 'dashboard.reimburseText', icon: 'receipt' },
  { href: '/pratiche', title: 'dashboard.claims', text: 'dashboard.claimsText', icon: 'folder' },
] as const;

function ServiceIcon({ name }: { name: (typeof SERVICES)[number]['icon'] }) {
  const paths = {
    calendar:
      'M7 3v3M17 3v3M4 9h16M5 5h14a1 1 0 0 1 1 1v13a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1Zm4 9h2m2 0h2m-6 3h2',
    receipt: 'M6 3h12v18l-3-2-3 2-3-2-3 2V3Zm3 5h6M9 12h6M9 16h3',
    folder: 'M3 6a1 1 0 0 1 1-1h5l2 2h9a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V6Zm0 4h18',
  } as const;
  return (
    <svg
      className="service__icon"
      viewBox="0 0 24 24"
      width="28"
      height="28"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d={paths[name]}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** "Area riservata": who is covered, by which plan, until when; and what the member can do. */
export function DashboardPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('dashboard.documentTitle'));
  const { state } = useSession();
  const mustChange = state.status === 'active' && state.info.mustChangePassword;
  const me = useApiQuery<MeResponse>(ME_PATH, { enabled: !mustChange });

  if (mustChange || (me.error instanceof ApiError && me.error.code === 'PASSWORD_CHANGE_REQUIRED')) {
    return <Navigate to="/cambio-password" replace />;
  }

  return (
    <div className="dashboard">
      <div className="dashboard__intro">
        <h1>{t('dashboard.heading')}</h1>
        <nav className="dashboard__links" aria-label={t('profile.nav.profile')}>
          <Link href="/profilo">{t('profile.nav.profile')}</Link>
          <Link href="/rendiconto">{t('profile.nav.statement')}</Link>
        </nav>
        {me.data && (
          <p className="dashboard__greeting">
            {t('dashboard.greeting', { name: me.data.name, surname: me.data.surname })}
          </p>
        )}
      </div>

      {me.isPending && (
        <p role="status" className="muted">
          {t('dashboard.loading')}
        </p>
      )}
      {me.isError && (
        <div className="panel">
          <LoadError error={me.error} onRetry={() => void me.refetch()} />
        </div>
      )}
      {me.data && <CoverageSummary me={me.data} />}
      {me.data && <FamilySection />}
      {me.data && <CapsSection />}

      <section aria-labelledby="services-heading">
        <h2 id="services-heading" className="dashboard__services-heading">
          {t('dashboard.servicesHeading')}
        </h2>
        <ul className="services">
          {SERVICES.map((service) => (
            <li key={service.href}>
              <Link href={service.href} className="service" aria-describedby={`${service.icon}-text`}>
                <ServiceIcon name={service.icon} />
                <span className="service__title">{t(service.title)}</span>
              </Link>
              <p id={`${service.icon}-text`} className="service__text">
                {t(service.text)}
              </p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
