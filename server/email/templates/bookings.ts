import { type EmailContext, layout, type RenderedEmail } from './layout.js';

const bookingUrl = (ctx: EmailContext, bookingId: string) =>
  `${ctx.publicUrl}/prenotazioni/${encodeURIComponent(bookingId)}`;

type Ref = { number: string; bookingId: string };

/**
 * Emails about bookings. They carry the booking number, a link and, once confirmed, the day, the
 * time and the authorisation code; never the service, the beneficiary or other health details.
 * The calendar file travels as an attachment (decision 045).
 */
export const bookingTemplates = {
  /** The receipt of a sent request. */
  'booking-sent': (ctx: EmailContext, data: Ref): RenderedEmail =>
    ctx.locale === 'it'
      ? layout(
          ctx,
          `La tua prenotazione n. ${data.number} è stata inviata`,
          [
            'Gentile assistito,',
            `la tua richiesta di prenotazione n. ${data.number} è stata inviata alla centrale prenotazioni.`,
            'Riceverai un messaggio quando ci saranno novità. Puoi seguirla in "Le mie pratiche".',
          ],
          { label: 'Apri la prenotazione', url: bookingUrl(ctx, data.bookingId) },
        )
      : layout(
          ctx,
          `Your booking no. ${data.number} has been sent`,
          [
            'Dear member,',
            `your booking request no. ${data.number} has been sent to the booking desk.`,
            'You will get a message when there is news. You can follow it in "My claims".',
          ],
          { label: 'Open the booking', url: bookingUrl(ctx, data.bookingId) },
        ),

  /** Confirmed, or moved by the desk: the day, the time, the code; the .ics is attached. */
  'booking-confirmed': (
    ctx: EmailContext,
    data: Ref & { code: string; date: string; time: string; changed: boolean },
  ): RenderedEmail =>
    ctx.locale === 'it'
      ? layout(
          ctx,
          data.changed
            ? `La tua prenotazione n. ${data.number} è cambiata`
            : `La tua prenotazione n. ${data.number} è confermata`,
          [
            'Gentile assistito,',
            data.changed
              ? `l’appuntamento della prenotazione n. ${data.number} è stato spostato al ${data.date} alle ${data.time}.`
              : `la prenotazione n. ${data.number} è confermata per il ${data.date} alle ${data.time}.`,
            `CODICE DI AUTORIZZAZIONE: ${data.code}`,
            'Presenta il codice (o il voucher che trovi nella pagina della prenotazione) alla struttura. In allegato l’appuntamento da aggiungere al calendario.',
          ],
          { label: 'Apri la prenotazione', url: bookingUrl(ctx, data.bookingId) },
        )
      : layout(
          ctx,
          data.changed
            ? `Your booking no. ${data.number} has changed`
            : `Your booking no. ${data.number} is confirmed`,
          [
            'Dear member,',
            data.changed
              ? `the appointment of booking no. ${data.number} has been moved to ${data.date} at ${data.time}.`
              : `booking no. ${data.number} is confirmed for ${data.date} at ${data.time}.`,
            `AUTHORISATION CODE: ${data.code}`,
            'Show the code (or the voucher on the booking page) at the facility. The appointment is attached, to add to your calendar.',
          ],
          { label: 'Open the booking', url: bookingUrl(ctx, data.bookingId) },
        ),

  /** The appointment is off (cancelled, or the member asked for another date): the cancel .ics is attached. */
  'booking-cancelled': (ctx: EmailContext, data: Ref): RenderedEmail =>
    ctx.locale === 'it'
      ? layout(
          ctx,
          `Appuntamento della prenotazione n. ${data.number} annullato`,
          [
            'Gentile assistito,',
            `l’appuntamento della prenotazione n. ${data.number} non è più valido.`,
            'In allegato l’annullamento da aprire con il calendario, che toglie l’appuntamento.',
          ],
          { label: 'Apri la prenotazione', url: bookingUrl(ctx, data.bookingId) },
        )
      : layout(
          ctx,
          `Appointment of booking no. ${data.number} cancelled`,
          [
            'Dear member,',
            `the appointment of booking no. ${data.number} is no longer valid.`,
            'The cancellation is attached: open it with your calendar to remove the appointment.',
          ],
          { label: 'Open the booking', url: bookingUrl(ctx, data.bookingId) },
        ),

  /** Something changed on the booking (a proposal, a rejection, …): log in to read it. */
  'booking-news': (ctx: EmailContext, data: Ref): RenderedEmail =>
    ctx.locale === 'it'
      ? layout(
          ctx,
          `Novità sulla tua prenotazione n. ${data.number}`,
          [
            'Gentile assistito,',
            `ci sono novità sulla tua prenotazione n. ${data.number}.`,
            'Accedi a OneCare per leggerle.',
          ],
          { label: 'Apri la prenotazione', url: bookingUrl(ctx, data.bookingId) },
        )
      : layout(
          ctx,
          `News on your booking no. ${data.number}`,
          [
            'Dear member,',
            `there is news on your booking no. ${data.number}.`,
            'Log in to OneCare to read it.',
          ],
          { label: 'Open the booking', url: bookingUrl(ctx, data.bookingId) },
        ),

  /** The day before the appointment. */
  'booking-reminder': (ctx: EmailContext, data: Ref & { date: string; time: string }): RenderedEmail =>
    ctx.locale === 'it'
      ? layout(
          ctx,
          `Promemoria: appuntamento di domani (prenotazione n. ${data.number})`,
          [
            'Gentile assistito,',
            `ti ricordiamo l’appuntamento della prenotazione n. ${data.number}: ${data.date} alle ${data.time}.`,
            'Porta con te il voucher o il codice di autorizzazione.',
          ],
          { label: 'Apri la prenotazione', url: bookingUrl(ctx, data.bookingId) },
        )
      : layout(
          ctx,
          `Reminder: tomorrow's appointment (booking no. ${data.number})`,
          [
            'Dear member,',
            `a reminder of the appointment of booking no. ${data.number}: ${data.date} at ${data.time}.`,
            'Bring the voucher or the authorisation code with you.',
          ],
          { label: 'Open the booking', url: bookingUrl(ctx, data.bookingId) },
        ),
};
