import type { ReactNode } from 'react';
import {
  FieldError,
  Input,
  type InputProps,
  Label,
  Text,
  TextField,
  type TextFieldProps,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';

export interface FormTextFieldProps extends Omit<TextFieldProps, 'children' | 'className'> {
  label: string;
  /** Shows the "*" after the label (hidden from screen readers: `aria-required` says it). Default: isRequired. */
  showRequiredMark?: boolean;
  description?: ReactNode;
  /** Attributes for the `<input>` itself (autoCapitalize, spellCheck, inputMode, …). */
  inputProps?: Omit<InputProps, 'className'> & { className?: string };
}

/**
 * A labelled text input with its hint and its error message below it. The accessible name is the
 * label text alone ("Cognome"), the asterisk after it being decoration; errors come from the surrounding
 * `<Form validationErrors>` (client checks and server details alike) and are tied to the input
 * with `aria-describedby` and `aria-invalid`.
 */
export function FormTextField({
  label,
  isRequired,
  showRequiredMark = isRequired,
  description,
  inputProps,
  ...props
}: FormTextFieldProps) {
  return (
    <TextField {...props} isRequired={isRequired} className="field">
      {/* The asterisk stays outside the <label>: the label's text, and so the field's name, is
          exactly "Cognome" (getByLabel('Cognome', { exact: true }) in the end-to-end tests). */}
      <span className="field__label-row">
        <Label className="field__label">{label}</Label>
        {showRequiredMark && (
          <span className="field__required" aria-hidden="true">
            *
          </span>
        )}
      </span>
      <Input
        {...inputProps}
        className={inputProps?.className ? `field__input ${inputProps.className}` : 'field__input'}
      />
      {description && (
        <Text slot="description" className="field__hint">
          {description}
        </Text>
      )}
      <FieldError className="field__error" />
    </TextField>
  );
}

/** "(*) Campi obbligatori". */
export function RequiredLegend() {
  const { t } = useTranslation();
  return <p className="required-legend">{t('form.requiredLegend')}</p>;
}

/** A required e-mail address (`type="email"`, the browser may fill it in, no spell check). */
export function EmailField({ name, label }: { name: string; label: string }) {
  return (
    <FormTextField
      name={name}
      label={label}
      type="email"
      isRequired
      autoComplete="email"
      maxLength={254}
      inputProps={{ spellCheck: false }}
    />
  );
}

/** A required codice fiscale (`codiceFiscale`): 16 characters, shown in capitals, no spell check. */
export function CodiceFiscaleField({ label, description }: { label: string; description?: ReactNode }) {
  return (
    <FormTextField
      name="codiceFiscale"
      label={label}
      isRequired
      autoComplete="off"
      maxLength={16}
      description={description}
      inputProps={{ autoCapitalize: 'characters', spellCheck: false, className: 'uppercase' }}
    />
  );
}
