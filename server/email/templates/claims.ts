import { type EmailContext, layout, type RenderedEmail } from './layout.js';

const claimUrl = (ctx: EmailContext, claimId: string) =>
  `${ctx.publicUrl}/pratiche/${encodeURIComponent(claimId)}`;

/**
 * Emails about claims. They carry the claim number and a link, never health details: no
 * category, no amounts, no names of facilities or people; the member reads the rest logged in.
 */
export const claimTemplates = {
  /** The receipt of a sent claim. */
  'claim-submitted': (ctx: EmailContext, data: { number: string; claimId: string }): RenderedEmail =>
    ctx.locale === 'it'
      ? layout(
          ctx,
          `La tua richiesta n. ${data.number} è stata inviata`,
          [
            'Gentile assistito,',
            `la tua richiesta di rimborso n. ${data.number} è stata inviata al fondo.`,
            'Puoi seguirne lo stato in "Le mie pratiche" dopo aver effettuato l’accesso.',
          ],
          { label: 'Apri la pratica', url: claimUrl(ctx, data.claimId) },
        )
      : layout(
          ctx,
          `Your claim no. ${data.number} has been sent`,
          [
            'Dear member,',
            `your reimbursement claim no. ${data.number} has been sent to the fund.`,
            'You can follow it in "My claims" once logged in.',
          ],
          { label: 'Open the claim', url: claimUrl(ctx, data.claimId) },
        ),

  /** Something changed on the claim (the back office or the system moved it): log in to read it. */
  'claim-news': (ctx: EmailContext, data: { number: string; claimId: string }): RenderedEmail =>
    ctx.locale === 'it'
      ? layout(
          ctx,
          `Novità sulla tua pratica n. ${data.number}`,
          [
            'Gentile assistito,',
            `ci sono novità sulla tua pratica n. ${data.number}.`,
            'Accedi a OneCare per leggerle.',
          ],
          { label: 'Apri la pratica', url: claimUrl(ctx, data.claimId) },
        )
      : layout(
          ctx,
          `News on your claim no. ${data.number}`,
          [
            'Dear member,',
            `there is news on your claim no. ${data.number}.`,
            'Log in to OneCare to read it.',
          ],
          { label: 'Open the claim', url: claimUrl(ctx, data.claimId) },
        ),
};
