import { useTranslation } from 'react-i18next';
import { CLAIM_LIMITS } from '#contracts/claims.codes.js';
import { FormTextField } from '../../../components/form-field';
import type { WizardForm } from '../wizard-model';

type Payee = Pick<WizardForm, 'iban' | 'accountHolder'>;

/** Step 5: the account the refund is paid into. */
export function PayeeStep({
  iban,
  accountHolder,
  onChange,
}: Payee & {
  onChange(change: Partial<Payee>): void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <FormTextField
        name="iban"
        label={t('claims.iban')}
        isRequired
        value={iban}
        onChange={(value) => onChange({ iban: value })}
        description={t('claims.ibanHint')}
        autoComplete="off"
        maxLength={42}
        inputProps={{ spellCheck: false, autoCapitalize: 'characters', className: 'uppercase' }}
      />
      <FormTextField
        name="accountHolder"
        label={t('claims.accountHolder')}
        isRequired
        value={accountHolder}
        onChange={(value) => onChange({ accountHolder: value })}
        autoComplete="name"
        maxLength={CLAIM_LIMITS.accountHolderMaxLength}
      />
    </>
  );
}
