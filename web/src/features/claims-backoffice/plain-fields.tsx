import { useId } from 'react';
import { CLAIM_LIMITS } from '#contracts/claims.codes.js';

/**
 * Native labelled controls of the back office's claim pages, with their message below tied by
 * `aria-describedby` and `aria-invalid`.
 */

/** A native labelled input with its message below (the filters' small fields). */
export function PlainField({
  name,
  label,
  value,
  onChange,
  inputMode,
  error,
}: {
  name: string;
  label: string;
  value: string;
  onChange(value: string): void;
  inputMode?: 'numeric' | 'decimal' | 'text';
  error?: string | undefined;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <input
        id={id}
        name={name}
        className="field__input"
        value={value}
        inputMode={inputMode}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled text area (notes and messages, at most CLAIM_LIMITS.messageMaxLength characters). */
export function PlainTextArea({
  label,
  value,
  onChange,
  error,
  rows = 3,
}: {
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string | null | undefined;
  rows?: number;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <textarea
        id={id}
        className="field__input field__textarea"
        rows={rows}
        maxLength={CLAIM_LIMITS.messageMaxLength}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}
