import { type RefObject, useEffect, useId, useRef, useState } from 'react';
import { Button, Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { AUDIT_COUNT_CAP } from '#contracts/audit.codes.js';
import type { AuditEvent, AuditPage as AuditPageBody } from '#contracts/audit.js';
import { FormAlert } from '../../components/form-alert';
import { FormTextField } from '../../components/form-field';
import { SubmitButton } from '../../components/submit-button';
import { ApiError, api, errorMessage } from '../../lib/api';
import { compactErrors, formText } from '../../lib/form-data';
import { formatDateTime, isIsoDate } from '../../lib/format';
import { apiKey, queryClient, useApiQuery } from '../../lib/query';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useFormSubmit } from '../../lib/use-form-submit';
import { BACKOFFICE_HOME } from './backoffice-layout';

export const AUDIT_EVENTS_PATH = '/api/v1/staff/audit-events';
/** Events per page (the server allows up to AUDIT_PAGE_MAX). */
export const AUDIT_PAGE_SIZE = 50;

export type { AuditEvent };

export interface AuditFilters {
  actor: string;
  member: string;
  event: string;
  /** `YYYY-MM-DD` or ''. */
  from: string;
  to: string;
}

const NO_FILTERS: AuditFilters = { actor: '', member: '', event: '', from: '', to: '' };

/** The local day's first instant (`from`) or the next day's (`to`, exclusive end), in ISO form. */
function dayBoundary(isoDate: string, end: boolean): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, day + (end ? 1 : 0)).toISOString();
}

/**
 * The query string of the filters filled in, dates as the local days' bounds (the CSV export's
 * whole query); with a page size and a cursor for a page of the table.
 */
export function auditQuery(
  filters: AuditFilters,
  paging?: { limit: number; cursor?: string | null },
): string {
  const params = new URLSearchParams();
  if (filters.actor) params.set('actor', filters.actor);
  if (filters.member) params.set('member', filters.member);
  if (filters.event) params.set('event', filters.event);
  if (filters.from) params.set('from', dayBoundary(filters.from, false));
  if (filters.to) params.set('to', new Date(Date.parse(dayBoundary(filters.to, true)) - 1).toISOString());
  if (paging) {
    params.set('limit', String(paging.limit));
    if (paging.cursor) params.set('cursor', paging.cursor);
  }
  return params.toString();
}

function isForbidden(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403;
}

/** The address of one page of the table: the query key of that page too. */
function pagePath(filters: AuditFilters, cursor: string | null): string {
  return `${AUDIT_EVENTS_PATH}?${auditQuery(filters, { limit: AUDIT_PAGE_SIZE, cursor })}`;
}

/**
 * Asks for a page (always afresh) and keeps it in the cache, where the table reads it once it is
 * shown. The caller sees the failure: the filters' form or the pagination reports it.
 */
function fetchPage(filters: AuditFilters, cursor: string | null): Promise<AuditPageBody> {
  const path = pagePath(filters, cursor);
  return queryClient.fetchQuery({
    queryKey: apiKey(path),
    queryFn: ({ signal }) => api.get<AuditPageBody>(path, { signal }),
  });
}

