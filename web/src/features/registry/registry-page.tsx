import { useId, useState } from 'react';
import { Button, Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { CsvFileField } from '../../components/csv-file-field';
import { FormAlert, FormStatus } from '../../components/form-alert';
import { FormTextField } from '../../components/form-field';
import { PendingButton, SubmitButton } from '../../components/submit-button';
import { ApiError, api, errorMessage } from '../../lib/api';
import { compactErrors, formText } from '../../lib/form-data';
import { formatDate, formatDateTime } from '../../lib/format';
import { type StaffRole, useStaffSession } from '../../lib/staff-session';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useFormSubmit } from '../../lib/use-form-submit';
import { useImportHistory, useImportJob } from '../imports/use-import-job';
import { ImportCountsView, ImportProgress } from './import-report';
import {
  canManageRegistry,
  canReadImports,
  estimateRows,
  IMPORTS_PATH,
  importErrorText,
  importPath,
  isRunning,
  MEMBERS_PATH,
  memberRoute,
  POLL_MS,
  type RegistryImportView,
  type RegistryMemberView,
} from './registry-api';

const SAMPLE_BYTES = 64 * 1024;

async function rowsEstimate(file: File): Promise<number | null> {
  try {
    const slice = file.slice(0, SAMPLE_BYTES);
    return estimateRows(await slice.text(), slice.size, file.size);
  } catch {
    return null;
  }
}

function UploadSection() {
  const { t } = useTranslation();
  const allowId = useId();
  const blockedId = useId();
  const imports = useImportJob<RegistryImportView>({
    importsPath: IMPORTS_PATH,
    jobPath: importPath,
    isRunning: (job) => isRunning(job.status),
    pollMs: POLL_MS,
  });
  const { job } = imports;
  const [estimate, setEstimate] = useState<number | null>(null);
  const [allowErrors, setAllowErrors] = useState(false);
  const labels = { file: t('backoffice.registry.file') };

  const form = useFormSubmit({
    labels,
    read: (data) => {
      const file = data.get('file');
      const chosen = file instanceof File && file.name !== '' ? file : null;
      return {
        value: chosen,
        errors: compactErrors({ file: !chosen && t('backoffice.registry.fileRequired') }),
      };
    },
    onStart: () => {
      imports.start();
      setAllowErrors(false);
    },
    send: async (file) => {
      if (!file) return;
      setEstimate(await rowsEstimate(file));
      await imports.upload(file);
    },
  });

  const status =
    imports.outcome === 'checked'
      ? t('backoffice.registry.checkedStatus')
      : imports.outcome === 'applied'
        ? t('backoffice.registry.appliedStatus')
        : imports.outcome === 'discarded'
          ? t('backoffice.registry.discardedStatus')
          : null;
  const actionError = imports.actionError
    ? imports.actionError instanceof ApiError && imports.actionError.status === 409
      ? t('backoffice.registry.applyConflict')
      : errorMessage(t, imports.actionError)
    : imports.pollError && errorMessage(t, imports.pollError);
  const actionPending = imports.actionPending;

  const fileError = form.feedback.fieldErrors.file;
  const check = job?.check ?? null;
  const blocked = check !== null && check.rejectedTotal > 0 && !allowErrors;

  return (
    <section className="panel" aria-labelledby="registry-upload-heading">
      <h2 id="registry-upload-heading">{t('backoffice.registry.uploadHeading')}</h2>
      <p className="muted">{t('backoffice.registry.uploadText')}</p>
      <FormAlert problem={form.feedback.problem} />
      <Form {...form.formProps}>
        <CsvFileField label={labels.file} error={fileError} />
        <SubmitButton pending={form.pending}>{t('backoffice.registry.upload')}</SubmitButton>
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
            {t('backoffice.registry.jobLine', {
              file: job.fileName,
              status: t(`backoffice.registry.status.${job.status}`),
            })}
          </p>
          {job.status === 'checking' && (
            <ImportProgress
              rowsRead={job.rowsRead}
              total={estimate}
              label={t('backoffice.registry.checking')}
            />
          )}
          {job.status === 'applying' && (
            <ImportProgress
              rowsRead={job.rowsRead}
              total={check?.rowsRead ?? null}
              label={t('backoffice.registry.applying')}
            />
          )}
          {job.status === 'failed' && (
            <div role="alert" className="form-alert">
              <p>{t('backoffice.registry.failed', { error: importErrorText(t, job.error) })}</p>
            </div>
          )}
          {check && job.status !== 'applied' && (
            <ImportCountsView counts={check} heading={t('backoffice.registry.checkHeading')} />
          )}
          {job.status === 'checked' && check && (
            <div className="import-actions">
              {check.rejectedTotal > 0 && (
                <>
                  <p id={blockedId} className="staff-warning">
                    {t('backoffice.registry.blocked', { count: check.rejectedTotal })}
                  </p>
                  <label className="checkbox" htmlFor={allowId}>
                    <input
                      id={allowId}
                      type="checkbox"
                      checked={allowErrors}
                      onChange={(event) => setAllowErrors(event.currentTarget.checked)}
                    />
                    {t('backoffice.registry.allowErrors')}
                  </label>
                </>
              )}
              <div className="form__actions">
                <Button
                  className="button button--secondary"
                  isDisabled={actionPending}
                  onPress={imports.discard}
                >
                  {t('backoffice.registry.discard')}
                </Button>
                {blocked ? (
                  <Button className="button button--primary" isDisabled aria-describedby={blockedId}>
                    {t('backoffice.registry.apply')}
                  </Button>
                ) : (
                  <PendingButton pending={actionPending} onPress={() => imports.apply(allowErrors)}>
                    {t('backoffice.registry.apply')}
                  </PendingButton>
                )}
              </div>
            </div>
          )}
          {job.status === 'applied' && job.result && (
            <ImportCountsView counts={job.result} heading={t('backoffice.registry.resultHeading')} />
          )}
        </div>
      )}
    </section>
  );
}

