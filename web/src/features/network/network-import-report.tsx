import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { type NetworkImportCounts, problemText } from './network-api';

/** A table in a scrollable region reachable by keyboard, with its caption as the region's name. */
function ScrollTable({
  caption,
  head,
  children,
}: {
  caption: string;
  head: string[];
  children: React.ReactNode;
}) {
  const captionId = useId();
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="table-wrap" aria-labelledby={captionId} tabIndex={0}>
      <table className="data-table">
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </section>
  );
}

/**
 * The report of a dry run (what would happen) or of an import (what happened): counts, the
 * facilities to add and to update, unknown service codes, rejected lines with their reasons.
 */
export function NetworkImportReport({
  counts,
  heading,
  done = false,
}: {
  counts: NetworkImportCounts;
  heading: string;
  /** The import happened: counts say "added", not "to add". */
  done?: boolean;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const column = (name: string) => t(`networkBackoffice.columns.${name}`, { defaultValue: name });
  const reasonOf = (row: NetworkImportCounts['rejected'][number]) => {
    const texts = (row.problems ?? []).map((p) => {
      const text = problemText(p, column);
      return text ? t(text.key, { ...text.values, defaultValue: row.reason }) : null;
    });
    return texts.length > 0 && texts.every((x) => x !== null) ? texts.join('; ') : row.reason;
  };
  const items: [string, number][] = [
    [t('networkBackoffice.counts.rowsRead'), counts.rowsRead],
    [
      t(done ? 'networkBackoffice.resultCounts.inserted' : 'networkBackoffice.counts.inserted'),
      counts.inserted,
    ],
    [t(done ? 'networkBackoffice.resultCounts.updated' : 'networkBackoffice.counts.updated'), counts.updated],
    [t('networkBackoffice.counts.unchanged'), counts.unchanged],
    [t('networkBackoffice.counts.rejected'), counts.rejectedTotal],
    [t('networkBackoffice.counts.duplicates'), counts.duplicates],
  ];
  const { inserted, updated } = counts.samples;
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
      {counts.unknownServices.length > 0 && (
        <ScrollTable
          caption={t('networkBackoffice.unknownCaption')}
          head={[
            t('networkBackoffice.unknownCode'),
            t('networkBackoffice.unknownRows'),
            t('networkBackoffice.unknownFirstLine'),
          ]}
        >
          {counts.unknownServices.map((u) => (
            <tr key={u.code}>
              <td>
                <code>{u.code}</code>
              </td>
              <td>{u.rows}</td>
              <td>{u.firstLine}</td>
            </tr>
          ))}
        </ScrollTable>
      )}
      {counts.rejected.length > 0 && (
        <ScrollTable
          caption={t('networkBackoffice.rejectedCaption', {
            shown: counts.rejected.length,
            total: counts.rejectedTotal,
          })}
          head={[t('networkBackoffice.line'), t('networkBackoffice.reason')]}
        >
          {counts.rejected.map((row) => (
            <tr key={`${row.line}-${row.reason}`}>
              <td>{row.line}</td>
              <td>{reasonOf(row)}</td>
            </tr>
          ))}
        </ScrollTable>
      )}
      {!done && inserted.length > 0 && (
        <ScrollTable
          caption={t('networkBackoffice.insertedCaption', { shown: inserted.length, total: counts.inserted })}
          head={[
            t('networkBackoffice.line'),
            t('networkBackoffice.code'),
            t('networkBackoffice.name'),
            t('networkBackoffice.place'),
          ]}
        >
          {inserted.map((f) => (
            <tr key={f.code}>
              <td>{f.line}</td>
              <td className="nowrap">{f.code}</td>
              <td>{f.name}</td>
              <td>
                {f.city} ({f.province})
              </td>
            </tr>
          ))}
        </ScrollTable>
      )}
      {!done && updated.length > 0 && (
        <ScrollTable
          caption={t('networkBackoffice.updatedCaption', { shown: updated.length, total: counts.updated })}
          head={[
            t('networkBackoffice.line'),
            t('networkBackoffice.code'),
            t('networkBackoffice.name'),
            t('networkBackoffice.changes'),
          ]}
        >
          {updated.map((f) => (
            <tr key={f.code}>
              <td>{f.line}</td>
              <td className="nowrap">{f.code}</td>
              <td>{f.name}</td>
              <td>{(f.changes ?? []).map(column).join(', ')}</td>
            </tr>
          ))}
        </ScrollTable>
      )}
    </section>
  );
}
