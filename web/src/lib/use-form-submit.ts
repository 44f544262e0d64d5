import { type FormEvent, type RefObject, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaptchaHandle } from '../components/captcha';
import { type FieldErrors, type FormFeedback, useFormFeedback } from './form-feedback';

/** What a form read from its fields: the request to send, or the messages to show beside them. */
export interface FormReading<Value> {
  value: Value;
  errors: FieldErrors;
}

export interface FormSubmitOptions<Value, Altcha extends string | undefined = string | undefined> {
  /** Field name → label, in the form's order (the alert lists the fields to fix by these names). */
  labels: Record<string, string>;
  /**
   * Reads and checks the submitted fields. With errors, they are shown and nothing is sent; null
   * when the form cannot be sent now (nothing happens).
   */
  read(data: FormData): FormReading<Value> | null;
  /** Solve the captcha ("Non sono un robot") and pass its payload to `send`. Default: false. */
  captcha?: boolean;
  /** Called once the checks have passed, before anything is sent (to hide a previous answer). */
  onStart?(): void;
  /** Sends the request and shows its success; a failure (thrown) is reported by `onError`. */
  send(value: Value, altcha: Altcha): Promise<void>;
  /**
   * A failure the page explains itself: return the message to show instead of the API error's text
   * (and its field details), or true when the page has dealt with it. Anything else: the API error.
   */
  onError?(error: unknown): string | boolean | null;
}

export interface FormSubmit {
  pending: boolean;
  feedback: FormFeedback;
  /** For `<Form {...form.formProps}>`: the ref, `validationBehavior="aria"`, the errors, the handler. */
  formProps: {
    ref: RefObject<HTMLFormElement | null>;
    className: string;
    validationBehavior: 'aria';
    validationErrors: FieldErrors;
    onSubmit(event: FormEvent<HTMLFormElement>): void;
  };
  /** For `<Captcha {...form.captchaProps} />`. */
  captchaProps: { ref: RefObject<CaptchaHandle | null>; error: string | undefined };
}

/**
 * The submit cycle shared by every form: checks first (their messages beside the fields), then one
 * request at a time with the button showing it runs, the captcha solved before and reset after
 * every answer (payloads are single use), and failures reported through `useFormFeedback`.
 */
export function useFormSubmit<Value>(
  options: FormSubmitOptions<Value, string> & { captcha: true },
): FormSubmit;
export function useFormSubmit<Value>(options: FormSubmitOptions<Value>): FormSubmit;
export function useFormSubmit<Value>(options: FormSubmitOptions<Value>): FormSubmit {
  const { t } = useTranslation();
  const [pending, setPending] = useState(false);
  const captcha = useRef<CaptchaHandle>(null);
  const feedback = useFormFeedback(t, options.labels);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (pending) return;
    const reading = options.read(new FormData(event.currentTarget));
    if (!reading) return;
    if (Object.keys(reading.errors).length > 0) {
      feedback.report(t('errors.VALIDATION_FAILED'), reading.errors);
      return;
    }
    // Clear first, so the same message is announced again on a second failure.
    feedback.clear();
    options.onStart?.();
    setPending(true);
    try {
      let altcha: string | undefined;
      if (options.captcha) {
        const payload = await captcha.current?.solve();
        if (!payload) {
          feedback.report(t('captcha.failed'), { altcha: t('captcha.failed') });
          return;
        }
        altcha = payload;
      }
      await options.send(reading.value, altcha);
    } catch (error) {
      captcha.current?.reset();
      const handled = options.onError?.(error) ?? null;
      if (typeof handled === 'string') feedback.report(handled);
      else if (handled !== true) feedback.reportApiError(error);
    } finally {
      setPending(false);
    }
  }

  return {
    pending,
    feedback,
    formProps: {
      ref: feedback.formRef,
      className: 'form',
      validationBehavior: 'aria',
      validationErrors: feedback.fieldErrors,
      onSubmit: (event) => void submit(event),
    },
    captchaProps: { ref: captcha, error: feedback.fieldErrors.altcha },
  };
}
