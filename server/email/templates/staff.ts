import { durationText } from './duration.js';
import { type EmailContext, layout, type RenderedEmail } from './layout.js';

type Role = 'claims_operator' | 'booking_desk' | 'administrator' | 'auditor';

const ROLE_NAMES: Record<Role, { it: string; en: string }> = {
  claims_operator: { it: 'Operatore pratiche', en: 'Claims operator' },
  booking_desk: { it: 'Sportello prenotazioni', en: 'Booking desk' },
  administrator: { it: 'Amministratore', en: 'Administrator' },
  auditor: { it: 'Revisore', en: 'Auditor' },
};

const enrolmentUrl = (ctx: EmailContext, token: string) =>
  `${ctx.publicUrl}/backoffice/attivazione?token=${encodeURIComponent(token)}`;

/**
 * Emails to back-office users. Each carries a one-time enrolment link (24 hours, single use): the
 * token is the only secret in it; subjects carry no personal data.
 */
export const staffTemplates = {
  /** An administrator created the user: set a password and the authenticator. */
  'staff-enrolment': (
    ctx: EmailContext,
    data: { username: string; role: Role; token: string },
  ): RenderedEmail =>
    ctx.locale === 'it'
      ? layout(
          ctx,
          'OneCare: attivazione accesso back office',
          [
            'Gentile collega,',
            `un amministratore ti ha creato un accesso al back office di OneCare con il ruolo ${ROLE_NAMES[data.role].it}.`,
            `Username: ${data.username}`,
            'Apri il link qui sotto per scegliere la password e collegare un’app di autenticazione (verifica in due passaggi). Il link vale 24 ore e si può usare una sola volta.',
            'Se non ti aspettavi questo messaggio, ignoralo e avvisa l’amministratore.',
          ],
          { label: 'Attiva l’accesso', url: enrolmentUrl(ctx, data.token) },
        )
      : layout(
          ctx,
          'OneCare: back-office access activation',
          [
            'Dear colleague,',
            `an administrator created a OneCare back-office access for you, with the role ${ROLE_NAMES[data.role].en}.`,
            `Username: ${data.username}`,
            'Open the link below to choose your password and link an authenticator app (two-factor authentication). The link is valid for 24 hours and can be used once.',
            'If you did not expect this message, ignore it and tell the administrator.',
          ],
          { label: 'Activate your access', url: enrolmentUrl(ctx, data.token) },
        ),

  /** An administrator reset the two-factor authentication: the old authenticator and codes no longer work. */
  'staff-two-factor-reset': (ctx: EmailContext, data: { username: string; token: string }): RenderedEmail =>
    ctx.locale === 'it'
      ? layout(
          ctx,
          'OneCare: nuova attivazione dell’accesso back office',
          [
            'Gentile collega,',
            'un amministratore ha reimpostato la verifica in due passaggi del tuo accesso al back office di OneCare: l’app di autenticazione collegata finora e i codici di recupero non valgono più.',
            `Username: ${data.username}`,
            'Apri il link qui sotto per scegliere la password e collegare di nuovo un’app di autenticazione. Il link vale 24 ore e si può usare una sola volta.',
            'Se non hai chiesto tu la reimpostazione, avvisa subito l’amministratore.',
          ],
          { label: 'Attiva di nuovo l’accesso', url: enrolmentUrl(ctx, data.token) },
        )
      : layout(
          ctx,
          'OneCare: activate your back-office access again',
          [
            'Dear colleague,',
            'an administrator reset the two-factor authentication of your OneCare back-office access: the authenticator app linked so far and the recovery codes no longer work.',
            `Username: ${data.username}`,
            'Open the link below to choose your password and link an authenticator app again. The link is valid for 24 hours and can be used once.',
            'If you did not ask for this reset, tell the administrator at once.',
          ],
          { label: 'Activate your access again', url: enrolmentUrl(ctx, data.token) },
        ),

  /**
   * Consecutive failed logins on the user's back-office account: sent at the 5th and when a lock
   * begins (decision 026), never per failure. The lock ends by itself; live sessions go on.
   */
  'staff-login-failures': (
    ctx: EmailContext,
    data: { failures: number; lockMinutes: number | null },
  ): RenderedEmail =>
    ctx.locale === 'it'
      ? layout(
          ctx,
          'OneCare: tentativi di accesso al back office non riusciti',
          [
            'Gentile collega,',
            `ci sono stati ${data.failures} tentativi consecutivi di accesso al tuo account del back office di OneCare con una password o un codice sbagliati.`,
            ...(data.lockMinutes
              ? [
                  `Per sicurezza l’accesso è sospeso per ${durationText(data.lockMinutes, 'it')}; poi riprende da solo. Le sessioni già aperte restano valide. Un amministratore può farti riattivare prima l’accesso.`,
                ]
              : []),
            'Se eri tu, non serve fare nulla.',
            'Se non eri tu, avvisa l’amministratore: qualcuno sta provando ad accedere al tuo account.',
          ],
          { label: 'Apri il back office', url: `${ctx.publicUrl}/backoffice` },
        )
      : layout(
          ctx,
          'OneCare: failed back-office sign-in attempts',
          [
            'Dear colleague,',
            `there were ${data.failures} consecutive attempts to sign in to your OneCare back-office account with a wrong password or code.`,
            ...(data.lockMinutes
              ? [
                  `For safety, signing in is paused for ${durationText(data.lockMinutes, 'en')}; then it resumes by itself. Sessions already open stay valid. An administrator can have your access activated again sooner.`,
                ]
              : []),
            'If it was you, there is nothing to do.',
            'If it was not you, tell the administrator: someone is trying to sign in to your account.',
          ],
          { label: 'Open the back office', url: `${ctx.publicUrl}/backoffice` },
        ),
};
