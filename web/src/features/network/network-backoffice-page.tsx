import { useId, useRef, useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { CsvFileField } from '../../components/csv-file-field';
import { FormAlert, FormStatus } from '../../components/form-alert';
import { PendingButton, SubmitButton } from '../../components/submit-button';
import { ApiError, detailText, errorMessage } from '../../lib/api';
import { compactErrors } from '../../lib/form-data';
import { formatDateTime } from '../../lib/format';
import { type StaffRole, useStaffSession } from '../../lib/staff-session';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useFormSubmit } from '../../lib/use-form-submit';
import { useImportHistory, useImportJob } from '../imports/use-import-job';
import {
  FacilityPagination,
  FacilitySearchForm,
  FacilitySearchSummary,
  useFacilitySearch,
} from './facility-search';
import {
  canManageNetwork,
  canReadNetworkImports,
  NETWORK_IMPORTS_PATH,
  type NetworkImportView,
  networkImportPath,
  STAFF_FACILITIES_PATH,
} from './network-api';
import { NetworkImportReport } from './network-import-report';

/** The message of a refused action: its detail's code worded (e.g. "already imported"), else the error's. */
function actionMessage(t: Parameters<typeof errorMessage>[0], error: unknown): string {
  if (error instanceof ApiError && error.details[0]) return detailText(t, error.details[0]);
  return errorMessage(t, error);
}

function UploadSection() {
  const { t } = useTranslation();
  const allowId = useId();
  const blockedId = useId();
  // The server checks the file while it receives it: nothing runs in the background to poll.
  const imports = useImportJob<NetworkImportView>({
    importsPath: NETWORK_IMPORTS_PATH,
    jobPath: networkImportPath,
  });
  const { job } = imports;
  const [allowErrors, setAllowErrors] = useState(false);
  const labels = { file: t('networkBackoffice.file') };

  const form = useFormSubmit({
    labels,
    read: (data) => {
      const file = data.get('file');
      const chosen = file instanceof File && file.name !== '' ? file : null;
      return {
        value: chosen,
        errors: compactErrors({ file: !chosen && t('networkBackoffice.fileRequired') }),
      };
    },
    onStart: () => {
      imports.start();
      setAllowErrors(false);
    },
    send: async (file) => {
      if (file) await imports.upload(file);
    },
    // A refused file: say so, and why (each coded reason worded, in order) beside the file field.
    onError: (error) => {
      const why = error instanceof ApiError ? error.details.filter((d) => d.field === 'file') : [];
      if (why.length === 0) return null;
      const file = why.map((d) => detailText(t, d)).join(' ');
      form.feedback.report(t('networkBackoffice.uploadRefused'), { file });
      return true;
    },
  });

  const status =
    imports.outcome === 'checked'
      ? t('networkBackoffice.checkedStatus')
      : imports.outcome === 'applied'
        ? t('networkBackoffice.appliedStatus')
        : imports.outcome === 'discarded'
          ? t('networkBackoffice.discardedStatus')
          : null;
  const actionError = imports.actionError && actionMessage(t, imports.actionError);
  const actionPending = imports.actionPending;

  const fileError = form.feedback.fieldErrors.file;
  const check = job?.check ?? null;
  const blocked = check !== null && check.rejectedTotal > 0 && !allowErrors;

  return (
    <section className="panel" aria-labelledby="network-upload-heading">
      <h2 id="network-upload-heading">{t('networkBackoffice.uploadHeading')}</h2>
      <p className="muted">{t('networkBackoffice.uploadText')}</p>
      <FormAlert problem={form.feedback.problem} />
      <Form {...form.formProps}>
        <CsvFileField label={labels.file} error={fileError} />
        <SubmitButton pending={form.pending}>{t('networkBackoffice.upload')}</SubmitButton>
      </Form>

      <FormStatus message={status} />
      {actionError && (
        <div role="alert" className="form-alert">
          <p>{actionError}</p>
        </div>
      )}

      {job && (
        <div className="import-job">
          <p>
            {t('networkBackoffice.jobLine', {
              file: job.fileName,
              status: t(`networkBackoffice.status.${job.status}`),
            })}
          </p>
          {job.sameFileAs && (
            <p className="muted">
              {t('networkBackoffice.sameFile', {
                date: formatDateTime(job.sameFileAs.createdAt),
                status: t(`networkBackoffice.status.${job.sameFileAs.status}`, {
                  defaultValue: job.sameFileAs.status,
                }),
              })}
            </p>
          )}
          {check && job.status !== 'applied' && (
            <NetworkImportReport counts={check} heading={t('networkBackoffice.checkHeading')} />
          )}
          {job.status === 'checked' && check && (
            <div className="import-actions">
              {check.rejectedTotal > 0 && (
                <>
                  <p id={blockedId} className="staff-warning">
                    {t('networkBackoffice.blocked', { count: check.rejectedTotal })}
                  </p>
                  <label className="checkbox" htmlFor={allowId}>
                    <input
                      id={allowId}
                      type="checkbox"
                      checked={allowErrors}
                      onChange={(event) => setAllowErrors(event.currentTarget.checked)}
                    />
                    {t('networkBackoffice.allowErrors')}
                  </label>
                </>
              )}
              <div className="form__actions">
                <Button
                  className="button button--secondary"
                  isDisabled={actionPending}
                  onPress={imports.discard}
                >
                  {t('networkBackoffice.discard')}
                </Button>
                {blocked ? (
                  <Button className="button button--primary" isDisabled aria-describedby={blockedId}>
                    {t('networkBackoffice.apply')}
                  </Button>
                ) : (
                  <PendingButton pending={actionPending} onPress={() => imports.apply(allowErrors)}>
                    {t('networkBackoffice.apply')}
                  </PendingButton>
                )}
              </div>
            </div>
          )}
          {job.status === 'applied' && job.result && (
            <NetworkImportReport counts={job.result} heading={t('networkBackoffice.resultHeading')} done />
          )}
        </div>
      )}
    </section>
  );
}

