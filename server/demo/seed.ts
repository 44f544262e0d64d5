import type { App } from '../app.js';
import { seedDemoNetwork } from './network.js';
import { seedDemoRegistry } from './registry.js';

const MARKER = 'demo_data_version';
const VERSION = '1';

/** One back-office user per role, all fictitious (@example.test), for trying the back office. */
export const DEMO_STAFF = [
  { username: 'demo.amministratore', role: 'administrator', email: 'amministratore@example.test' },
  { username: 'demo.operatore', role: 'claims_operator', email: 'operatore@example.test' },
  { username: 'demo.prenotazioni', role: 'booking_desk', email: 'prenotazioni@example.test' },
  { username: 'demo.revisore', role: 'auditor', email: 'revisore@example.test' },
] as const;

export interface DemoSeedResult {
  /** Enrolment links of the demo staff: each sets a password and an authenticator. */
  staffLinks: { username: string; role: string; link: string }[];
}

/**
 * Loads the demo data once, on the first start of an empty database with DEMO_DATA on. Every
 * person, address and code in it is fictitious and marked as such. Returns what it loaded, or
 * undefined when the database already had it.
 */
export async function seedDemoData(app: App): Promise<DemoSeedResult | undefined> {
  const done = await app.db
    .selectFrom('app_meta')
    .select('value')
    .where('key', '=', MARKER)
    .executeTakeFirst();
  if (done) return undefined;
  await app.db.transaction().execute(async (trx) => {
    await trx.insertInto('app_meta').values({ key: MARKER, value: VERSION }).execute();
    await seedDemoRegistry(trx, app.dialect, app.clock);
    await seedDemoNetwork(trx, app.clock);
    // A first email, so that whoever tries the portal sees the built-in mailbox at work.
    await app.outbox.enqueue(trx, {
      to: 'demo@onecare.example',
      template: 'test-message',
      locale: 'it',
      data: {},
      dedupeKey: 'demo:welcome',
    });
  });
  const staffLinks: DemoSeedResult['staffLinks'] = [];
  for (const s of DEMO_STAFF) {
    const { link } = await app.staff.create(s);
    staffLinks.push({ username: s.username, role: s.role, link });
  }
  return { staffLinks };
}

/** What a person starting the demo needs to see once: how to get into the back office. */
export function describeDemoSeed(result: DemoSeedResult): string {
  return [
    '',
    'Demo data loaded (fictitious people and data, for trying the portal only).',
    'Back-office demo users: open each link to set a password and enrol an authenticator app',
    '(links valid 24 hours; a new one: npm run cli -- staff enrol-link --username <name>):',
    ...result.staffLinks.map((s) => `  ${s.username.padEnd(22)} ${s.role.padEnd(16)} ${s.link}`),
    '',
  ].join('\n');
}
