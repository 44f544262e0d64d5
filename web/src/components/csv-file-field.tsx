import { useId } from 'react';

/** A CSV file picker as a form field (`name="file"`), with its error beside it. */
export function CsvFileField({ label, error }: { label: string; error: string | undefined }) {
  const id = useId();
  const errorId = useId();
  return (
    <div className="field">
      <span className="field__label-row">
        <label className="field__label" htmlFor={id}>
          {label}
        </label>
      </span>
      <input
        id={id}
        name="file"
        type="file"
        accept=".csv,text/csv"
        className="field__input field__file"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      {error && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}
