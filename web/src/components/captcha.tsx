import type { AltchaWidgetElement } from 'altcha/types/generic';
import type {} from 'altcha/types/react';
import { type Ref, useEffect, useId, useImperativeHandle, useRef } from 'react';
import { useTranslation } from 'react-i18next';

export const CAPTCHA_CHALLENGE_PATH = '/api/v1/captcha/challenge';

let widgetModule: Promise<unknown> | undefined;

/**
 * The widget's code (about 80 kB) is loaded with the first page that shows it, not with the app.
 * Until then `<altcha-widget>` is an unknown element; it upgrades itself when the code arrives.
 */
function loadWidget(): Promise<unknown> {
  widgetModule ??= import('../lib/altcha').catch((error: unknown) => {
    widgetModule = undefined; // try again next time (a dropped connection, a new deployment)
    throw error;
  });
  return widgetModule;
}

/** The widget's methods exist once its code has run and it has drawn itself. */
async function widgetReady(widget: AltchaWidgetElement): Promise<boolean> {
  try {
    await loadWidget();
  } catch {
    return false;
  }
  await customElements.whenDefined('altcha-widget');
  for (let i = 0; i < 50 && typeof widget.verify !== 'function'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return typeof widget.verify === 'function';
}

export interface CaptchaHandle {
  /**
   * The payload to send as `altcha`: the one the member obtained by ticking the box, or a fresh one
   * solved now (the proof of work runs in a worker, about half a second). Null when it fails.
   */
  solve(): Promise<string | null>;
  /** Payloads are single use: call after every answer from the server. */
  reset(): void;
  focus(): void;
}

function checkbox(widget: HTMLElement | null): HTMLInputElement | null {
  return widget?.querySelector<HTMLInputElement>('input[type="checkbox"]') ?? null;
}

/**
 * "Non sono un robot": the self-hosted ALTCHA widget (proof of work, no third party). Its native
 * checkbox is labelled by the widget ("Non sono un robot" / "I'm not a robot") and reachable with
 * Tab, Space ticks it. The fieldset names the whole control; an error is shown below it and tied
 * to the checkbox (`aria-invalid`, `aria-describedby`), so the form can move focus there.
 */
export function Captcha({
  error,
  autoFocus = false,
  ref,
}: {
  error?: string | undefined;
  /** Focus the checkbox as soon as the widget has drawn it (when the captcha appears on demand). */
  autoFocus?: boolean;
  ref?: Ref<CaptchaHandle>;
}) {
  const { t, i18n } = useTranslation();
  const widgetRef = useRef<AltchaWidgetElement | null>(null);
  const errorId = useId();
  const language = i18n.resolvedLanguage === 'en' ? 'en' : 'it';

  useImperativeHandle(
    ref,
    () => ({
      async solve() {
        const widget = widgetRef.current;
        if (!widget || !(await widgetReady(widget))) return null;
        const hidden = widget.querySelector<HTMLInputElement>('input[type="hidden"]');
        if (String(widget.getState()) === 'verified' && hidden?.value) return hidden.value;
        try {
          const result = await widget.verify();
          return result?.payload ?? null;
        } catch {
          return null;
        }
      },
      reset() {
        const widget = widgetRef.current;
        if (widget && typeof widget.reset === 'function') widget.reset();
      },
      focus() {
        checkbox(widgetRef.current)?.focus();
      },
    }),
    [],
  );

  useEffect(() => {
    // A failure shows up when the form is sent: solve() answers null, the form says so.
    loadWidget().catch(() => undefined);
  }, []);

  // The widget draws its checkbox itself, a moment after it is attached (its "load" event): mark it
  // invalid and describe it by our error text, now or then.
  useEffect(() => {
    const widget = widgetRef.current;
    if (!widget) return;
    const apply = () => {
      const box = checkbox(widget);
      if (!box) return;
      if (error) {
        box.setAttribute('aria-invalid', 'true');
        box.setAttribute('aria-describedby', errorId);
      } else {
        box.removeAttribute('aria-invalid');
        box.removeAttribute('aria-describedby');
      }
    };
    apply();
    widget.addEventListener('load', apply);
    return () => widget.removeEventListener('load', apply);
  }, [error, errorId]);

  useEffect(() => {
    const widget = widgetRef.current;
    if (!autoFocus || !widget) return;
    const focus = () => checkbox(widget)?.focus();
    if (checkbox(widget)) focus();
    else widget.addEventListener('load', focus, { once: true });
    return () => widget.removeEventListener('load', focus);
  }, [autoFocus]);

  return (
    <fieldset className="field captcha">
      <legend className="visually-hidden">{t('captcha.group')}</legend>
      <altcha-widget
        ref={widgetRef}
        challenge={CAPTCHA_CHALLENGE_PATH}
        language={language}
        name="altcha"
        auto="off"
        display="standard"
        type="checkbox"
      />
      {error && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
