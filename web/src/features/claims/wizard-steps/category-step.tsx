import { useTranslation } from 'react-i18next';
import { RadioList } from '../claim-fields';
import type { CategoryOption } from '../claims-api';
import { labelLanguage } from '../wizard-model';

/** Step 2: the kind of care, each with the deadline of its plan. */
export function CategoryStep({
  categories,
  value,
  error,
  onChange,
}: {
  categories: readonly CategoryOption[];
  value: string;
  error: string | undefined;
  onChange(value: string): void;
}) {
  const { t, i18n } = useTranslation();
  const l = labelLanguage(i18n.resolvedLanguage ?? 'it');
  return (
    <RadioList
      name="category"
      legend={t('claims.categoryLegend')}
      value={value}
      onChange={onChange}
      error={error}
      choices={categories.map((c) => ({
        value: c.code,
        label: c.label[l],
        description:
          c.deadlineDays === null ? t('claims.noDeadline') : t('claims.deadline', { days: c.deadlineDays }),
      }))}
    />
  );
}
