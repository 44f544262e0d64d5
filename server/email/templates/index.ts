import { bookingTemplates } from './bookings.js';
import { claimTemplates } from './claims.js';
import { durationText } from './duration.js';
import { type EmailContext, layout, type RenderedEmail } from './layout.js';
import { profileTemplates } from './profile.js';
import { staffTemplates } from './staff.js';

/**
 * Every email OneCare sends, by name. Each takes only what it shows: no health details, never a
 * lasting password, and subjects without personal data. Italian texts follow the original
 * portal's wording where it had one.
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

  'registration-ticket': (ctx: EmailContext, data: { ticket: string }): RenderedEmail => {
    const url = `${ctx.publicUrl}/attivazione?ticket=${encodeURIComponent(data.ticket)}`;
    return ctx.locale === 'it'
      ? layout(
          ctx,
          'OneCare: completa la registrazione',
          [
            'Gentile assistito,',
            'abbiamo ricevuto la tua richiesta di registrazione a OneCare. Per attivare l’account inserisci il ticket number qui sotto nella pagina "Attivazione assistito", che si apre dal link.',
            `TICKET NUMBER: ${data.ticket}`,
            'Il ticket vale 24 ore e si può usare una sola volta. Se non hai chiesto tu la registrazione, ignora questo messaggio.',
          ],
          { label: 'Attiva il tuo account', url },
        )
      : layout(
          ctx,
          'OneCare: complete your registration',
          [
            'Dear member,',
            'we received your request to register with OneCare. To activate your account, enter the ticket number below on the "Member activation" page, which the link opens.',
            `TICKET NUMBER: ${data.ticket}`,
            'The ticket is valid for 24 hours and can be used once. If you did not ask to register, ignore this message.',
          ],
          { label: 'Activate your account', url },
        );
  },

  /**
   * Sent to the typed address whenever it gets no ticket: no matching member, and also (decision
   * 027) a member with no email on file whose card number was missing or wrong, or whose request
   * waits for the back office. One text for all, so the inbox never tells who is insured.
   */
  'registration-not-found': (ctx: EmailContext, _data: Record<string, never>): RenderedEmail =>
    ctx.locale === 'it'
      ? layout(ctx, 'OneCare: richiesta di registrazione', [
          'Gentile utente,',
          'abbiamo ricevuto una richiesta di registrazione a OneCare con questo indirizzo email, ma il sistema non ha riscontrato in anagrafica un assistito con dati coincidenti a quelli inseriti, oppure non ha potuto verificarli.',
          'Se la tua email non è registrata presso il fondo, ripeti la registrazione indicando il numero di tessera. Se il fondo non ha un numero di tessera a tuo nome, la richiesta passa alla verifica dell’ufficio del fondo, che dopo averla confermata ti invierà il ticket a questo indirizzo.',
          `Per completare la registrazione invia un'e-mail a ${ctx.supportEmail} chiedendo supporto per la registrazione, indicando Nome, Cognome, Azienda e numero di telefono per poter eventualmente essere richiamato; oppure chiama il numero ${ctx.supportPhone}.`,
          'Se non hai chiesto tu la registrazione, ignora questo messaggio.',
        ])
      : layout(ctx, 'OneCare: registration request', [
          'Dear user,',
          'we received a request to register with OneCare with this email address, but the system found no member in the registry whose data matches the data entered, or could not verify them.',
          'If the fund does not have your email address, register again with your card number. If the fund has no card number in your name, the request goes to the fund’s office for verification, and once confirmed the ticket is sent to this address.',
          `To complete the registration, write to ${ctx.supportEmail} asking for help with the registration, with your name, surname, company and a phone number where we can call you back; or call ${ctx.supportPhone}.`,
          'If you did not ask to register, ignore this message.',
        ]),

  /** A staff user did not confirm a registration request waiting for the back office (decision 027). */
  'registration-rejected': (ctx: EmailContext, _data: Record<string, never>): RenderedEmail =>
    ctx.locale === 'it'
      ? layout(ctx, 'OneCare: richiesta di registrazione', [
          'Gentile utente,',
          'l’ufficio del fondo ha esaminato la richiesta di registrazione a OneCare fatta con questo indirizzo email e non ha potuto confermarla.',
          `Se la richiesta è tua, contatta l'assistenza al ${ctx.supportPhone} o a ${ctx.supportEmail} indicando Nome, Cognome, Azienda e numero di telefono per poter eventualmente essere richiamato: ti aiuteremo a completare la registrazione.`,
          'Se non hai chiesto tu la registrazione, ignora questo messaggio.',
        ])
      : layout(ctx, 'OneCare: registration request', [
          'Dear user,',
          'the fund’s office examined the request to register with OneCare made with this email address and could not confirm it.',
          `If the request is yours, contact support at ${ctx.supportPhone} or ${ctx.supportEmail} with your name, surname, company and a phone number where we can call you back: we will help you complete the registration.`,
          'If you did not ask to register, ignore this message.',
        ]),

  'registration-already-registered': (ctx: EmailContext, _data: Record<string, never>): RenderedEmail =>
    ctx.locale === 'it'
      ? layout(
          ctx,
          'OneCare: richiesta di registrazione',
          [
            'Gentile assistito,',
            'abbiamo ricevuto una nuova richiesta di registrazione a OneCare per i tuoi dati, ma hai già un account.',
            'Se non ricordi la password, usa "Password dimenticata?" dal link qui sotto; se non ricordi la username, usa "Username dimenticata?" nella pagina di accesso.',
            'Se non hai chiesto tu la registrazione, ignora questo messaggio: il tuo account non è cambiato.',
          ],
          { label: 'Recupera la password', url: `${ctx.publicUrl}/recupero-password` },
        )
      : layout(
          ctx,
          'OneCare: registration request',
          [
            'Dear member,',
            'we received a new request to register with OneCare for your data, but you already have an account.',
            'If you do not remember your password, use "Forgot password?" from the link below; if you do not remember your username, use "Forgot username?" on the login page.',
            'If you did not ask to register, ignore this message: your account has not changed.',
          ],
          { label: 'Recover your password', url: `${ctx.publicUrl}/recupero-password` },
        ),

  'account-username': (ctx: EmailContext, data: { username: string }): RenderedEmail =>
    ctx.locale === 'it'
      ? layout(
          ctx,
          'OneCare: la tua username',
          [
            'Gentile assistito,',
            'il tuo account OneCare è attivo. Questa è la tua username per accedere al portale:',
            `Username: ${data.username}`,
            'In un altro messaggio ricevi la password temporanea, da cambiare al primo accesso.',
          ],
          { label: 'Accedi a OneCare', url: `${ctx.publicUrl}/` },
        )
      : layout(
          ctx,
          'OneCare: your username',
          [
            'Dear member,',
            'your OneCare account is active. This is your username to log in to the portal:',
            `Username: ${data.username}`,
            'A separate message brings your temporary password, which you change at your first login.',
          ],
          { label: 'Log in to OneCare', url: `${ctx.publicUrl}/` },
        ),

  'account-temporary-password': (ctx: EmailContext, data: { password: string }): RenderedEmail =>
    ctx.locale === 'it'
      ? layout(
          ctx,
          'OneCare: la tua password temporanea',
          [
            'Gentile assistito,',
            'questa è la password temporanea per il tuo primo accesso a OneCare (la username arriva in un altro messaggio):',
            `Password: ${data.password}`,
            'Vale 24 ore e una sola volta: al primo accesso ti chiederemo di sceglierne una nuova. Non comunicarla a nessuno.',
          ],
          { label: 'Accedi a OneCare', url: `${ctx.publicUrl}/` },
        )
      : layout(
          ctx,
          'OneCare: your temporary password',
          [
            'Dear member,',
            'this is the temporary password for your first login to OneCare (your username comes in another message):',
            `Password: ${data.password}`,
            'It is valid for 24 hours and once only: at your first login you will choose a new one. Do not share it with anyone.',
          ],
          { label: 'Log in to OneCare', url: `${ctx.publicUrl}/` },
        ),

  'password-reset': (ctx: EmailContext, data: { token: string }): RenderedEmail => {
    const url = `${ctx.publicUrl}/reimposta-password?token=${encodeURIComponent(data.token)}`;
    return ctx.locale === 'it'
      ? layout(
          ctx,
          'OneCare: recupero password',
          [
            'Gentile assistito,',
            'La preghiamo di cliccare sul seguente link per completare la procedura di recupero della password.',
            'Il link vale 60 minuti e si può usare una sola volta. Se non hai chiesto tu il recupero, ignora questo messaggio: la tua password resta quella di prima.',
          ],
          { label: 'Reimposta la password', url },
        )
      : layout(
          ctx,
          'OneCare: password recovery',
          [
            'Dear member,',
            'Please click the following link to complete the password recovery procedure.',
            'The link is valid for 60 minutes and can be used once. If you did not ask for it, ignore this message: your password stays as it was.',
          ],
          { label: 'Reset your password', url },
        );
  },

  'password-changed': (ctx: EmailContext, _data: Record<string, never>): RenderedEmail =>
    ctx.locale === 'it'
      ? layout(ctx, 'OneCare: password modificata', [
          'Gentile assistito,',
          'la password del tuo account OneCare è stata appena modificata e tutte le altre sessioni aperte sono state chiuse.',
          `Se non sei stato tu, recupera subito la password da "Password dimenticata?" e contatta l'assistenza al ${ctx.supportPhone} o a ${ctx.supportEmail}.`,
        ])
      : layout(ctx, 'OneCare: password changed', [
          'Dear member,',
          'the password of your OneCare account was just changed and every other open session was closed.',
          `If it was not you, recover your password at once with "Forgot password?" and contact support at ${ctx.supportPhone} or ${ctx.supportEmail}.`,
        ]),

  /**
   * Consecutive failed logins on the member's account: sent at the 5th and when a lock begins
   * (decision 026). No username, no address: the recipient knows whose account it is.
   */
  'login-failures': (
    ctx: EmailContext,
    data: { failures: number; lockMinutes: number | null },
  ): RenderedEmail =>
    ctx.locale === 'it'
      ? layout(
          ctx,
          'OneCare: tentativi di accesso non riusciti',
          [
            'Gentile assistito,',
            `ci sono stati ${data.failures} tentativi consecutivi di accesso al tuo account OneCare con una password sbagliata.`,
            ...(data.lockMinutes
              ? [
                  `Per proteggerti, l’accesso con la password è sospeso per ${durationText(data.lockMinutes, 'it')}; poi riprende da solo. Puoi anche reimpostare subito la password da "Password dimenticata?": la sospensione finisce.`,
                ]
              : []),
            'Se eri tu, non serve fare nulla.',
            `Se non eri tu, la tua password è ancora al sicuro finché nessuno la indovina: sceglierne una nuova e lunga da "Password dimenticata?" è il modo migliore. Per dubbi contatta l'assistenza al ${ctx.supportPhone} o a ${ctx.supportEmail}.`,
          ],
          { label: 'Accedi a OneCare', url: `${ctx.publicUrl}/` },
        )
      : layout(
          ctx,
          'OneCare: failed sign-in attempts',
          [
            'Dear member,',
            `there were ${data.failures} consecutive attempts to sign in to your OneCare account with a wrong password.`,
            ...(data.lockMinutes
              ? [
                  `To protect you, signing in with the password is paused for ${durationText(data.lockMinutes, 'en')}; then it resumes by itself. You can also reset your password at once with "Forgot password?": the pause ends.`,
                ]
              : []),
            'If it was you, there is nothing to do.',
            `If it was not you, your password is still safe as long as nobody guesses it: choosing a new, long one with "Forgot password?" is the best answer. For any doubt contact support at ${ctx.supportPhone} or ${ctx.supportEmail}.`,
          ],
          { label: 'Log in to OneCare', url: `${ctx.publicUrl}/` },
        ),

  'username-reminder': (ctx: EmailContext, data: { username: string }): RenderedEmail =>
    ctx.locale === 'it'
      ? layout(
          ctx,
          'OneCare: recupero username',
          [
            'Gentile assistito,',
            'hai chiesto di ricevere la username del tuo account OneCare:',
            `Username: ${data.username}`,
            'Se non hai chiesto tu questo messaggio, ignoralo.',
          ],
          { label: 'Accedi a OneCare', url: `${ctx.publicUrl}/` },
        )
      : layout(
          ctx,
          'OneCare: username recovery',
          [
            'Dear member,',
            'you asked to receive the username of your OneCare account:',
            `Username: ${data.username}`,
            'If you did not ask for this message, ignore it.',
          ],
          { label: 'Log in to OneCare', url: `${ctx.publicUrl}/` },
        ),

  ...staffTemplates,
  ...claimTemplates,
  ...profileTemplates,
  ...bookingTemplates,
} satisfies Record<string, (ctx: EmailContext, data: never) => RenderedEmail>;

export type TemplateName = keyof typeof templates;
export type TemplateData<T extends TemplateName> = Parameters<(typeof templates)[T]>[1];
export type { EmailContext, RenderedEmail };