function HistorySection() {
  const { t } = useTranslation();
  const captionId = useId();
  const history = useImportHistory<NetworkImportView>(NETWORK_IMPORTS_PATH);
  const imports = history.data?.imports ?? null;
  const error = history.error;

  const statusText = (job: NetworkImportView) => {
    const status = t(`networkBackoffice.status.${job.status}`);
    if (!job.error) return status;
    const why = t(`networkBackoffice.refusals.${job.error.kind}`, {
      line: job.error.line ?? 1,
      defaultValue: job.error.message,
    });
    return `${status}: ${why}`;
  };

  return (
    <section className="panel" aria-labelledby="network-history-heading">
      <h2 id="network-history-heading">{t('networkBackoffice.historyHeading')}</h2>
      {error !== null && (
        <div role="alert" className="form-alert">
          <p>{errorMessage(t, error)}</p>
        </div>
      )}
      {imports === null && error === null && <p className="muted">{t('networkBackoffice.loading')}</p>}
      {imports?.length === 0 && <p className="muted">{t('networkBackoffice.historyEmpty')}</p>}
      {imports && imports.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        <section className="table-wrap" aria-labelledby={captionId} tabIndex={0}>
          <table className="data-table">
            <caption id={captionId}>{t('networkBackoffice.historyCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('networkBackoffice.date')}</th>
                <th scope="col">{t('networkBackoffice.fileColumn')}</th>
                <th scope="col">{t('networkBackoffice.uploadedBy')}</th>
                <th scope="col">{t('networkBackoffice.statusColumn')}</th>
                <th scope="col">{t('networkBackoffice.counts.rowsRead')}</th>
                <th scope="col">{t('networkBackoffice.counts.inserted')}</th>
                <th scope="col">{t('networkBackoffice.counts.updated')}</th>
                <th scope="col">{t('networkBackoffice.counts.rejected')}</th>
                <th scope="col">{t('networkBackoffice.appliedBy')}</th>
              </tr>
            </thead>
            <tbody>
              {imports.map((job) => {
                const counts = job.result ?? job.check;
                return (
                  <tr key={job.id}>
                    <td className="nowrap">
                      <time dateTime={job.createdAt}>{formatDateTime(job.createdAt)}</time>
                    </td>
                    <td>{job.fileName}</td>
                    <td>{job.uploadedBy ?? '—'}</td>
                    <td>{statusText(job)}</td>
                    <td>{counts?.rowsRead ?? '—'}</td>
                    <td>{counts?.inserted ?? '—'}</td>
                    <td>{counts?.updated ?? '—'}</td>
                    <td>{counts?.rejectedTotal ?? '—'}</td>
                    <td>{job.appliedBy ?? '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}

/** The members' search, on the staff API, for any staff role (read only). */
function SearchSection() {
  const { t } = useTranslation();
  const captionId = useId();
  const tableRef = useRef<HTMLElement>(null);
  const search = useFacilitySearch(STAFF_FACILITIES_PATH, tableRef);
  const { result, pages, lang, serviceLabel } = search;
  const km = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  const withDistance = result?.items.some((f) => f.distanceKm !== undefined) ?? false;

  return (
    <section className="panel" aria-labelledby="network-search-heading">
      <h2 id="network-search-heading">{t('networkBackoffice.searchHeading')}</h2>
      <p className="muted">{t('networkBackoffice.searchIntro')}</p>
      <FacilitySearchForm search={search} />

      <FacilitySearchSummary result={result} />

      {result && result.items.length > 0 && (
        <>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard. */}
          <section className="table-wrap" aria-labelledby={captionId} tabIndex={0} ref={tableRef}>
            <table className="data-table">
              <caption id={captionId}>
                {t('networkBackoffice.searchCaption', { page: result.page, pages })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('networkBackoffice.name')}</th>
                  <th scope="col">{t('networkBackoffice.address')}</th>
                  <th scope="col">{t('networkBackoffice.place')}</th>
                  <th scope="col">{t('facilities.cap')}</th>
                  <th scope="col">{t('networkBackoffice.phone')}</th>
                  <th scope="col">{t('networkBackoffice.services')}</th>
                  {withDistance && <th scope="col">{t('networkBackoffice.distance')}</th>}
                </tr>
              </thead>
              <tbody>
                {result.items.map((facility) => (
                  <tr key={facility.id}>
                    <td>{facility.name}</td>
                    <td>{facility.address}</td>
                    <td>
                      {facility.city} ({facility.province})
                    </td>
                    <td>{facility.cap}</td>
                    <td className="nowrap">{facility.phone ?? '—'}</td>
                    <td>{facility.services.map(serviceLabel).join(', ')}</td>
                    {withDistance && (
                      <td className="nowrap">
                        {facility.distanceKm !== undefined
                          ? t('networkBackoffice.distanceKm', { km: km.format(facility.distanceKm) })
                          : '—'}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <FacilityPagination search={search} />
        </>
      )}
    </section>
  );
}

/** `/backoffice/strutture`: upload (administrators), history (administrators, auditors), search (all staff). */
export function NetworkBackofficePage() {
  const { t } = useTranslation();
  useDocumentTitle(t('networkBackoffice.documentTitle'));
  const { state } = useStaffSession();
  const role: StaffRole | null = state.status === 'active' ? state.info.role : null;
  return (
    <div className="staff-page">
      <h1>{t('networkBackoffice.heading')}</h1>
      {role && canManageNetwork(role) && <UploadSection />}
      {role && canReadNetworkImports(role) && <HistorySection />}
      <SearchSection />
    </div>
  );
}
