import { useId } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { CLAIM_LIMITS } from '#contracts/claims.codes.js';
import { FormTextField } from '../../../components/form-field';
import type { FieldErrors } from '../../../lib/form-feedback';
import { SelectField } from '../claim-fields';
import type { CategoryOption, ClaimWarning } from '../claims-api';
import { type InvoiceForm, invoiceField, invoiceWarnings } from '../wizard-model';
import { warningText } from './warning-text';

/** Step 3: the invoices, each with its channel (and its facility, in the network). */
export function InvoicesStep({
  invoices,
  category,
  today,
  warnings,
  errors,
  facilityNames,
  onChange,
  onAdd,
  onRemove,
  onPick,
}: {
  invoices: readonly InvoiceForm[];
  category: CategoryOption | undefined;
  /** The server's date: no invoice is dated after it. */
  today: string;
  warnings: readonly ClaimWarning[];
  errors: FieldErrors;
  facilityNames: ReadonlyMap<string, string>;
  onChange(index: number, change: Partial<InvoiceForm>): void;
  onAdd(): void;
  onRemove(index: number): void;
  onPick(index: number): void;
}) {
  const { t } = useTranslation();
  const channels = category?.channels ?? [];
  const deadline = category?.deadlineDays;
  return (
    <>
      {deadline !== null && deadline !== undefined && (
        <p className="field__hint">{t('claims.deadline', { days: deadline })}</p>
      )}
      {invoices.map((invoice, i) => {
        const at = (name: string) => invoiceField(i, name);
        const number = i + 1;
        const facilityName =
          invoice.facilityName ?? (invoice.facilityId ? facilityNames.get(invoice.facilityId) : undefined);
        return (
          <fieldset key={invoice.id} className="invoice">
            <legend className="invoice__legend">{t('claims.invoiceHeading', { number })}</legend>
            {invoiceWarnings(warnings, i).map((w) => (
              <p key={`${w.code}-${w.field}`} className="notice claim-warning" tabIndex={-1}>
                {warningText(t, w)}
              </p>
            ))}
            <div className="form__grid">
              <FormTextField
                name={at('invoiceDate')}
                label={t('claims.invoiceDate')}
                type="date"
                isRequired
                value={invoice.invoiceDate}
                onChange={(value) => onChange(i, { invoiceDate: value })}
                inputProps={{ max: today }}
              />
              <FormTextField
                name={at('invoiceNumber')}
                label={t('claims.invoiceNumber')}
                isRequired
                value={invoice.invoiceNumber}
                onChange={(value) => onChange(i, { invoiceNumber: value })}
                maxLength={CLAIM_LIMITS.invoiceNumberMaxLength}
                inputProps={{ spellCheck: false }}
              />
              <FormTextField
                name={at('issuerName')}
                label={t('claims.issuerName')}
                isRequired
                value={invoice.issuerName}
                onChange={(value) => onChange(i, { issuerName: value })}
                maxLength={CLAIM_LIMITS.issuerNameMaxLength}
                description={t('claims.issuerNameHint')}
              />
              <FormTextField
                name={at('issuerTaxId')}
                label={t('claims.issuerTaxId')}
                value={invoice.issuerTaxId}
                onChange={(value) => onChange(i, { issuerTaxId: value })}
                maxLength={20}
                description={t('claims.issuerTaxIdHint')}
                inputProps={{ spellCheck: false, autoCapitalize: 'characters', className: 'uppercase' }}
              />
              <FormTextField
                name={at('amountCents')}
                label={t('claims.amount')}
                isRequired
                value={invoice.amount}
                onChange={(value) => onChange(i, { amount: value })}
                description={t('claims.amountHint')}
                inputProps={{ inputMode: 'decimal', spellCheck: false }}
              />
              <SelectField
                name={at('channel')}
                label={t('claims.channel')}
                required
                value={invoice.channel}
                placeholder=""
                onChange={(value) =>
                  onChange(i, {
                    channel: value as InvoiceForm['channel'],
                    ...(value === 'network' ? {} : { facilityId: null, facilityName: null }),
                  })
                }
                error={errors[at('channel')]}
                choices={channels.map((c) => ({ value: c, label: t(`claims.channels.${c}`) }))}
              />
            </div>
            {invoice.channel === 'network' && (
              <FacilityChoice
                field={at('facilityId')}
                name={facilityName}
                chosen={Boolean(invoice.facilityId)}
                error={errors[at('facilityId')]}
                onPick={() => onPick(i)}
              />
            )}
            {invoices.length > 1 && (
              <Button className="button button--secondary button--small" onPress={() => onRemove(i)}>
                {t('claims.removeInvoice', { number })}
              </Button>
            )}
          </fieldset>
        );
      })}
      {invoices.length < CLAIM_LIMITS.maxInvoices ? (
        <Button className="button button--secondary" data-add-invoice onPress={onAdd}>
          {t('claims.addInvoice')}
        </Button>
      ) : (
        <p className="muted">{t('claims.maxInvoices', { max: CLAIM_LIMITS.maxInvoices })}</p>
      )}
    </>
  );
}

/** The facility of a network invoice: the one chosen, and the button that opens the picker. */
function FacilityChoice({
  field,
  name,
  chosen,
  error,
  onPick,
}: {
  field: string;
  name: string | undefined;
  chosen: boolean;
  error: string | undefined;
  onPick(): void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const text = name
    ? t('claims.chosenFacility', { name })
    : chosen
      ? t('claims.chosenFacilityUnknown')
      : t('claims.noFacility');
  return (
    <div className="field facility-choice">
      <p id={`${id}-text`} className="field__label">
        {t('claims.facility')}
      </p>
      <p id={`${id}-value`}>{text}</p>
      <Button
        className="button button--secondary button--small"
        data-facility-button={field}
        aria-describedby={[`${id}-value`, error ? `${id}-error` : ''].filter(Boolean).join(' ')}
        aria-invalid={error ? true : undefined}
        onPress={onPick}
      >
        {chosen ? t('claims.changeFacility') : t('claims.chooseFacility')}
      </Button>
      {error && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}
