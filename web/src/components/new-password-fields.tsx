import type { TFunction } from 'i18next';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PasswordCheckRequest, PasswordCheckResponse } from '#contracts/auth.js';
import { api, detailText } from '../lib/api';
import { requiredError } from '../lib/field-checks';
import { compactErrors, formText } from '../lib/form-data';
import type { FormReading } from '../lib/use-form-submit';
import { FormTextField } from './form-field';

export const PASSWORD_CHECK_PATH = '/api/v1/auth/password-check';
/** Wait this long after the last key before asking the server about the password. */
export const PASSWORD_CHECK_DELAY_MS = 400;

type NewPasswordField = 'newPassword' | 'newPasswordConfirmation';

const LEVELS = [
  'password.levels.0',
  'password.levels.1',
  'password.levels.2',
  'password.levels.3',
  'password.levels.4',
] as const;

type Assessment =
  | { status: 'idle' }
  | { status: 'ready'; result: PasswordCheckResponse }
  | { status: 'unavailable' };

/** Asks the server (debounced, the previous request cancelled) how strong the typed password is. */
function usePasswordAssessment(password: string, resetToken: string | undefined): Assessment {
  const [assessment, setAssessment] = useState<Assessment>({ status: 'idle' });

  useEffect(() => {
    if (password === '') {
      setAssessment({ status: 'idle' });
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      const body: PasswordCheckRequest = resetToken ? { password, resetToken } : { password };
      api
        .post<PasswordCheckResponse>(PASSWORD_CHECK_PATH, body, {
          // The problems come back as codes, worded here in the language of the moment.
          signal: controller.signal,
        })
        .then((result) => setAssessment({ status: 'ready', result }))
        .catch(() => {
          if (!controller.signal.aborted) setAssessment({ status: 'unavailable' });
        });
    }, PASSWORD_CHECK_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [password, resetToken]);

  return assessment;
}

function StrengthMeter({ assessment }: { assessment: Assessment }) {
  const { t } = useTranslation();
  if (assessment.status === 'idle') return null;
  if (assessment.status === 'unavailable')
    return <p className="strength__text">{t('password.checkUnavailable')}</p>;
  const { score, acceptable, problems } = assessment.result;
  const level = Math.min(4, Math.max(0, Math.round(score)));
  return (
    <>
      {/* Decoration: the sentence below says the same in words. */}
      <div className="strength__bar" data-level={level} data-acceptable={acceptable} aria-hidden="true">
        {[0, 1, 2, 3].map((segment) => (
          <span key={segment} className="strength__segment" data-filled={segment < Math.max(1, level)} />
        ))}
      </div>
      <p className="strength__text">
        {t('password.strength', { level: t(LEVELS[level] ?? 'password.levels.0') })}{' '}
        {acceptable && problems.length === 0 ? t('password.acceptable') : null}
      </p>
      {problems.length > 0 && (
        <>
          <p className="strength__text">{t('password.refused')}</p>
          <ul className="strength__problems">
            {problems.map((problem) => (
              <li key={problem.code}>{detailText(t, problem)}</li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

/**
 * "Nuova password" and "Conferma password", with a show-password switch and a strength hint that
 * the server computes (same rules as when saving): text and bar, announced politely. Paste is
 * allowed and password managers are invited (`autocomplete="new-password"`).
 */
export function NewPasswordFields({ resetToken }: { resetToken?: string | undefined }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [visible, setVisible] = useState(false);
  const assessment = usePasswordAssessment(password, resetToken);
  const strengthId = useId();
  const type = visible ? 'text' : 'password';

  return (
    <>
      <FormTextField
        name="newPassword"
        label={t('password.new')}
        type={type}
        isRequired
        autoComplete="new-password"
        value={password}
        onChange={setPassword}
        description={t('password.hint')}
        aria-describedby={strengthId}
        inputProps={{ spellCheck: false, autoCapitalize: 'none' }}
      />
      <div id={strengthId} className="strength" aria-live="polite">
        <StrengthMeter assessment={assessment} />
      </div>
      <FormTextField
        name="newPasswordConfirmation"
        label={t('password.confirmation')}
        type={type}
        isRequired
        autoComplete="new-password"
        inputProps={{ spellCheck: false, autoCapitalize: 'none' }}
      />
      <label className="checkbox">
        <input type="checkbox" checked={visible} onChange={(event) => setVisible(event.target.checked)} />
        {t('password.show')}
      </label>
    </>
  );
}

/** The two fields' names → labels, in the form's order (for `useFormSubmit`). */
export function newPasswordLabels(t: TFunction): Record<NewPasswordField, string> {
  return { newPassword: t('password.new'), newPasswordConfirmation: t('password.confirmation') };
}

/** Reads the two fields of a submitted form and checks them: both present, and the same. */
export function readNewPassword(data: FormData, t: TFunction): FormReading<Record<NewPasswordField, string>> {
  const labels = newPasswordLabels(t);
  const newPassword = formText(data, 'newPassword');
  const newPasswordConfirmation = formText(data, 'newPasswordConfirmation');
  const errors = compactErrors({
    newPassword: requiredError(t, newPassword, labels.newPassword),
    newPasswordConfirmation:
      newPasswordConfirmation === ''
        ? t('form.required', { field: labels.newPasswordConfirmation })
        : newPassword !== '' && newPassword !== newPasswordConfirmation && t('password.mismatch'),
  });
  return { value: { newPassword, newPasswordConfirmation }, errors };
}
