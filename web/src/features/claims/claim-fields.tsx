import { type ReactNode, useId } from 'react';

/**
 * Native radios and selects with the same look and error wiring as `FormTextField`: the message
 * below, `aria-invalid` and `aria-describedby` on the control, so `useFormFeedback` focuses it.
 */

export interface Choice {
  value: string;
  label: ReactNode;
  description?: ReactNode;
}

/** A `<fieldset>` of radios named `name`, its legend the question. */
export function RadioList({
  name,
  legend,
  choices,
  value,
  onChange,
  error,
}: {
  name: string;
  legend: string;
  choices: readonly Choice[];
  value: string;
  onChange(value: string): void;
  error: string | undefined;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <fieldset className="field choice-list">
      <legend className="field__label">
        {legend}
        <span className="field__required" aria-hidden="true">
          {' '}
          *
        </span>
      </legend>
      {choices.map((choice) => {
        const inputId = `${id}-${choice.value}`;
        const descriptionId = `${inputId}-description`;
        const describedBy = [choice.description ? descriptionId : '', error ? errorId : '']
          .filter(Boolean)
          .join(' ');
        return (
          <div key={choice.value} className="choice">
            <input
              id={inputId}
              type="radio"
              name={name}
              value={choice.value}
              checked={value === choice.value}
              onChange={() => onChange(choice.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={describedBy || undefined}
              required
            />
            <label htmlFor={inputId} className="choice__body">
              <span className="choice__label">{choice.label}</span>
              {choice.description && (
                <span id={descriptionId} className="field__hint">
                  {choice.description}
                </span>
              )}
            </label>
          </div>
        );
      })}
      {error && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** A labelled `<select>`. */
export function SelectField({
  name,
  label,
  choices,
  value,
  onChange,
  error,
  required = false,
  placeholder,
}: {
  name: string;
  label: string;
  choices: readonly { value: string; label: string }[];
  value: string;
  onChange(value: string): void;
  error?: string | undefined;
  required?: boolean;
  /** A first, empty choice ("Scegli…"). */
  placeholder?: string;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <span className="field__label-row">
        <label className="field__label" htmlFor={id}>
          {label}
        </label>
        {required && (
          <span className="field__required" aria-hidden="true">
            *
          </span>
        )}
      </span>
      <select
        id={id}
        name={name}
        className="field__input"
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        aria-required={required || undefined}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
      {error && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}
