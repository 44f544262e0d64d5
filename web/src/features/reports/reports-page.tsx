import { type ReactNode, useId, useMemo, useState } from 'react';
import { Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { CLAIM_STATE_LABELS } from '#contracts/claims.codes.js';
import { CATEGORY_LABELS, type CategoryCode } from '#contracts/plans.codes.js';
import { REPORT_LIMITS } from '#contracts/reports.codes.js';
import { FormAlert } from '../../components/form-alert';
import { FormTextField } from '../../components/form-field';
import { LoadError } from '../../components/load-error';
import { SubmitButton } from '../../components/submit-button';
import { ApiError, api } from '../../lib/api';
import { compactErrors, formText } from '../../lib/form-data';
import { formatEuro } from '../../lib/money';
import { apiKey, queryClient, useApiQuery } from '../../lib/query';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useFormSubmit } from '../../lib/use-form-submit';
import { BACKOFFICE_HOME } from '../backoffice/backoffice-layout';
import { SelectField } from '../claims/claim-fields';
import { ReportChart } from './report-chart';
import { claimsByStateChart, decisionTimesChart, paymentsChart } from './report-charts';
import {
  type ClaimsByStateReport,
  type DecisionTimesReport,
  monthLabel,
  oneDecimal,
  type PaymentsReport,
  type Report,
  type ReportPeriod,
  type ReportRange,
  rangeProblem,
  reportCsvPath,
  reportPath,
} from './reports-api';

const MONTHS_CHOICE = 'months';
/** Years offered in the period list: this one and the five before. */
const YEARS_BACK = 5;

function useLanguage(): { language: string; english: boolean } {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'it';
  return { language, english: language.startsWith('en') };
}

/** "gen 2026 – dic 2026": the range a report covers. */
function useRangeText(): (range: ReportRange) => string {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (range) =>
    range.from === range.to
      ? monthLabel(range.from, language)
      : t('reports.rangeText', {
          from: monthLabel(range.from, language),
          to: monthLabel(range.to, language),
        });
}

function isForbidden(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403;
}

/** A report's frame: heading, chart, table (scrolling sideways on a narrow screen), CSV download. */
function ReportSection({
  report,
  period,
  heading,
  children,
}: {
  report: Report;
  period: ReportPeriod;
  heading: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const id = useId();
  return (
    <section className="panel report" aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      {children}
      <p>
        {/* A plain link: the browser downloads the file with the staff cookie. */}
        <a className="button button--secondary" href={reportCsvPath(report, period, language)} download>
          {t('reports.downloadCsv')}
        </a>
      </p>
    </section>
  );
}

/** The table of a report, in a frame the keyboard can scroll. */
function ReportTable({ caption, children }: { caption: string; children: ReactNode }) {
  const id = useId();
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="table-wrap" aria-labelledby={id} tabIndex={0}>
      <table className="data-table report-table">
        <caption id={id}>{caption}</caption>
        {children}
      </table>
    </section>
  );
}

/** Loads one report for the period shown; a 403 goes up to the page. */
function useReport<T>(report: Report, period: ReportPeriod) {
  return useApiQuery<T>(reportPath(report, period), { staleTime: 60_000 });
}

function Loading({
  query,
}: {
  query: { isPending: boolean; isError: boolean; error: unknown; refetch(): unknown };
}) {
  const { t } = useTranslation();
  if (query.isPending) {
    return (
      <p role="status" className="muted">
        {t('reports.loading')}
      </p>
    );
  }
  if (query.isError && !isForbidden(query.error)) {
    return <LoadError error={query.error} onRetry={() => void query.refetch()} />;
  }
  return null;
}

