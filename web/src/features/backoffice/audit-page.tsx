import { useEffect, useId, useState } from 'react';
import { Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { FormAlert } from '../../components/form-alert';
import { FormTextField } from '../../components/form-field';
import { SubmitButton } from '../../components/submit-button';
import { ApiError, api, errorMessage } from '../../lib/api';
import { compactErrors, formText } from '../../lib/form-data';
import { formatDateTime, isIsoDate } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useFormSubmit } from '../../lib/use-form-submit';
import { BACKOFFICE_HOME } from './backoffice-layout';

export const AUDIT_EVENTS_PATH = '/api/v1/staff/audit-events';
/** The most events one search shows (the server allows up to 500). */
export const AUDIT_LIMIT = 200;

export interface AuditEvent {
  id: string;
  occurredAt: string;
  event: string;
  outcome: string;
  actorType: string;
  actorId: string | null;
  subjectId: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
}

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

/** The query string of a search: only the filters filled in, dates as the local days' bounds. */
export function auditQuery(filters: AuditFilters, limit = AUDIT_LIMIT): string {
  const params = new URLSearchParams();
  if (filters.actor) params.set('actor', filters.actor);
  if (filters.member) params.set('member', filters.member);
  if (filters.event) params.set('event', filters.event);
  if (filters.from) params.set('from', dayBoundary(filters.from, false));
  if (filters.to) params.set('to', new Date(Date.parse(dayBoundary(filters.to, true)) - 1).toISOString());
  params.set('limit', String(limit));
  return params.toString();
}

type Load =
  | { status: 'loading' }
  | { status: 'ready'; events: AuditEvent[] }
  | { status: 'forbidden' }
  | { status: 'error'; error: unknown };

function isForbidden(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403;
}

function fetchEvents(filters: AuditFilters, signal?: AbortSignal): Promise<AuditEvent[]> {
  return api
    .get<{ events: AuditEvent[] }>(`${AUDIT_EVENTS_PATH}?${auditQuery(filters)}`, signal ? { signal } : {})
    .then((body) => body.events);
}

function EventsTable({ events }: { events: AuditEvent[] }) {
  const { t } = useTranslation();
  const captionId = useId();
  if (events.length === 0) return <p className="muted">{t('backoffice.audit.empty')}</p>;
  return (
    // Scrolls sideways on narrow screens: focusable so the keyboard can scroll it too.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="table-wrap" aria-labelledby={captionId} tabIndex={0}>
      <table className="data-table">
        <caption id={captionId}>
          {t('backoffice.audit.caption', { shown: events.length, limit: AUDIT_LIMIT })}
        </caption>
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
  const { t } = useTranslation();
  useDocumentTitle(t('backoffice.audit.documentTitle'));
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [applied, setApplied] = useState<AuditFilters>(NO_FILTERS);
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
      setLoad({ status: 'ready', events: await fetchEvents(filters) });
      setApplied(filters);
    },
    onError: (error) => {
      if (!isForbidden(error)) return null;
      setLoad({ status: 'forbidden' });
      return true;
    },
  });

  useEffect(() => {
    const controller = new AbortController();
    fetchEvents(NO_FILTERS, controller.signal)
      .then((events) => setLoad({ status: 'ready', events }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setLoad(isForbidden(error) ? { status: 'forbidden' } : { status: 'error', error });
      });
    return () => controller.abort();
  }, []);

  if (load.status === 'forbidden') {
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

      {load.status === 'loading' && (
        <p role="status" className="muted">
          {t('backoffice.audit.loading')}
        </p>
      )}
      {load.status === 'error' && (
        <div role="alert" className="form-alert">
          <p>{errorMessage(t, load.error)}</p>
        </div>
      )}
      {load.status === 'ready' && (
        <>
          <p>
            {/* A plain link: the browser downloads the file with the staff cookie. */}
            <a
              className="button button--secondary"
              href={`${AUDIT_EVENTS_PATH}.csv?${auditQuery(applied, 10_000)}`}
              download
            >
              {t('backoffice.audit.exportCsv')}
            </a>
          </p>
          <EventsTable events={load.events} />
        </>
      )}
    </div>
  );
}
