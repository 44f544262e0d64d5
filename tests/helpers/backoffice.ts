import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { runCli } from './cli.js';
import { STAFF_PASSWORD, totpCode } from './staff.js';

/** The enrolment link the command line printed. */
export function linkIn(output: string): string {
  const m = /(https?:\/\/\S+\/backoffice\/attivazione\?token=\S+)/.exec(output);
  if (!m?.[1]) throw new Error(`no enrolment link in: ${output}`);
  return m[1];
}

/**
 * Creates a staff user with the real command line, enrols the authenticator in the browser (the
 * test computes the codes from the key shown on the page) and logs in.
 */
export async function signInAsNewStaff(
  page: Page,
  env: Record<string, string>,
  role: string,
  username: string,
) {
  const created = await runCli(
    env,
    'staff',
    'create',
    '--role',
    role,
    '--username',
    username,
    '--email',
    `${username}@example.test`,
  );
  expect(created.code, created.out).toBe(0);
  const link = new URL(linkIn(created.out));
  await page.goto(link.pathname + link.search);
  await page.getByRole('img', { name: /Codice QR/ }).waitFor();
  const secret = ((await page.locator('code.secret-key').textContent()) ?? '').replace(/\s+/g, '');
  await page.getByLabel('Nuova password', { exact: true }).fill(STAFF_PASSWORD);
  await page.getByLabel('Conferma password', { exact: true }).fill(STAFF_PASSWORD);
  await page.getByLabel('Codice di verifica', { exact: true }).fill(totpCode(secret, new Date()));
  await page.getByRole('button', { name: 'ATTIVA' }).click();
  await page.getByText('Il tuo accesso al back office è attivo.').waitFor();
  await page.goto('/backoffice');
  await page.getByRole('heading', { name: 'Accesso back office', level: 1 }).waitFor();
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(STAFF_PASSWORD);
  // The enrolment used this step's code; a code is accepted once: the next step's.
  await page.getByLabel('Codice di verifica', { exact: true }).fill(totpCode(secret, new Date(), 1));
  await page.getByRole('button', { name: 'ACCEDI' }).click();
  // Exact: the login page's own heading ("Accesso back office") contains the words too.
  await page.getByRole('heading', { name: 'Back office', exact: true, level: 1 }).waitFor();
  await page.getByText(`Collegato come ${username}`).waitFor();
}
