import { type EmailContext, layout, type RenderedEmail } from './layout.js';

/**
 * Every email OneCare sends, by name. Each takes only what it shows: no health details, never a
 * lasting password, and subjects without personal data.
 */
export const templates = {
  /** Sent by `cli mail test` and at the first demo start: proves the delivery path works. */
  'test-message': (ctx: EmailContext, _data: Record<string, never>): RenderedEmail =>
    ctx.locale === 'it'
      ? layout(
          ctx,
          'OneCare: messaggio di prova',
          [
            'Gentile utente,',
            'questo è un messaggio di prova inviato da OneCare per verificare che la posta elettronica funzioni.',
            'Non è richiesta alcuna azione.',
          ],
          { label: 'Apri OneCare', url: `${ctx.publicUrl}/` },
        )
      : layout(
          ctx,
          'OneCare: test message',
          [
            'Dear user,',
            'this is a test message sent by OneCare to check that email delivery works.',
            'No action is needed.',
          ],
          { label: 'Open OneCare', url: `${ctx.publicUrl}/` },
        ),
} satisfies Record<string, (ctx: EmailContext, data: never) => RenderedEmail>;

export type TemplateName = keyof typeof templates;
export type TemplateData<T extends TemplateName> = Parameters<(typeof templates)[T]>[1];
export type { EmailContext, RenderedEmail };
