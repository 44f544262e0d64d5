import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';

/**
 * The form a password is hashed and checked in: NFKC, so the same characters typed on another
 * keyboard (composed or decomposed accents, full-width letters) give the same password.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/**
 * Argon2id, OWASP's minimum profile: 19 MiB, 2 passes, 1 lane (the library's defaults, spelled
 * out here so a change is deliberate). Stored as a PHC string, which carries its own parameters.
 */
export const ARGON2_PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Hashes run in the library's threads, off the event loop, but each one holds a core for ~25 ms:
 * a storm of logins on all cores at once starves the event loop of CPU and every other request
 * waits (decision 055). At most one hash per core but one runs at a time; the others queue.
 */
const MAX_CONCURRENT_HASHES = Math.max(1, availableParallelism() - 1);
let running = 0;
const waiting: (() => void)[] = [];

async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

export function hashPassword(password: string): Promise<string> {
  return limited(() => hash(normalizePassword(password), ARGON2_PARAMS));
}

export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await limited(() => verify(phc, normalizePassword(password)));
  } catch {
    return false;
  }
}

/** True when the stored hash was made with other parameters: rehash it at the next login. */
export function needsRehash(phc: string): boolean {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phc);
  return (
    !m ||
    Number(m[1]) !== ARGON2_PARAMS.memoryCost ||
    Number(m[2]) !== ARGON2_PARAMS.timeCost ||
    Number(m[3]) !== ARGON2_PARAMS.parallelism
  );
}

let dummy: Promise<string> | undefined;
/**
 * A hash to verify against when the username is unknown, so that a wrong username costs the same
 * time as a wrong password.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword('onecare-dummy-password-for-timing');
  return dummy;
}
