import type { Locale } from '#contracts/errors.js';
import { html, type SafeHtml } from '../../lib/html.js';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface EmailContext {
  locale: Locale;
  publicUrl: string;
  supportEmail: string;
  supportPhone: string;
}

const FOOTER: Record<Locale, (ctx: EmailContext) => string> = {
  it: (c) =>
    `Per assistenza: ${c.supportPhone} oppure ${c.supportEmail}.\nQuesto messaggio è stato inviato automaticamente da OneCare: non rispondere a questo indirizzo.`,
  en: (c) =>
    `For help: ${c.supportPhone} or ${c.supportEmail}.\nThis message was sent automatically by OneCare: do not reply to this address.`,
};

/**
 * One layout for every email: a plain-text part (the one tests and careful readers use) and a
 * simple, accessible HTML part built from the same paragraphs.
 */
export function layout(
  ctx: EmailContext,
  subject: string,
  paragraphs: string[],
  action?: { label: string; url: string },
): RenderedEmail {
  const footer = FOOTER[ctx.locale](ctx);
  const text = [...paragraphs, ...(action ? [`${action.label}: ${action.url}`] : []), '--', footer].join(
    '\n\n',
  );
  const body: SafeHtml[] = paragraphs.map((p) => html`<p style="margin:0 0 16px">${p}</p>`);
  const button = action
    ? html`<p style="margin:24px 0"><a href="${action.url}" style="background:#0b5cab;color:#ffffff;padding:12px 20px;border-radius:4px;text-decoration:none;display:inline-block">${action.label}</a></p><p style="margin:0 0 16px;font-size:13px;color:#444">${action.url}</p>`
    : html``;
  const page = html`<!doctype html>
<html lang="${ctx.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${subject}</title></head>
<body style="margin:0;padding:0;background:#f4f6f8;font-family:Arial,Helvetica,sans-serif;color:#1b1f23">
<div role="article" aria-label="${subject}" style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff">
<p style="font-size:20px;font-weight:bold;color:#0b5cab;margin:0 0 24px">OneCare</p>
${body}${button}
<hr style="border:none;border-top:1px solid #d0d7de;margin:24px 0">
${footer.split('\n').map((l) => html`<p style="margin:0 0 8px;font-size:13px;color:#444">${l}</p>`)}
</div></body></html>`;
  return { subject, text, html: page.value };
}
