import { createHmac } from 'node:crypto';
import { createChallenge, randomInt, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';

export type CaptchaResult = 'ok' | 'missing' | 'invalid' | 'expired' | 'reused';

const CHALLENGE_TTL_MS = 10 * 60_000;

/**
 * Self-hosted proof-of-work captcha (ALTCHA v2, PBKDF2/SHA-256): no third party sees the visitor.
 * Challenges are signed with keys derived from SESSION_SECRET, expire after 10 minutes, and each
 * solved challenge is accepted once (its id is recorded in captcha_solutions, shared by every
 * instance through the database).
 */
export class CaptchaService {
  private readonly signatureSecret: string;
  private readonly keySecret: string;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    secret: string,
    private readonly cost: number,
  ) {
    this.signatureSecret = createHmac('sha256', secret).update('altcha-signature').digest('hex');
    this.keySecret = createHmac('sha256', secret).update('altcha-key').digest('hex');
  }

  async challenge(): Promise<{ parameters: Record<string, unknown>; signature?: string }> {
    const challenge = await createChallenge({
      algorithm: 'PBKDF2/SHA-256',
      cost: this.cost,
      // The solver tries counters from 0 up to this number: ~50-200 PBKDF2 rounds of `cost` iterations.
      counter: randomInt(200, 50),
      deriveKey,
      hmacSignatureSecret: this.signatureSecret,
      hmacKeySignatureSecret: this.keySecret,
      // Expiry lives in the signed data and is checked against our clock (the library would use the system's).
      data: {
        challengeId: newId(this.clock.now().getTime()),
        exp: this.clock.now().getTime() + CHALLENGE_TTL_MS,
      },
    });
    return {
      parameters: { ...challenge.parameters },
      ...(challenge.signature ? { signature: challenge.signature } : {}),
    };
  }

  /** Checks a widget payload (base64 JSON) and marks it used. */
  async verify(payload: string | undefined): Promise<CaptchaResult> {
    if (!payload) return 'missing';
    let parsed: {
      challenge?: { parameters?: { data?: { challengeId?: unknown; exp?: unknown } } };
      solution?: unknown;
    };
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
    } catch {
      return 'invalid';
    }
    const challengeId = parsed.challenge?.parameters?.data?.challengeId;
    const expiresAt = parsed.challenge?.parameters?.data?.exp;
    if (typeof challengeId !== 'string' || typeof expiresAt !== 'number' || !parsed.solution)
      return 'invalid';
    if (expiresAt <= this.clock.now().getTime()) return 'expired';
    try {
      const result = await verifySolution({
        // biome-ignore lint/suspicious/noExplicitAny: the payload was shape-checked above; the library validates the rest.
        challenge: parsed.challenge as any,
        // biome-ignore lint/suspicious/noExplicitAny: as above.
        solution: parsed.solution as any,
        deriveKey,
        hmacSignatureSecret: this.signatureSecret,
        hmacKeySignatureSecret: this.keySecret,
      });
      if (!result.verified) return result.expired ? 'expired' : 'invalid';
    } catch {
      return 'invalid';
    }
    const inserted = await this.db
      .insertInto('captcha_solutions')
      .values({ signature: challengeId, expires_at: new Date(expiresAt).toISOString() })
      .onConflict((oc) => oc.column('signature').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return 'reused';
    if (Math.random() < 0.01) await this.purge();
    return 'ok';
  }

  /** Forgets used solutions whose challenge has expired (they are refused as expired anyway). */
  async purge(): Promise<number> {
    const r = await this.db
      .deleteFrom('captcha_solutions')
      .where('expires_at', '<', this.clock.now().toISOString())
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
