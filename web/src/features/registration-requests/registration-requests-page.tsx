import { useId, useState } from 'react';
import { Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { FormStatus } from '../../components/form-alert';
import { LoadError } from '../../components/load-error';
import { PendingButton } from '../../components/submit-button';
import { ApiError, api, errorMessage } from '../../lib/api';
import { formatDate, formatDateTime } from '../../lib/format';
import { apiKey, queryClient, useApiQuery } from '../../lib/query';
import { useStaffSession } from '../../lib/staff-session';
import { useDocumentTitle } from '../../lib/use-document-title';
import { memberRoute } from '../registry/registry-api';
import {
  canDecideRegistrationRequests,
  REGISTRATION_REQUESTS_PATH,
  type RegistrationRequestView,
  requestActionPath,
} from './registration-requests-api';

/**
 * `/backoffice/registrazioni`: registrations of members with neither an email nor a card number in
 * the registry. An administrator checks who made the request (by phone, with the employer) and
 * confirms it (the ticket goes to the address typed) or rejects it (a polite email, no ticket).
 */
export function RegistrationRequestsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('registrationRequests.documentTitle'));
  const { state } = useStaffSession();
  const captionId = useId();
  const load = useApiQuery<{ requests: RegistrationRequestView[] }>(REGISTRATION_REQUESTS_PATH);
  const [pending, setPending] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const admin = state.status === 'active' && canDecideRegistrationRequests(state.info.role);

  // After a decision, or a refusal (someone else decided first), the queue is read again.
  const reload = () => void queryClient.invalidateQueries({ queryKey: apiKey(REGISTRATION_REQUESTS_PATH) });

  async function decide(request: RegistrationRequestView, action: 'confirm' | 'reject'): Promise<void> {
    if (pending) return;
    setPending(`${request.id}:${action}`);
    setStatus(null);
    setError(null);
    try {
      await api.post<void>(requestActionPath(request.id, action));
      setStatus(
        t(action === 'confirm' ? 'registrationRequests.confirmed' : 'registrationRequests.rejected', {
          email: request.typed.email,
        }),
      );
      reload();
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 409 ? t('registrationRequests.notPending') : errorMessage(t, e),
      );
      reload();
    } finally {
      setPending(null);
    }
  }

  return (
    <div className="staff-page">
      <h1>{t('registrationRequests.heading')}</h1>
      <p>{t('registrationRequests.intro')}</p>
      <FormStatus message={status} />
      <div role="alert" className="form-alert">
        {error && <p>{error}</p>}
      </div>
      {load.isPending && (
        <p role="status" className="muted">
          {t('registrationRequests.loading')}
        </p>
      )}
      {load.isError && (
        <div className="panel">
          <LoadError error={load.error} onRetry={() => void load.refetch()} />
        </div>
      )}
      {load.data && !load.isError && load.data.requests.length === 0 && (
        <p className="muted">{t('registrationRequests.empty')}</p>
      )}
      {load.data && !load.isError && load.data.requests.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        <section className="table-wrap" aria-labelledby={captionId} tabIndex={0}>
          <table className="data-table">
            <caption id={captionId}>
              {t('registrationRequests.caption', { count: load.data.requests.length })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('registrationRequests.received')}</th>
                <th scope="col">{t('registrationRequests.typed')}</th>
                <th scope="col">{t('registrationRequests.email')}</th>
                <th scope="col">{t('registrationRequests.member')}</th>
                <th scope="col">{t('registrationRequests.expires')}</th>
                {admin && <th scope="col">{t('registrationRequests.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {load.data.requests.map((r) => {
                const who = `${r.typed.surname} ${r.typed.name}`;
                return (
                  <tr key={r.id}>
                    <td className="nowrap">{formatDateTime(r.createdAt)}</td>
                    <td>
                      {who}
                      <br />
                      <span className="nowrap">{r.typed.codiceFiscale}</span>
                      <br />
                      {formatDate(r.typed.birthDate)}
                    </td>
                    <td>
                      {r.typed.email}
                      {r.earlierRequests > 0 && (
                        <>
                          <br />
                          <strong>{t('registrationRequests.earlier', { count: r.earlierRequests })}</strong>
                        </>
                      )}
                    </td>
                    <td>
                      <Link href={memberRoute(r.member.id)}>
                        {r.member.surname} {r.member.name}
                      </Link>
                      <br />
                      <span className="nowrap">{r.member.codiceFiscale}</span>
                    </td>
                    <td className="nowrap">{formatDateTime(r.expiresAt)}</td>
                    {admin && (
                      <td>
                        <div className="form__actions member-actions">
                          <PendingButton
                            className="button button--primary button--small"
                            pending={pending === `${r.id}:confirm`}
                            aria-label={t('registrationRequests.confirmFor', { who })}
                            onPress={() => void decide(r, 'confirm')}
                          >
                            {t('registrationRequests.confirm')}
                          </PendingButton>
                          <PendingButton
                            className="button button--secondary button--small"
                            pending={pending === `${r.id}:reject`}
                            aria-label={t('registrationRequests.rejectFor', { who })}
                            onPress={() => void decide(r, 'reject')}
                          >
                            {t('registrationRequests.reject')}
                          </PendingButton>
                        </div>
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
