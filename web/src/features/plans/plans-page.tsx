import { useEffect, useId, useState } from 'react';
import { Button, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../lib/api';
import { useDocumentTitle } from '../../lib/use-document-title';
import { PLANS_PATH, type PlanSummary, planRoute } from './plans-api';

type Load =
  | { status: 'loading' }
  | { status: 'ready'; plans: PlanSummary[] }
  | { status: 'error'; error: unknown };

/** `/backoffice/piani`: the plans (code, name, version in force), each linking to its rules. */
export function PlansPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('backoffice.plans.documentTitle'));
  const captionId = useId();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: "RIPROVA" loads again.
  useEffect(() => {
    const controller = new AbortController();
    api
      .get<{ plans: PlanSummary[] }>(PLANS_PATH, { signal: controller.signal })
      .then((body) => setLoad({ status: 'ready', plans: body.plans }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setLoad({ status: 'error', error });
      });
    return () => controller.abort();
  }, [attempt]);

  return (
    <div className="staff-page">
      <h1>{t('backoffice.plans.heading')}</h1>
      <p>{t('backoffice.plans.intro')}</p>
      {load.status === 'loading' && (
        <p role="status" className="muted">
          {t('backoffice.plans.loading')}
        </p>
      )}
      {load.status === 'error' && (
        <div className="panel">
          <div role="alert" className="form-alert">
            <p>{errorMessage(t, load.error)}</p>
          </div>
          <Button className="button button--secondary" onPress={() => setAttempt((n) => n + 1)}>
            {t('form.retry')}
          </Button>
        </div>
      )}
      {load.status === 'ready' &&
        (load.plans.length === 0 ? (
          <p className="muted">{t('backoffice.plans.none')}</p>
        ) : (
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
          <section className="table-wrap" aria-labelledby={captionId} tabIndex={0}>
            <table className="data-table">
              <caption id={captionId}>{t('backoffice.plans.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('backoffice.plans.code')}</th>
                  <th scope="col">{t('backoffice.plans.name')}</th>
                  <th scope="col">{t('backoffice.plans.version')}</th>
                </tr>
              </thead>
              <tbody>
                {load.plans.map((plan) => (
                  <tr key={plan.code}>
                    <td className="nowrap">
                      <Link href={planRoute(plan.code)}>{plan.code}</Link>
                    </td>
                    <td>{plan.name}</td>
                    <td>{plan.currentVersion ?? t('backoffice.plans.noVersion')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
    </div>
  );
}
