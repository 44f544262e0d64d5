import { type EmailContext, layout, type RenderedEmail } from './layout.js';

const link = (ctx: EmailContext, path: string, token: string) =>
  `${ctx.publicUrl}${path}?token=${encodeURIComponent(token)}`;

/**
 * Emails of the member's own space. Subjects carry no personal data; the IBAN appears only
 * masked (the last four characters), never whole.
 */
export const profileTemplates = {
  /** To the new address: confirm it by the link. */
  'email-change-confirm': (ctx: EmailContext, data: { token: string }): RenderedEmail =>
    ctx.locale === 'it'
      ? layout(
          ctx,
          'OneCare: conferma il nuovo indirizzo email',
          [
            'Gentile assistito,',
            'hai chiesto di usare questo indirizzo per il tuo account OneCare. Per confermarlo apri il link qui sotto: vale 24 ore e si può usare una volta.',
            'Se non l’hai chiesto tu, ignora questo messaggio: l’indirizzo non cambierà.',
          ],
          { label: 'Conferma il nuovo indirizzo', url: link(ctx, '/profilo/email', data.token) },
        )
      : layout(
          ctx,
          'OneCare: confirm your new email address',
          [
            'Dear member,',
            'you asked to use this address for your OneCare account. To confirm it, open the link below: it is valid for 24 hours and works once.',
            'If you did not ask for this, ignore this message: the address will not change.',
          ],
          { label: 'Confirm the new address', url: link(ctx, '/profilo/email', data.token) },
        ),

  /** To the old address, when a change is asked and when it is done. */
  'email-change-notice': (ctx: EmailContext, data: { stage: 'requested' | 'done' }): RenderedEmail =>
    ctx.locale === 'it'
      ? layout(ctx, 'OneCare: cambio dell’indirizzo email', [
          'Gentile assistito,',
          data.stage === 'requested'
            ? 'è stato chiesto di cambiare l’indirizzo email del tuo account OneCare. Il cambio avverrà solo quando il nuovo indirizzo sarà confermato.'
            : 'l’indirizzo email del tuo account OneCare è stato cambiato. Da ora i messaggi arriveranno al nuovo indirizzo.',
          'Se non sei stato tu, cambia subito la password e contatta l’assistenza.',
        ])
      : layout(ctx, 'OneCare: email address change', [
          'Dear member,',
          data.stage === 'requested'
            ? 'a change of your OneCare account’s email address was requested. It will happen only once the new address is confirmed.'
            : 'your OneCare account’s email address has been changed. From now on messages go to the new address.',
          'If this was not you, change your password at once and contact support.',
        ]),

  /** To the account's address at once: the IBAN changed; a link to report it. */
  'iban-changed': (ctx: EmailContext, data: { ibanEnd: string; token: string }): RenderedEmail =>
    ctx.locale === 'it'
      ? layout(
          ctx,
          'OneCare: l’IBAN per i rimborsi è stato cambiato',
          [
            'Gentile assistito,',
            `l’IBAN per i rimborsi del tuo account è stato cambiato in un conto che termina con ${data.ibanEnd}. Sarà usato per le richieste inviate da ora in poi; quelle già inviate restano sul conto precedente.`,
            'Se non sei stato tu, apri subito il link qui sotto: il cambio sarà bloccato e nessun rimborso sarà pagato sul nuovo conto finché l’assistenza non avrà verificato.',
          ],
          { label: 'Non sono stato io', url: link(ctx, '/profilo/segnala-iban', data.token) },
        )
      : layout(
          ctx,
          'OneCare: your reimbursement IBAN was changed',
          [
            'Dear member,',
            `the reimbursement IBAN of your account was changed to an account ending in ${data.ibanEnd}. It will be used for claims sent from now on; claims already sent keep the previous account.`,
            'If this was not you, open the link below at once: the change will be blocked and no reimbursement will be paid to the new account until support has checked.',
          ],
          { label: 'This was not me', url: link(ctx, '/profilo/segnala-iban', data.token) },
        ),

  /** The data export is ready: a link valid 24 hours, usable once. */
  'data-export-ready': (ctx: EmailContext, data: { token: string; exportId: string }): RenderedEmail => {
    const url = `${ctx.publicUrl}/api/v1/profile/data-export/${encodeURIComponent(data.exportId)}/download?token=${encodeURIComponent(data.token)}`;
    return ctx.locale === 'it'
      ? layout(
          ctx,
          'OneCare: i tuoi dati sono pronti',
          [
            'Gentile assistito,',
            'l’archivio con i tuoi dati che hai richiesto è pronto. Il link vale 24 ore e si può usare una sola volta; poi il file viene cancellato.',
          ],
          { label: 'Scarica i tuoi dati', url },
        )
      : layout(
          ctx,
          'OneCare: your data is ready',
          [
            'Dear member,',
            'the archive of your data you asked for is ready. The link is valid for 24 hours and works once; then the file is deleted.',
          ],
          { label: 'Download your data', url },
        );
  },
};
