import type { App } from '../../server/app.js';
import { newId } from '../../server/lib/ids.js';
import { ORIGIN } from './member-flow.js';
import { staffWithSession } from './staff.js';

/** Two claims operators per app (the second for four eyes), made once, with live sessions. */
const operators = new WeakMap<App, [string, string]>();

async function operatorCookies(app: App): Promise<[string, string]> {
  const known = operators.get(app);
  if (known) return known;
  const cookies: string[] = [];
  for (const name of ['decide.uno', 'decide.due']) {
    const suffix = newId().slice(-6);
    cookies.push((await staffWithSession(app, `${name}.${suffix}`, 'claims_operator')).cookie);
  }
  const pair = cookies as [string, string];
  operators.set(app, pair);
  return pair;
}

/**
 * Decides a sent claim through the back office's own routes, as operators do: take it, then the
 * decision with an accepted amount per invoice line (`accepted`, in order; default: the engine's
 * proposal), a reason for each changed amount, and a second operator's approval when four eyes
 * apply. Nothing accepted is a rejection; less than proposed, a partial approval.
 */
export async function approveClaim(app: App, claimId: string, accepted?: number[]): Promise<void> {
  const [first, second] = await operatorCookies(app);
  const call = async (cookie: string, method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await app.inject({
      method,
      url,
      headers: { ...ORIGIN, cookie },
      ...(payload ? { payload } : {}),
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.statusCode === 204 ? null : (res.json() as Record<string, unknown>);
  };
  const base = `/api/v1/staff/claims/${claimId}`;
  await call(first, 'POST', `${base}/take`);
  const detail = (await call(first, 'GET', base)) as {
    invoices: { id: string; proposal: { acceptedCents: number } | null }[];
  };
  const lines = detail.invoices.map((invoice, i) => {
    const proposed = invoice.proposal?.acceptedCents ?? 0;
    const cents = accepted?.[i] ?? proposed;
    if (cents === proposed) return { invoiceId: invoice.id, acceptedCents: cents };
    return {
      invoiceId: invoice.id,
      acceptedCents: cents,
      adjustReason: cents < proposed ? 'beyond_tariff' : 'exceptional_approval',
    };
  });
  const result = (await call(first, 'POST', `${base}/decision`, { lines })) as { pending: boolean };
  if (result.pending) await call(second, 'POST', `${base}/decision/confirm`);
}
