import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../lib/format';
import { RadioList } from '../claim-fields';
import type { BeneficiaryOption } from '../claims-api';

/** Step 1: who the care was for, among the people the plan covers. */
export function BeneficiaryStep({
  beneficiaries,
  value,
  error,
  onChange,
}: {
  beneficiaries: readonly BeneficiaryOption[];
  value: string;
  error: string | undefined;
  onChange(value: string): void;
}) {
  const { t } = useTranslation();
  return (
    <RadioList
      name="beneficiaryId"
      legend={t('claims.beneficiaryLegend')}
      value={value}
      onChange={onChange}
      error={error}
      choices={beneficiaries.map((b) => {
        const name = `${b.givenName} ${b.surname}`;
        return {
          value: b.id,
          label: b.self ? t('claims.self', { name }) : name,
          description: t('claims.coveredFrom', { date: formatDate(b.coverageStart) }),
        };
      })}
    />
  );
}