function EventsTable({
  events,
  regionRef,
}: {
  events: AuditEvent[];
  regionRef: RefObject<HTMLElement | null>;
}) {
  const { t } = useTranslation();
  const captionId = useId();
  if (events.length === 0) return <p className="muted">{t('backoffice.audit.empty')}</p>;
  return (
    // Scrolls sideways on narrow screens: focusable so the keyboard can scroll it too.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section ref={regionRef} className="table-wrap" aria-labelledby={captionId} tabIndex={0}>
      <table className="data-table">
        <caption id={captionId}>{t('backoffice.audit.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('backoffice.audit.time')}</th>
            <th scope="col">{t('backoffice.audit.event')}</th>
            <th scope="col">{t('backoffice.audit.outcome')}</th>
            <th scope="col">{t('backoffice.audit.actorColumn')}</th>
            <th scope="col">{t('backoffice.audit.memberColumn')}</th>
            <th scope="col">{t('backoffice.audit.ip')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.id}>
              <td className="nowrap">
                <time dateTime={event.occurredAt}>{formatDateTime(event.occurredAt)}</time>
              </td>
              <td>{event.event}</td>
              <td>{event.outcome}</td>
              <td>{event.actorId ? `${event.actorType}: ${event.actorId}` : event.actorType}</td>
              <td>{event.subjectId ?? '—'}</td>
              <td>{event.ip ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** `/backoffice/audit`: the audit trail, newest first, with filters (auditors and administrators). */
export function AuditPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('backoffice.audit.documentTitle'));
  // The page of the table shown: the filters applied (the CSV export's too) and where in the trail.
  const [shown, setShown] = useState<{ filters: AuditFilters; cursor: string | null }>({
    filters: NO_FILTERS,
    cursor: null,
  });
  const applied = shown.filters;
  // Read afresh whenever the page opens; a page chosen by the form or the pagination is already in
  // the cache (fetchPage) and is not asked for twice.
  const load = useApiQuery<AuditPageBody>(pagePath(shown.filters, shown.cursor), {
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnMount: 'always',
  });
  const [forbidden, setForbidden] = useState(false);
  const [paging, setPaging] = useState<{ pending: boolean; error: unknown }>({ pending: false, error: null });
  const results = useRef<HTMLElement | null>(null);
  const [focusResults, setFocusResults] = useState(0);
  const labels = {
    actor: t('backoffice.audit.actor'),
    member: t('backoffice.audit.member'),
    event: t('backoffice.audit.event'),
    from: t('backoffice.audit.from'),
    to: t('backoffice.audit.to'),
  };
  const form = useFormSubmit({
    labels,
    read: (data) => {
      const filters: AuditFilters = {
        actor: formText(data, 'actor').trim(),
        member: formText(data, 'member').trim(),
        event: formText(data, 'event').trim(),
        from: formText(data, 'from'),
        to: formText(data, 'to'),
      };
      const errors = compactErrors({
        from: filters.from !== '' && !isIsoDate(filters.from) && t('backoffice.audit.dateInvalid'),
        to:
          filters.to !== '' &&
          (!isIsoDate(filters.to)
            ? t('backoffice.audit.dateInvalid')
            : filters.from !== '' && filters.to < filters.from && t('backoffice.audit.rangeInvalid')),
      });
      return { value: filters, errors };
    },
    send: async (filters) => {
      await fetchPage(filters, null);
      setShown({ filters, cursor: null });
      setPaging({ pending: false, error: null });
    },
    onError: (error) => {
      if (!isForbidden(error)) return null;
      setForbidden(true);
      return true;
    },
  });

  // After "older" or "newer", the keyboard goes on from the new page's table.
  useEffect(() => {
    if (focusResults > 0) results.current?.focus();
  }, [focusResults]);

  /** Another page of the same search: the filters applied stay, the cursor says where. */
  async function goTo(cursor: string | null): Promise<void> {
    if (paging.pending) return;
    setPaging({ pending: true, error: null });
    try {
      await fetchPage(applied, cursor);
      setShown({ filters: applied, cursor });
      setPaging({ pending: false, error: null });
      setFocusResults((n) => n + 1);
    } catch (error) {
      if (isForbidden(error)) setForbidden(true);
      setPaging({ pending: false, error });
    }
  }

  if (forbidden || isForbidden(load.error)) {
    return (
      <section className="card">
        <h1>{t('backoffice.audit.heading')}</h1>
        <div className="notice notice--error">
          <p role="alert">{t('backoffice.audit.forbidden')}</p>
          <p>
            <Link href={BACKOFFICE_HOME}>{t('backoffice.audit.toHome')}</Link>
          </p>
        </div>
      </section>
    );
  }

  return (
    <div className="staff-page">
      <h1>{t('backoffice.audit.heading')}</h1>

      <section className="panel">
        <h2>{t('backoffice.audit.filtersHeading')}</h2>
        <FormAlert problem={form.feedback.problem} />
        <Form {...form.formProps}>
          <div className="form__grid audit-filters">
            <FormTextField
              name="actor"
              label={labels.actor}
              maxLength={64}
              inputProps={{ autoCapitalize: 'none', spellCheck: false }}
            />
            <FormTextField
              name="member"
              label={labels.member}
              maxLength={64}
              inputProps={{ autoCapitalize: 'none', spellCheck: false }}
            />
            <FormTextField
              name="event"
              label={labels.event}
              maxLength={64}
              description={t('backoffice.audit.eventHint')}
              inputProps={{ autoCapitalize: 'none', spellCheck: false }}
            />
            <FormTextField name="from" label={labels.from} type="date" />
            <FormTextField name="to" label={labels.to} type="date" />
          </div>
          <SubmitButton pending={form.pending}>{t('backoffice.audit.submit')}</SubmitButton>
        </Form>
      </section>

      {load.isPending && (
        <p role="status" className="muted">
          {t('backoffice.audit.loading')}
        </p>
      )}
      {load.isError && !load.data && (
        <div role="alert" className="form-alert">
          <p>{errorMessage(t, load.error)}</p>
        </div>
      )}
      {load.data && (
        <>
          <p>
            {/* A plain link: the browser downloads the file with the staff cookie. */}
            <a
              className="button button--secondary"
              href={`${AUDIT_EVENTS_PATH}.csv?${auditQuery(applied)}`}
              download
            >
              {t('backoffice.audit.exportCsv')}
            </a>
          </p>
          {load.data.events.length > 0 && (
            <p>
              {load.data.total === null
                ? t('backoffice.audit.countMore', {
                    cap: AUDIT_COUNT_CAP.toLocaleString(i18n.resolvedLanguage),
                    shown: load.data.events.length,
                  })
                : t('backoffice.audit.countTotal', {
                    total: load.data.total.toLocaleString(i18n.resolvedLanguage),
                    shown: load.data.events.length,
                  })}
            </p>
          )}
          <EventsTable events={load.data.events} regionRef={results} />
          {paging.error !== null && (
            <div role="alert" className="form-alert">
              <p>{errorMessage(t, paging.error)}</p>
            </div>
          )}
          {(load.data.newer !== null || load.data.older !== null) && (
            <nav aria-label={t('backoffice.audit.pagination')} className="form__actions pagination">
              <Button
                className="button button--secondary"
                isDisabled={load.data.newer === null || paging.pending}
                onPress={() => void goTo(load.data.newer)}
              >
                {t('backoffice.audit.newer')}
              </Button>
              <Button
                className="button button--secondary"
                isDisabled={load.data.older === null || paging.pending}
                onPress={() => void goTo(load.data.older)}
              >
                {t('backoffice.audit.older')}
              </Button>
            </nav>
          )}
        </>
      )}
    </div>
  );
}
