import { Button, ProgressBar } from 'react-aria-components';
import { useTranslation } from 'react-i18next';

/** The form's main button; while the request runs it says so ("Invio in corso…") and ignores presses. */
export function SubmitButton({
  children,
  pending,
  block = false,
}: {
  children: string;
  pending: boolean;
  block?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Button
      type="submit"
      className={`button button--primary${block ? ' button--block' : ''}`}
      isPending={pending}
    >
      {({ isPending }) => (
        <>
          {children}
          {isPending && (
            <ProgressBar isIndeterminate aria-label={t('form.sending')} className="spinner">
              <span className="spinner__circle" aria-hidden="true" />
            </ProgressBar>
          )}
        </>
      )}
    </Button>
  );
}
