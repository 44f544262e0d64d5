import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { CapStatus, CapsResponse, PersonCaps } from '#contracts/claim-caps.js';
import { LoadError } from '../../components/load-error';
import { ApiError } from '../../lib/api';
import { formatEuro } from '../../lib/money';
import { useApiQuery } from '../../lib/query';

export const CAPS_PATH = '/api/v1/claims/caps';

/** Share of `cap` as a percentage from 0 to 100, for the bar's drawing only. */
export function barPercent(cents: number, capCents: number): number {
  if (capCents <= 0) return cents > 0 ? 100 : 0;
  return Math.min(100, Math.max(0, (cents * 100) / capCents));
}

/**
 * One cap as a meter (`role="meter"`, its value said in words by `aria-valuetext`) with the bar
 * drawn in SVG (attributes only: nothing the CSP could refuse), and the amounts written out below:
 * used, in review (apart, hatched in the bar), cap, left.
 */
function CapMeter({ cap, name }: { cap: CapStatus; name: string }) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'it';
  const id = useId();
  const euro = (cents: number) => formatEuro(cents, language);
  const used = barPercent(cap.usedCents, cap.capCents);
  const review = Math.min(100 - used, barPercent(cap.inReviewCents, cap.capCents));
  const valueText =
    cap.inReviewCents > 0
      ? t('caps.valueTextReview', {
          used: euro(cap.usedCents),
          cap: euro(cap.capCents),
          left: euro(cap.leftCents),
          review: euro(cap.inReviewCents),
        })
      : t('caps.valueText', {
          used: euro(cap.usedCents),
          cap: euro(cap.capCents),
          left: euro(cap.leftCents),
        });
  return (
    <li className="cap">
      <p className="cap__name" id={`${id}-name`}>
        {name}
      </p>
      {/* Not a native <meter>: it cannot draw the amounts in review beside the used part. */}
      {/* biome-ignore lint/a11y/useSemanticElements: a meter of two parts needs its own drawing. */}
      <div
        role="meter"
        className="cap__bar"
        aria-labelledby={`${id}-name`}
        aria-valuemin={0}
        aria-valuemax={cap.capCents / 100}
        aria-valuenow={Math.min(cap.usedCents, cap.capCents) / 100}
        aria-valuetext={valueText}
      >
        <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
          <defs>
            <pattern id={`${id}-hatch`} width="2" height="10" patternUnits="userSpaceOnUse">
              <rect className="cap__review-fill" width="2" height="10" />
              <rect className="cap__review-line" width="0.8" height="10" />
            </pattern>
          </defs>
          <rect className="cap__track" width="100" height="10" />
          {used > 0 && <rect className="cap__used" width={used} height="10" />}
          {review > 0 && <rect x={used} width={review} height="10" fill={`url(#${id}-hatch)`} />}
        </svg>
      </div>
      <dl className="cap__figures">
        <div>
          <dt>{t('caps.used')}</dt>
          <dd>{euro(cap.usedCents)}</dd>
        </div>
        <div>
          <dt>{t('caps.left')}</dt>
          <dd>{euro(cap.leftCents)}</dd>
        </div>
        <div>
          <dt>{t('caps.cap')}</dt>
          <dd>{euro(cap.capCents)}</dd>
        </div>
        {cap.inReviewCents > 0 && (
          <div className="cap__in-review">
            <dt>{t('caps.inReview')}</dt>
            <dd>{euro(cap.inReviewCents)}</dd>
          </div>
        )}
      </dl>
    </li>
  );
}

/** "Fisioterapia" (the plan's name), or the annual cap's name by its scope. */
function useCapName(): (cap: CapStatus) => string {
  const { t, i18n } = useTranslation();
  const english = (i18n.resolvedLanguage ?? 'it').startsWith('en');
  return (cap) => {
    if (cap.label) return english ? cap.label.en : cap.label.it;
    return cap.scope === 'family' ? t('caps.annualFamily') : t('caps.annualPerson');
  };
}

function CapList({ caps }: { caps: readonly CapStatus[] }) {
  const name = useCapName();
  return (
    <ul className="caps__list">
      {caps.map((cap) => (
        <CapMeter key={`${cap.scope}-${cap.category ?? 'annual'}`} cap={cap} name={name(cap)} />
      ))}
    </ul>
  );
}

/** What one person used this year, when no cap of their own says it. */
function Totals({ usedCents, inReviewCents }: { usedCents: number; inReviewCents: number }) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'it';
  return (
    <p className="muted">
      {inReviewCents > 0
        ? t('caps.totalsReview', {
            used: formatEuro(usedCents, language),
            review: formatEuro(inReviewCents, language),
          })
        : t('caps.totals', { used: formatEuro(usedCents, language) })}
    </p>
  );
}

function PersonBlock({ person }: { person: PersonCaps }) {
  const { t } = useTranslation();
  const id = useId();
  const name = `${person.givenName} ${person.surname}`;
  return (
    <section className="caps__group" aria-labelledby={id}>
      <h3 id={id}>{person.self ? t('caps.self', { name }) : name}</h3>
      {person.caps.length > 0 ? (
        <CapList caps={person.caps} />
      ) : (
        <Totals usedCents={person.usedCents} inReviewCents={person.inReviewCents} />
      )}
    </section>
  );
}

/**
 * "Massimali residui": live, from the server (decision 043). For the family and for each person the
 * member sees, what approved claims used of each cap, what is left, and apart what is in review.
 */
export function CapsSection() {
  const { t } = useTranslation();
  const caps = useApiQuery<CapsResponse>(CAPS_PATH);
  // A plan without rules yet has no caps to show: the dashboard goes on without the section.
  if (caps.error instanceof ApiError && caps.error.status === 409) return null;
  return (
    <section className="panel caps" aria-labelledby="caps-heading">
      <h2 id="caps-heading">
        {caps.data ? t('caps.headingYear', { year: caps.data.plan.year }) : t('caps.heading')}
      </h2>
      {caps.isPending && (
        <p role="status" className="muted">
          {t('caps.loading')}
        </p>
      )}
      {caps.isError && <LoadError error={caps.error} onRetry={() => void caps.refetch()} />}
      {caps.data && (
        <>
          <p className="caps__intro">{t('caps.intro')}</p>
          <p className="caps__legend" aria-hidden="true">
            <span className="caps__key caps__key--used" /> {t('caps.used')}
            <span className="caps__key caps__key--review" /> {t('caps.inReview')}
          </p>
          {caps.data.family.caps.length > 0 && (
            <section className="caps__group" aria-labelledby="caps-family">
              <h3 id="caps-family">{t('caps.family')}</h3>
              <CapList caps={caps.data.family.caps} />
            </section>
          )}
          {caps.data.persons.map((person) => (
            <PersonBlock key={person.id} person={person} />
          ))}
        </>
      )}
    </section>
  );
}
