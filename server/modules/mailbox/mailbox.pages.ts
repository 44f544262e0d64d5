import type { CapturedEmail } from '../../email/outbox.table.js';
import { html, raw, type SafeHtml } from '../../lib/html.js';

const dateTime = (iso: string): string =>
  new Intl.DateTimeFormat('it-IT', {
    dateStyle: 'short',
    timeStyle: 'medium',
    timeZone: 'Europe/Rome',
  }).format(new Date(iso));

function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="it">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><link rel="stylesheet" href="/dev/mailbox/mailbox.css"></head>
<body>
<a class="skip" href="#main">Vai al contenuto</a>
<header><p class="brand"><a href="/">OneCare</a></p>
<p class="notice">Casella di prova: mostra le email che il portale avrebbe inviato. Esiste solo con MAIL_TRANSPORT=capture, mai in produzione.</p></header>
<main id="main">${body}</main>
</body></html>`.value;
}

/** Turns the URLs of a plain-text email into links, escaping everything else. */
function linkify(text: string): SafeHtml {
  const parts = text.split(/(https?:\/\/[^\s<>"']+)/g);
  return html`${parts.map((p, i) => (i % 2 === 1 ? html`<a href="${p}">${p}</a>` : html`${p}`))}`;
}

export function listPage(
  emails: Omit<CapturedEmail, 'html_body' | 'text_body'>[],
  recipient?: string,
): string {
  const rows = emails.map(
    (e) =>
      html`<tr><td>${dateTime(e.created_at)}</td><td>${e.recipient}</td><td><a href="/dev/mailbox/${e.id}">${e.subject}</a></td></tr>`,
  );
  return page(
    'Casella email di prova - OneCare',
    html`<h1>Casella email di prova</h1>
<form method="get" action="/dev/mailbox" class="filter">
<label for="to">Destinatario</label>
<input id="to" name="to" type="email" value="${recipient ?? ''}" autocomplete="off">
<button type="submit">Filtra</button>
${recipient ? html`<a href="/dev/mailbox">Mostra tutte</a>` : raw('')}
</form>
${
  emails.length === 0
    ? html`<p>Nessuna email.</p>`
    : html`<table><caption>Email ricevute, dalla più recente (${String(emails.length)})</caption>
<thead><tr><th scope="col">Data</th><th scope="col">Destinatario</th><th scope="col">Oggetto</th></tr></thead>
<tbody>${rows}</tbody></table>`
}`,
  );
}

export function messagePage(email: CapturedEmail): string {
  return page(
    `${email.subject} - Casella email di prova`,
    html`<p><a href="/dev/mailbox">&larr; Tutte le email</a></p>
<h1>${email.subject}</h1>
<dl><dt>Da</dt><dd>${email.sender}</dd><dt>A</dt><dd>${email.recipient}</dd><dt>Data</dt><dd>${dateTime(email.created_at)}</dd></dl>
<h2>Testo</h2>
<pre class="body">${linkify(email.text_body)}</pre>
<p><a href="/dev/mailbox/${email.id}/html">Versione HTML</a></p>`,
  );
}

export const MAILBOX_CSS = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1b1f23;background:#f6f8fa;line-height:1.5}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:1}
header{background:#0b3d75;color:#fff;padding:12px 24px}
header a{color:#fff}.brand{font-size:1.25rem;font-weight:700;margin:0}
.notice{margin:4px 0 0;font-size:.9rem}
main{max-width:960px;margin:0 auto;padding:24px}
table{border-collapse:collapse;width:100%;background:#fff}
caption{text-align:left;font-weight:600;padding:8px 0}
th,td{border:1px solid #d0d7de;padding:8px;text-align:left;vertical-align:top}
a{color:#0b5cab}a:focus,button:focus,input:focus{outline:3px solid #f0b400;outline-offset:2px}
.filter{display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin-bottom:16px}
input{padding:6px 8px;border:1px solid #57606a;border-radius:4px;min-width:260px}
button{padding:6px 14px;border:0;border-radius:4px;background:#0b5cab;color:#fff;font-weight:600;cursor:pointer}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dt{font-weight:600}dd{margin:0}
pre.body{white-space:pre-wrap;word-break:break-word;background:#fff;border:1px solid #d0d7de;padding:16px;font-size:.95rem}
`;
