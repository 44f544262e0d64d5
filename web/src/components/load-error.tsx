import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../lib/api';

/** A page's data could not be loaded: why, and a button to try again. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <>
      <div role="alert" className="form-alert">
        <p>{errorMessage(t, error)}</p>
      </div>
      <Button className="button button--secondary" onPress={onRetry}>
        {t('form.retry')}
      </Button>
    </>
  );
}
