import { useEffect, useRef } from 'react';
import { Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../lib/format';
import { CLAIMS_ROUTE, claimRoute, type Submitted } from '../claims-api';

/** After "INVIA RICHIESTA": the claim's number, focused, and where to go next. */
export function ClaimSuccess({ submitted }: { submitted: Submitted }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <section className="panel claim-success" aria-labelledby="claim-success-heading">
      <h2 id="claim-success-heading" ref={ref} tabIndex={-1}>
        {t('claims.successHeading')}
      </h2>
      <p className="claim-success__number">
        <span className="claim-success__label">{t('claims.successNumber')}</span>{' '}
        <strong>{submitted.number}</strong>
      </p>
      <p role="status">{t('claims.successText', { number: submitted.number })}</p>
      {submitted.state === 'approved' ? (
        <p className="notice">{t('claims.successApproved')}</p>
      ) : (
        <p>{t('claims.successEmail', { date: formatDate(submitted.expectedDecisionOn) })}</p>
      )}
      <p className="form__actions">
        <Link href={claimRoute(submitted.id)} className="button button--primary">
          {t('claims.toClaim', { number: submitted.number })}
        </Link>
        <Link href={CLAIMS_ROUTE} className="button button--secondary">
          {t('claims.toClaims')}
        </Link>
      </p>
    </section>
  );
}
