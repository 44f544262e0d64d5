import { createRequire } from 'node:module';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { AppConfig } from '../config/config.js';

/**
 * While Redis cannot be reached, each instance counts in its own memory against the limit divided
 * by this factor (at least 1 request): with up to this many instances behind the load balancer a
 * client gets no more than the shared limit would allow, and a limit never opens (decision 057).
 */
export const REDIS_DOWN_FACTOR = 4;

interface Counted {
  current: number;
  ttl: number;
}
type Done = (err: Error | null, result: Counted | null) => void;
interface Store {
  incr(key: string, done: Done, timeWindow: number, max: number): void;
  read?(key: string, done: Done, timeWindow: number, max: number): void;
  child(routeOptions: unknown): Store;
}
type StoreClass = new (...args: never[]) => Store;

// The plugin's own stores (CommonJS files of the package, not exported by its types).
const require = createRequire(import.meta.url);
const RedisStore = require('@fastify/rate-limit/store/RedisStore') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  redis: Redis,
  key?: string,
) => Store;
const LocalStore = require('@fastify/rate-limit/store/LocalStore') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  cache?: number,
) => Store;

/** The stricter limit of the fallback: `max` divided by the factor, never below one. */
export function fallbackMax(max: number): number {
  return Math.max(1, Math.floor(max / REDIS_DOWN_FACTOR));
}

/**
 * Redis counters, and when Redis answers with an error (down, unreachable, timed out) the
 * instance's own counters against the stricter limit. The count is reported scaled to `max`, so the
 * plugin refuses (429) exactly when the stricter limit is passed and its headers stay meaningful.
 * Each Redis command is tried again on the next request: once Redis is back, the shared counters
 * are used again.
 */
class FallbackStore implements Store {
  constructor(
    private readonly shared: Store,
    private readonly local: Store,
    private readonly onFallback: (err: Error) => void,
  ) {}

  private scaled(done: Done, max: number): Done {
    const strict = fallbackMax(max);
    return (err, result) => {
      if (err || !result) return done(err ?? new Error('no count'), null);
      done(null, { current: Math.ceil((result.current * max) / strict), ttl: result.ttl });
    };
  }

  incr(key: string, done: Done, timeWindow: number, max: number): void {
    this.shared.incr(
      key,
      (err, result) => {
        if (!err && result) return done(null, result);
        this.onFallback(err ?? new Error('no count'));
        this.local.incr(key, this.scaled(done, max), timeWindow, max);
      },
      timeWindow,
      max,
    );
  }

  read(key: string, done: Done, timeWindow: number, max: number): void {
    const { read } = this.shared;
    if (!read) {
      this.local.read?.(key, this.scaled(done, max), timeWindow, max);
      return;
    }
    read.call(
      this.shared,
      key,
      (err, result) => {
        if (!err && result) return done(null, result);
        this.local.read?.(key, this.scaled(done, max), timeWindow, max);
      },
      timeWindow,
      max,
    );
  }

  child(routeOptions: unknown): Store {
    return new FallbackStore(
      this.shared.child(routeOptions),
      this.local.child(routeOptions),
      this.onFallback,
    );
  }
}

/**
 * A global per-address limit. Counters live in memory, or in Redis when REDIS_URL is set so that
 * several instances share them; while Redis is down, in memory against a stricter limit (never
 * open). Routes that guard secrets (login, recovery) add their own, stricter limits with
 * `config.rateLimit`; they go through the same store, so they fall back the same way.
 */
export async function installRateLimit(app: FastifyInstance, config: AppConfig): Promise<void> {
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, {
        connectTimeout: 2000,
        // A command waits neither for a reconnection nor for long: the fallback answers instead.
        commandTimeout: 1000,
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
      })
    : undefined;
  let store: StoreClass | undefined;
  if (redis) {
    redis.on('error', (err: Error) => app.log.warn({ err: { message: err.message } }, 'redis error'));
    app.addHook('onClose', async () => {
      redis.disconnect();
    });
    // The first requests would otherwise find the connection still being made and count in the
    // fallback: wait for it at start, a little, and start anyway when Redis is down.
    app.addHook('onReady', async () => {
      if (redis.status === 'ready') return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, 3000);
        function done() {
          clearTimeout(timer);
          redis?.off('ready', done);
          resolve();
        }
        redis?.once('ready', done);
      });
    });
    // One warning per outage, not one per request.
    let warned = false;
    redis.on('ready', () => {
      if (warned) app.log.info('redis back: rate limits shared again');
      warned = false;
    });
    const onFallback = (err: Error) => {
      if (warned) return;
      warned = true;
      app.log.warn(
        { err: { message: err.message } },
        'redis unavailable: rate limits per instance, stricter',
      );
    };
    store = class extends FallbackStore {
      constructor(params: { continueExceeding?: boolean; exponentialBackoff?: boolean }) {
        const continueExceeding = params.continueExceeding === true;
        const exponentialBackoff = params.exponentialBackoff === true;
        super(
          new RedisStore(continueExceeding, exponentialBackoff, redis as Redis, 'onecare-rl:'),
          new LocalStore(continueExceeding, exponentialBackoff),
          onFallback,
        );
      }
    };
  }
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    // The store answers even while Redis is down, so an error here is a bug: refuse, never skip.
    skipOnError: false,
    ...(store ? { store: store as unknown as never } : {}),
    allowList: (request) =>
      request.url === '/healthz' || request.url === '/readyz' || request.url === '/metrics',
  });
}
