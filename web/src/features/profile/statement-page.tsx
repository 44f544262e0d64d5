import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StatementResponse } from '#contracts/profile.js';
import { LoadError } from '../../components/load-error';
import { formatDate } from '../../lib/format';
import { formatEuro } from '../../lib/money';
import { useApiQuery } from '../../lib/query';
import { useDocumentTitle } from '../../lib/use-document-title';
import { STATEMENT_PATH } from './profile-api';

/** "/rendiconto": the yearly statement for the tax return, per covered person; PDF and CSV. */
export function StatementPage({ today = new Date() }: { today?: Date }) {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('statement.documentTitle'));
  const [year, setYear] = useState(today.getFullYear() - 1);
  const yearId = useId();
  const statement = useApiQuery<StatementResponse>(`${STATEMENT_PATH}?year=${year}`, {
    placeholderData: (previous) => previous,
  });
  const language = i18n.resolvedLanguage ?? 'it';
  const years = statement.data?.years ?? [year];
  const euro = (cents: number) => formatEuro(cents, language);
  return (
    <div className="statement">
      <h1>{t('statement.heading')}</h1>
      <p>{t('statement.intro')}</p>
      <div className="field statement__year">
        <span className="field__label-row">
          <label className="field__label" htmlFor={yearId}>
            {t('statement.year')}
          </label>
        </span>
        <select
          id={yearId}
          className="field__input"
          value={year}
          onChange={(event) => setYear(Number(event.target.value))}
        >
          {[...new Set([...years, year])]
            .sort((a, b) => b - a)
            .map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
        </select>
      </div>
      <p className="statement__downloads">
        <a className="button button--secondary" href={`${STATEMENT_PATH}.pdf?year=${year}`} download>
          {t('statement.pdf')}
        </a>{' '}
        <a className="button button--secondary" href={`${STATEMENT_PATH}.csv?year=${year}`} download>
          {t('statement.csv')}
        </a>
      </p>
      {statement.isPending && (
        <p role="status" className="muted">
          {t('statement.loading')}
        </p>
      )}
      {statement.isError && (
        <div className="panel">
          <LoadError error={statement.error} onRetry={() => void statement.refetch()} />
        </div>
      )}
      {statement.data?.persons.map((person) => (
        <section key={person.id} className="panel" aria-labelledby={`person-${person.id}`}>
          <h2 id={`person-${person.id}`}>{person.name}</h2>
          {person.lines.length === 0 ? (
            <p className="muted">{t('statement.none')}</p>
          ) : (
            <div className="table-wrap">
              <table className="data-table">
                <caption className="visually-hidden">
                  {t('statement.caption', { name: person.name, year: statement.data.year })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('statement.date')}</th>
                    <th scope="col">{t('statement.claim')}</th>
                    <th scope="col">{t('statement.issuer')}</th>
                    <th scope="col" className="numeric">
                      {t('statement.amount')}
                    </th>
                    <th scope="col" className="numeric">
                      {t('statement.reimbursed')}
                    </th>
                    <th scope="col">{t('statement.paidOn')}</th>
                    <th scope="col" className="numeric">
                      {t('statement.left')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {person.lines.map((l) => (
                    <tr key={`${l.claimNumber}-${l.invoiceNumber}-${l.invoiceDate}`}>
                      <td>{formatDate(l.invoiceDate)}</td>
                      <td>{l.claimNumber}</td>
                      <td>{l.issuer}</td>
                      <td className="numeric">{euro(l.amountCents)}</td>
                      <td className="numeric">{euro(l.reimbursedCents)}</td>
                      <td>{l.paidOn ? formatDate(l.paidOn) : '—'}</td>
                      <td className="numeric">{euro(l.leftCents)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={3}>
                      {t('statement.total')}
                    </th>
                    <td className="numeric" data-total="amount">
                      {euro(person.totals.amountCents)}
                    </td>
                    <td className="numeric" data-total="reimbursed">
                      {euro(person.totals.reimbursedCents)}
                    </td>
                    <td />
                    <td className="numeric" data-total="left">
                      {euro(person.totals.leftCents)}
                    </td>
                  </tr>
                </tfoot>
              </table>
            </div>
          )}
        </section>
      ))}
      {statement.data && (
        <section className="panel" aria-labelledby="family-total-heading">
          <h2 id="family-total-heading">{t('statement.familyTotal')}</h2>
          <dl className="facts">
            <div>
              <dt>{t('statement.amount')}</dt>
              <dd>{euro(statement.data.totals.amountCents)}</dd>
            </div>
            <div>
              <dt>{t('statement.reimbursed')}</dt>
              <dd>{euro(statement.data.totals.reimbursedCents)}</dd>
            </div>
            <div>
              <dt>{t('statement.left')}</dt>
              <dd>{euro(statement.data.totals.leftCents)}</dd>
            </div>
          </dl>
        </section>
      )}
    </div>
  );
}
