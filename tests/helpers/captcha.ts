import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import type { App } from '../../server/app.js';

/** Solves the captcha as the browser widget does and returns the payload a form sends. */
export async function solveCaptcha(app: App): Promise<string> {
  const challenge = (await app.inject({ url: '/api/v1/captcha/challenge' })).json();
  const solution = await solveChallenge({ challenge, deriveKey, timeout: 30_000 });
  if (!solution) throw new Error('captcha not solved');
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}