function ClaimsByState({ period }: { period: ReportPeriod }) {
  const { t } = useTranslation();
  const { language, english } = useLanguage();
  const rangeText = useRangeText();
  const query = useReport<ClaimsByStateReport>('claims-by-state', period);
  const data = query.data;
  const label = (state: keyof typeof CLAIM_STATE_LABELS) => CLAIM_STATE_LABELS[state][english ? 'en' : 'it'];
  const config = useMemo(() => data && claimsByStateChart(data, t, language), [data, t, language]);
  return (
    <ReportSection report="claims-by-state" period={period} heading={t('reports.byState.heading')}>
      <p className="muted">{t('reports.byState.intro')}</p>
      <Loading query={query} />
      {data && config && (
        <>
          <ReportChart
            config={config}
            label={t('reports.chartLabel', { name: t('reports.byState.heading') })}
          />
          <ReportTable caption={t('reports.byState.caption', { range: rangeText(data.range) })}>
            <thead>
              <tr>
                <th scope="col">{t('reports.byState.state')}</th>
                <th scope="col" className="numeric">
                  {t('reports.byState.claims')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.states.map((s) => (
                <tr key={s.state}>
                  <th scope="row">{label(s.state)}</th>
                  <td className="numeric">{s.count}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('reports.total')}</th>
                <td className="numeric">{data.total}</td>
              </tr>
            </tfoot>
          </ReportTable>
        </>
      )}
    </ReportSection>
  );
}

function DecisionTimes({ period }: { period: ReportPeriod }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const rangeText = useRangeText();
  const query = useReport<DecisionTimesReport>('decision-times', period);
  const data = query.data;
  const days = (value: number | null) => (value === null ? '—' : oneDecimal(value, language));
  const percent = (value: number | null) =>
    value === null ? '—' : t('reports.times.percentValue', { value: oneDecimal(value, language) });
  const config = useMemo(() => data && decisionTimesChart(data, t, language), [data, t, language]);
  return (
    <ReportSection report="decision-times" period={period} heading={t('reports.times.heading')}>
      <p className="muted">{t('reports.times.intro')}</p>
      <Loading query={query} />
      {data && config && (
        <>
          <ReportChart
            config={config}
            label={t('reports.chartLabel', { name: t('reports.times.heading') })}
          />
          <ReportTable caption={t('reports.times.caption', { range: rangeText(data.range) })}>
            <thead>
              <tr>
                <th scope="col">{t('reports.month')}</th>
                <th scope="col" className="numeric">
                  {t('reports.times.staffCount')}
                </th>
                <th scope="col" className="numeric">
                  {t('reports.times.medianStaff')}
                </th>
                <th scope="col" className="numeric">
                  {t('reports.times.automaticCount')}
                </th>
                <th scope="col" className="numeric">
                  {t('reports.times.medianAutomatic')}
                </th>
                <th scope="col" className="numeric">
                  {t('reports.times.share')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.months.map((m) => (
                <tr key={m.month}>
                  <th scope="row" className="nowrap">
                    {monthLabel(m.month, language)}
                  </th>
                  <td className="numeric">{m.staff.count}</td>
                  <td className="numeric">{days(m.staff.medianDays)}</td>
                  <td className="numeric">{m.automatic.count}</td>
                  <td className="numeric">{days(m.automatic.medianDays)}</td>
                  <td className="numeric">{percent(m.automaticPercent)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('reports.wholeRange')}</th>
                <td className="numeric">{data.total.staff.count}</td>
                <td className="numeric">{days(data.total.staff.medianDays)}</td>
                <td className="numeric">{data.total.automatic.count}</td>
                <td className="numeric">{days(data.total.automatic.medianDays)}</td>
                <td className="numeric">{percent(data.total.automaticPercent)}</td>
              </tr>
            </tfoot>
          </ReportTable>
        </>
      )}
    </ReportSection>
  );
}

function Payments({ period }: { period: ReportPeriod }) {
  const { t } = useTranslation();
  const { language, english } = useLanguage();
  const rangeText = useRangeText();
  const query = useReport<PaymentsReport>('payments', period);
  const data = query.data;
  const euro = (cents: number) => formatEuro(cents, language);
  const category = (code: CategoryCode) => CATEGORY_LABELS[code][english ? 'en' : 'it'];
  const config = useMemo(() => data && paymentsChart(data, language), [data, language]);
  return (
    <ReportSection report="payments" period={period} heading={t('reports.payments.heading')}>
      <p className="muted">{t('reports.payments.intro')}</p>
      <Loading query={query} />
      {data && config && data.categories.length === 0 && <p>{t('reports.payments.none')}</p>}
      {data && config && data.categories.length > 0 && (
        <>
          <ReportChart
            config={config}
            label={t('reports.chartLabel', { name: t('reports.payments.heading') })}
          />
          <ReportTable caption={t('reports.payments.caption', { range: rangeText(data.range) })}>
            <thead>
              <tr>
                <th scope="col">{t('reports.month')}</th>
                {data.categories.map((code) => (
                  <th key={code} scope="col" className="numeric">
                    {category(code)}
                  </th>
                ))}
                <th scope="col" className="numeric">
                  {t('reports.total')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.months.map((m) => (
                <tr key={m.month}>
                  <th scope="row" className="nowrap">
                    {monthLabel(m.month, language)}
                  </th>
                  {m.byCategory.map((a) => (
                    <td key={a.category} className="numeric nowrap">
                      {euro(a.cents)}
                    </td>
                  ))}
                  <td className="numeric nowrap">{euro(m.totalCents)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('reports.total')}</th>
                {data.totals.byCategory.map((a) => (
                  <td key={a.category} className="numeric nowrap">
                    {euro(a.cents)}
                  </td>
                ))}
                <td className="numeric nowrap">{euro(data.totals.totalCents)}</td>
              </tr>
            </tfoot>
          </ReportTable>
        </>
      )}
    </ReportSection>
  );
}

/** Fetches the three reports of a period (a failure stays with the form that asked). */
async function prefetch(period: ReportPeriod): Promise<void> {
  await Promise.all(
    (['claims-by-state', 'decision-times', 'payments'] as const).map((report) => {
      const path = reportPath(report, period);
      return queryClient.fetchQuery({
        queryKey: apiKey(path),
        queryFn: ({ signal }) => api.get(path, { signal }),
      });
    }),
  );
}

/** `/backoffice/report`: claims by state, decision times, amounts paid (administrators and auditors). */
export function ReportsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('reports.documentTitle'));
  const thisYear = new Date().getFullYear();
  const [period, setPeriod] = useState<ReportPeriod>({ year: thisYear });
  const [choice, setChoice] = useState(String(thisYear));
  const [forbidden, setForbidden] = useState(false);
  // The first report tells whether this role may read them (the three share the rule).
  const probe = useReport<ClaimsByStateReport>('claims-by-state', period);
  const labels = { period: t('reports.period'), from: t('reports.from'), to: t('reports.to') };
  const form = useFormSubmit({
    labels,
    read: (data) => {
      if (choice !== MONTHS_CHOICE) return { value: { year: Number(choice) } as ReportPeriod, errors: {} };
      const from = formText(data, 'from').trim();
      const to = formText(data, 'to').trim();
      const problem = rangeProblem(from, to);
      const message = (code: NonNullable<typeof problem>['code']) =>
        code === 'month_invalid'
          ? t('reports.monthInvalid')
          : t(`fieldErrors.${code}`, { max: REPORT_LIMITS.maxMonths });
      return {
        value: { from, to } as ReportPeriod,
        errors: compactErrors({ [problem?.field ?? 'from']: problem ? message(problem.code) : false }),
      };
    },
    send: async (value) => {
      await prefetch(value);
      setPeriod(value);
    },
    onError: (error) => {
      if (!isForbidden(error)) return null;
      setForbidden(true);
      return true;
    },
  });

  if (forbidden || isForbidden(probe.error)) {
    return (
      <section className="card">
        <h1>{t('reports.heading')}</h1>
        <div className="notice notice--error">
          <p role="alert">{t('reports.forbidden')}</p>
          <p>
            <Link href={BACKOFFICE_HOME}>{t('reports.toHome')}</Link>
          </p>
        </div>
      </section>
    );
  }

  const years = Array.from({ length: YEARS_BACK + 1 }, (_, i) => String(thisYear - i));
  return (
    <div className="staff-page">
      <h1>{t('reports.heading')}</h1>
      <section className="panel">
        <h2>{t('reports.filtersHeading')}</h2>
        <FormAlert problem={form.feedback.problem} />
        <Form {...form.formProps}>
          <div className="form__grid report-filters">
            <SelectField
              name="period"
              label={labels.period}
              value={choice}
              onChange={setChoice}
              choices={[
                ...years.map((y) => ({ value: y, label: t('reports.yearChoice', { year: y }) })),
                { value: MONTHS_CHOICE, label: t('reports.monthsChoice') },
              ]}
            />
            {choice === MONTHS_CHOICE && (
              <>
                <FormTextField
                  name="from"
                  label={labels.from}
                  type="month"
                  isRequired
                  description={t('reports.monthHint')}
                  defaultValue={`${thisYear}-01`}
                />
                <FormTextField
                  name="to"
                  label={labels.to}
                  type="month"
                  isRequired
                  description={t('reports.monthHint')}
                  defaultValue={`${thisYear}-12`}
                />
              </>
            )}
          </div>
          <SubmitButton pending={form.pending}>{t('reports.submit')}</SubmitButton>
        </Form>
      </section>
      <ClaimsByState period={period} />
      <DecisionTimes period={period} />
      <Payments period={period} />
    </div>
  );
}
