import type { Ref } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';

/**
 * A button that shows its request is running: a spinner and "Invio in corso…" (for screen readers)
 * beside its text, and `aria-disabled`; the caller ignores presses meanwhile.
 *
 * Not react-aria's `isPending`: that one announces the button through react-aria's live region by
 * id, and when the button then leaves the page (a form replaced by its answer, a new page) the
 * region points at a missing id for seven seconds, which axe reports (role-img-alt).
 */
export function PendingButton({
  children,
  pending,
  type = 'button',
  className = 'button button--primary',
  onPress,
  ref,
  'aria-label': ariaLabel,
}: {
  children: string;
  pending: boolean;
  type?: 'button' | 'submit';
  className?: string;
  onPress?: () => void;
  ref?: Ref<HTMLButtonElement>;
  /** A name that says which row the button acts on, where the visible text repeats in a table. */
  'aria-label'?: string;
}) {
  const { t } = useTranslation();
  return (
    <Button
      ref={ref}
      aria-label={ariaLabel}
      type={type}
      className={className}
      aria-disabled={pending || undefined}
      data-pending={pending || undefined}
      onPress={pending ? undefined : onPress}
    >
      {children}
      {pending && (
        <>
          <span className="spinner" aria-hidden="true">
            <span className="spinner__circle" />
          </span>
          <span className="visually-hidden">{t('form.sending')}</span>
        </>
      )}
    </Button>
  );
}

/** The form's main button. */
export function SubmitButton({
  children,
  pending,
  block = false,
}: {
  children: string;
  pending: boolean;
  block?: boolean;
}) {
  return (
    <PendingButton
      type="submit"
      pending={pending}
      className={`button button--primary${block ? ' button--block' : ''}`}
    >
      {children}
    </PendingButton>
  );
}
