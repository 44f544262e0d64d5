import { type FormEvent, useState } from 'react';
import {
  Button,
  FieldError,
  Form,
  Input,
  Label,
  Link,
  ProgressBar,
  TextField,
  type ValidationResult,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, type ClientErrorCode, errorCodeOf, errorMessage } from '../../lib/api';
import { useDocumentTitle } from '../../lib/use-document-title';

export const LOGIN_PATH = '/api/v1/auth/login';

function formText(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}

export function LoginPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('login.documentTitle'));
  const [errorCode, setErrorCode] = useState<ClientErrorCode | null>(null);
  const [pending, setPending] = useState(false);

  // Client-side messages in the page's language, not the browser's.
  const requiredMessage = (message: string) => (validation: ValidationResult) =>
    validation.validationDetails.valueMissing ? message : validation.validationErrors.join(' ');

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (pending) return;
    const data = new FormData(event.currentTarget);
    const credentials = { username: formText(data, 'username').trim(), password: formText(data, 'password') };
    // Clear first, so the same message is announced again on a second failure.
    setErrorCode(null);
    setPending(true);
    try {
      await api.post<unknown>(LOGIN_PATH, credentials);
    } catch (error) {
      setErrorCode(errorCodeOf(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="card login" aria-labelledby="login-heading">
      <hgroup className="login__titles">
        <h1 id="login-heading">{t('login.heading')}</h1>
        <p className="login__subheading">{t('login.subheading')}</p>
      </hgroup>

      <div role="alert" className="form-alert">
        {errorCode && <p>{errorMessage(t, errorCode)}</p>}
      </div>

      <Form className="form" onSubmit={onSubmit}>
        <TextField name="username" isRequired autoComplete="username" className="field">
          <Label className="field__label">{t('login.username')}</Label>
          <Input className="field__input" autoCapitalize="none" spellCheck={false} />
          <FieldError className="field__error">{requiredMessage(t('login.usernameRequired'))}</FieldError>
        </TextField>

        <TextField
          name="password"
          type="password"
          isRequired
          autoComplete="current-password"
          className="field"
        >
          <Label className="field__label">{t('login.password')}</Label>
          <Input className="field__input" />
          <FieldError className="field__error">{requiredMessage(t('login.passwordRequired'))}</FieldError>
        </TextField>

        <p className="login__recover">
          <Link href="/recupero-password">{t('login.forgotPassword')}</Link>
          <Link href="/recupero-username">{t('login.forgotUsername')}</Link>
        </p>

        <Button type="submit" className="button button--primary button--block" isPending={pending}>
          {({ isPending }) => (
            <>
              {t('login.submit')}
              {isPending && (
                <ProgressBar isIndeterminate aria-label={t('form.sending')} className="spinner">
                  <span className="spinner__circle" aria-hidden="true" />
                </ProgressBar>
              )}
            </>
          )}
        </Button>
      </Form>

      <div className="login__register">
        <p>{t('login.noAccount')}</p>
        <Link href="/registrazione" className="button button--secondary button--block">
          {t('login.register')}
        </Link>
        <Link href="/istruzioni">{t('login.instructions')}</Link>
      </div>
    </section>
  );
}
