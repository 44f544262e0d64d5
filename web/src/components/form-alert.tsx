import { type ReactNode, useEffect, useRef } from 'react';
import type { FormProblem } from '../lib/form-feedback';

/**
 * The form's summary of what went wrong, in a `role="alert"` region that is always in the page
 * (so screen readers announce what is put in it): the general message, then the fields to correct,
 * by name (their messages are beside them; a message for a field not on screen is shown here).
 * Each report renders fresh nodes (`key`), so the same message is announced again on a second failure.
 */
export function FormAlert({ problem }: { problem: FormProblem | null }) {
  return (
    <div role="alert" className="form-alert">
      {problem && (
        <div key={problem.id} className="form-alert__body">
          <p>{problem.message}</p>
          {problem.items.length > 0 && (
            <ul className="form-alert__list">
              {problem.items.map((item) => (
                <li key={item.field}>{item.label || item.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

/** A success or information message in a `role="status"` region that exists before it is filled. */
export function FormStatus({
  message,
  children,
  focusOnShow = false,
}: {
  message: string | null;
  children?: ReactNode;
  /** Move focus here each time a message appears (after a success that replaced the form). */
  focusOnShow?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const shown = message !== null;
  useEffect(() => {
    if (focusOnShow && shown) ref.current?.focus();
  }, [focusOnShow, shown]);

  return (
    <div ref={ref} role="status" className="form-status" tabIndex={-1}>
      {message && (
        <>
          <p>{message}</p>
          {children}
        </>
      )}
    </div>
  );
}
