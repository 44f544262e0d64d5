import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { type ImportCounts, registryProblemText, registryWarningText } from './registry-api';

/** A `<progress>` (its value set as a property, no inline style) and the rows read, announced politely. */
export function ImportProgress({
  rowsRead,
  total,
  label,
}: {
  rowsRead: number;
  total: number | null;
  label: string;
}) {
  const { t } = useTranslation();
  const labelId = useId();
  const ref = useRef<HTMLProgressElement>(null);
  const max = total !== null ? Math.max(total, rowsRead, 1) : null;
  // Set through the DOM: without a value the bar is indeterminate (the total is not known).
  useEffect(() => {
    const bar = ref.current;
    if (!bar) return;
    if (max === null) {
      bar.removeAttribute('value');
      return;
    }
    bar.max = max;
    bar.value = rowsRead;
  }, [rowsRead, max]);
  return (
    <div className="import-progress">
      <p id={labelId} className="import-progress__label">
        {label}
      </p>
      <progress ref={ref} className="import-progress__bar" aria-labelledby={labelId} />
      <p aria-live="polite" className="import-progress__count">
        {t('backoffice.registry.rowsChecked', { count: rowsRead })}
      </p>
    </div>
  );
}

/** The counts of a dry run (what would happen) or of an import (what happened). */
export function ImportCountsView({ counts, heading }: { counts: ImportCounts; heading: string }) {
  const { t } = useTranslation();
  const headingId = useId();
  const rejectedCaption = useId();
  const column = (name: string) => t(`backoffice.registry.columns.${name}`, { defaultValue: name });
  // Worded from the codes; the English reason only when the page does not know a code.
  const reasonOf = (row: ImportCounts['rejected'][number]) => {
    const texts = (row.problems ?? []).map((p) => {
      const text = registryProblemText(p, column);
      return text ? t(text.key, { ...text.values, defaultValue: row.reason }) : null;
    });
    return texts.length > 0 && texts.every((x) => x !== null) ? texts.join('; ') : row.reason;
  };
  const messageOf = (warning: ImportCounts['warnings'][number]) => {
    const text = registryWarningText(warning);
    return text ? t(text.key, { ...text.values, defaultValue: warning.message }) : warning.message;
  };
  const items: [string, number][] = [
    [t('backoffice.registry.counts.rowsRead'), counts.rowsRead],
    [t('backoffice.registry.counts.inserted'), counts.inserted],
    [t('backoffice.registry.counts.updated'), counts.updated],
    [t('backoffice.registry.counts.unchanged'), counts.unchanged],
    [t('backoffice.registry.counts.coverageEnding'), counts.coverageEnding],
    [t('backoffice.registry.counts.rejected'), counts.rejectedTotal],
    [t('backoffice.registry.counts.duplicates'), counts.duplicates],
  ];
  return (
    <section className="import-report" aria-labelledby={headingId}>
      <h3 id={headingId}>{heading}</h3>
      <dl className="facts counts">
        {items.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {counts.plansCreated.length > 0 && (
        <>
          <h4>{t('backoffice.registry.plansCreated')}</h4>
          <ul>
            {counts.plansCreated.map((plan) => (
              <li key={plan}>{plan}</li>
            ))}
          </ul>
        </>
      )}
      {counts.rejected.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        <section className="table-wrap" aria-labelledby={rejectedCaption} tabIndex={0}>
          <table className="data-table">
            <caption id={rejectedCaption}>
              {t('backoffice.registry.rejectedCaption', {
                shown: counts.rejected.length,
                total: counts.rejectedTotal,
              })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('backoffice.registry.line')}</th>
                <th scope="col">{t('backoffice.registry.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {counts.rejected.map((row) => (
                <tr key={`${row.line}-${row.reason}`}>
                  <td>{row.line}</td>
                  <td>{reasonOf(row)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {counts.warnings.length > 0 && (
        <>
          <h4>{t('backoffice.registry.warningsHeading', { total: counts.warningsTotal })}</h4>
          <ul>
            {counts.warnings.map((warning, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: warnings have no identity and never reorder.
              <li key={index}>
                {warning.line !== undefined
                  ? t('backoffice.registry.warningLine', { line: warning.line, message: messageOf(warning) })
                  : messageOf(warning)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
