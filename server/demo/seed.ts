import type { App } from '../app.js';
import { seedDemoRegistry } from './registry.js';

const MARKER = 'demo_data_version';
const VERSION = '1';

/**
 * Loads the demo data once, on the first start of an empty database with DEMO_DATA on. Every
 * person, address and code in it is fictitious and marked as such. Returns true when it loaded.
 */
export async function seedDemoData(app: App): Promise<boolean> {
  const done = await app.db
    .selectFrom('app_meta')
    .select('value')
    .where('key', '=', MARKER)
    .executeTakeFirst();
  if (done) return false;
  await app.db.transaction().execute(async (trx) => {
    await trx.insertInto('app_meta').values({ key: MARKER, value: VERSION }).execute();
    await seedDemoRegistry(trx, app.dialect, app.clock);
    // A first email, so that whoever tries the portal sees the built-in mailbox at work.
    await app.outbox.enqueue(trx, {
      to: 'demo@onecare.example',
      template: 'test-message',
      locale: 'it',
      data: {},
      dedupeKey: 'demo:welcome',
    });
  });
  return true;
}