function countsOf(job: RegistryImportView) {
  return job.result ?? job.check;
}

function HistorySection() {
  const { t } = useTranslation();
  const captionId = useId();
  const history = useImportHistory<RegistryImportView>(IMPORTS_PATH);
  const imports = history.data?.imports ?? null;
  const error = history.error;

  return (
    <section className="panel" aria-labelledby="registry-history-heading">
      <h2 id="registry-history-heading">{t('backoffice.registry.historyHeading')}</h2>
      {error !== null && (
        <div role="alert" className="form-alert">
          <p>{errorMessage(t, error)}</p>
        </div>
      )}
      {imports === null && error === null && <p className="muted">{t('backoffice.registry.loading')}</p>}
      {imports?.length === 0 && <p className="muted">{t('backoffice.registry.historyEmpty')}</p>}
      {imports && imports.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        <section className="table-wrap" aria-labelledby={captionId} tabIndex={0}>
          <table className="data-table">
            <caption id={captionId}>{t('backoffice.registry.historyCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('backoffice.registry.date')}</th>
                <th scope="col">{t('backoffice.registry.fileColumn')}</th>
                <th scope="col">{t('backoffice.registry.uploadedBy')}</th>
                <th scope="col">{t('backoffice.registry.statusColumn')}</th>
                <th scope="col">{t('backoffice.registry.counts.rowsRead')}</th>
                <th scope="col">{t('backoffice.registry.counts.inserted')}</th>
                <th scope="col">{t('backoffice.registry.counts.updated')}</th>
                <th scope="col">{t('backoffice.registry.counts.rejected')}</th>
              </tr>
            </thead>
            <tbody>
              {imports.map((job) => {
                const counts = countsOf(job);
                return (
                  <tr key={job.id}>
                    <td className="nowrap">
                      <time dateTime={job.createdAt}>{formatDateTime(job.createdAt)}</time>
                    </td>
                    <td>{job.fileName}</td>
                    <td>{job.uploadedBy ?? '—'}</td>
                    <td>{t(`backoffice.registry.status.${job.status}`)}</td>
                    <td>{counts?.rowsRead ?? job.rowsRead}</td>
                    <td>{counts?.inserted ?? '—'}</td>
                    <td>{counts?.updated ?? '—'}</td>
                    <td>{counts?.rejectedTotal ?? '—'}</td>
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

/** "Dal 01/01/2025", "dal 01/01/2025 al 31/12/2026". */
export function useCoverageText(): (coverage: { start: string; end: string | null }) => string {
  const { t } = useTranslation();
  return (coverage) =>
    coverage.end
      ? t('dashboard.coverageRange', { start: formatDate(coverage.start), end: formatDate(coverage.end) })
      : t('dashboard.coverageOngoing', { start: formatDate(coverage.start) });
}

/** The members table: search results, a member's family. */
export function MembersTable({ members, caption }: { members: RegistryMemberView[]; caption: string }) {
  const { t } = useTranslation();
  const captionId = useId();
  const coverageText = useCoverageText();
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="table-wrap" aria-labelledby={captionId} tabIndex={0}>
      <table className="data-table">
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('backoffice.registry.surname')}</th>
            <th scope="col">{t('backoffice.registry.name')}</th>
            <th scope="col">{t('backoffice.registry.codiceFiscale')}</th>
            <th scope="col">{t('backoffice.registry.plan')}</th>
            <th scope="col">{t('backoffice.registry.coverage')}</th>
            <th scope="col">{t('backoffice.registry.accountState')}</th>
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr key={member.id}>
              <td>
                <Link href={memberRoute(member.id)}>{member.surname}</Link>
              </td>
              <td>{member.name}</td>
              <td className="nowrap">{member.codiceFiscale}</td>
              <td>{member.plan.name}</td>
              <td>{coverageText(member.coverage)}</td>
              <td>{t(`backoffice.registry.accountStates.${member.accountState}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function SearchSection() {
  const { t } = useTranslation();
  const [results, setResults] = useState<{ q: string; members: RegistryMemberView[] } | null>(null);
  const labels = { q: t('backoffice.registry.searchField') };
  const form = useFormSubmit({
    labels,
    read: (data) => {
      const q = formText(data, 'q').trim();
      return {
        value: q,
        // As the server counts: % and _ match only themselves and do not count.
        errors: compactErrors({
          q: q.replace(/[%_\\]/g, '').length < 2 && t('backoffice.registry.searchTooShort'),
        }),
      };
    },
    send: async (q) => {
      const body = await api.get<{ members: RegistryMemberView[] }>(
        `${MEMBERS_PATH}?q=${encodeURIComponent(q)}`,
      );
      setResults({ q, members: body.members });
    },
  });
  return (
    <section className="panel" aria-labelledby="registry-search-heading">
      <h2 id="registry-search-heading">{t('backoffice.registry.searchHeading')}</h2>
      <FormAlert problem={form.feedback.problem} />
      <Form {...form.formProps}>
        <FormTextField
          name="q"
          label={labels.q}
          maxLength={100}
          inputProps={{ autoCapitalize: 'none', spellCheck: false }}
        />
        <SubmitButton pending={form.pending}>{t('backoffice.registry.search')}</SubmitButton>
      </Form>
      <div role="status" className="search-summary">
        {results && t('backoffice.registry.searchResults', { count: results.members.length, q: results.q })}
      </div>
      {results && results.members.length > 0 && (
        <MembersTable members={results.members} caption={t('backoffice.registry.resultsCaption')} />
      )}
    </section>
  );
}

/** `/backoffice/anagrafica`: upload (administrators), history (administrators, auditors), search (all). */
export function RegistryPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('backoffice.registry.documentTitle'));
  const { state } = useStaffSession();
  const role: StaffRole | null = state.status === 'active' ? state.info.role : null;
  return (
    <div className="staff-page">
      <h1>{t('backoffice.registry.heading')}</h1>
      {role && canManageRegistry(role) && <UploadSection />}
      {role && canReadImports(role) && <HistorySection />}
      <SearchSection />
    </div>
  );
}
