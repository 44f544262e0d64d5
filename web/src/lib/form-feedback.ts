import type { TFunction } from 'i18next';
import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, detailText, errorMessage } from './api';

/** Field name → message shown beside it (the names are the request's property names). */
export type FieldErrors = Record<string, string>;

export interface FormProblem {
  /** Changes at each report, so the alert region renders (and announces) fresh nodes. */
  id: number;
  message: string;
  /** One line per invalid field, in the form's order; `label` is empty for a field not on screen. */
  items: { field: string; label: string; message: string }[];
}

/**
 * The per-field details of an API error, each worded by its code (`detailText`), the first per
 * field (`/email` and `email` alike).
 * Field names come from the server (a body key the server refused included): they are collected in
 * a Map and only ever looked up as own keys, so `constructor` or `__proto__` is just a field.
 */
export function fieldErrorsOf(error: unknown, t: TFunction): FieldErrors {
  const out = new Map<string, string>();
  if (!(error instanceof ApiError)) return {};
  for (const detail of error.details) {
    const field = detail.field.replace(/^\//, '');
    if (!out.has(field)) out.set(field, detailText(t, detail));
  }
  return Object.fromEntries(out);
}

/** Orders the errors as the fields appear (`labels` lists them in order); unknown fields go last. */
export function problemItems(errors: FieldErrors, labels: Record<string, string>): FormProblem['items'] {
  const known = Object.keys(labels).filter((field) => Object.hasOwn(errors, field));
  const unknown = Object.keys(errors).filter((field) => !Object.hasOwn(labels, field));
  return [...known, ...unknown].map((field) => ({
    field,
    label: (Object.hasOwn(labels, field) ? labels[field] : undefined) ?? '',
    message: errors[field] ?? '',
  }));
}

export interface FormFeedback {
  formRef: RefObject<HTMLFormElement | null>;
  /** For `<Form validationErrors>`: a new object at each report, so fields show them again. */
  fieldErrors: FieldErrors;
  problem: FormProblem | null;
  /** Shows the summary and the field errors, then moves focus to the first invalid field. */
  report(message: string, errors?: FieldErrors): void;
  /** Reports a failed API call: its code's text, and its per-field details beside the fields. */
  reportApiError(error: unknown, extra?: FieldErrors): void;
  clear(): void;
}

/**
 * Error handling shared by every form: a summary in a `role="alert"` region, each message beside
 * its field, and focus on the first field marked `aria-invalid` (the captcha's checkbox included).
 */
export function useFormFeedback(t: TFunction, labels: Record<string, string>): FormFeedback {
  const formRef = useRef<HTMLFormElement | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  const counter = useRef(0);
  const labelsRef = useRef(labels);
  labelsRef.current = labels;

  // Messages are in the language of the moment they were shown: drop them when it changes (the
  // next submit shows them again, translated).
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage;
  const shownIn = useRef(language);
  useEffect(() => {
    if (shownIn.current === language) return;
    shownIn.current = language;
    setFieldErrors({});
    setProblem(null);
  }, [language]);

  useEffect(() => {
    if (focusRequest === 0) return;
    const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    invalid?.focus();
  }, [focusRequest]);

  // A field's message goes away as soon as the member edits that field, not when it loses focus:
  // otherwise the page shifts under the pointer between pressing and releasing the submit button,
  // and the click is lost.
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    const onInput = (event: Event) => {
      const name = (event.target as HTMLInputElement | null)?.name;
      if (!name) return;
      // After React has handled the same event: a re-render in between would make a controlled
      // input restore its previous value and drop the keystroke.
      setTimeout(() =>
        setFieldErrors((current) => {
          if (!Object.hasOwn(current, name)) return current;
          const { [name]: _removed, ...rest } = current;
          return rest;
        }),
      );
    };
    form.addEventListener('input', onInput);
    return () => form.removeEventListener('input', onInput);
  });

  const report = useCallback((message: string, errors: FieldErrors = {}) => {
    counter.current += 1;
    setFieldErrors({ ...errors });
    setProblem({ id: counter.current, message, items: problemItems(errors, labelsRef.current) });
    if (Object.keys(errors).length > 0) setFocusRequest(counter.current);
  }, []);

  const reportApiError = useCallback(
    (error: unknown, extra: FieldErrors = {}) => {
      report(errorMessage(t, error), { ...fieldErrorsOf(error, t), ...extra });
    },
    [report, t],
  );

  const clear = useCallback(() => {
    setFieldErrors({});
    setProblem(null);
  }, []);

  return { formRef, fieldErrors, problem, report, reportApiError, clear };
}
