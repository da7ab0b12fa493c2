import type { Knex } from 'knex';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { HttpError } from './http-error.ts';

/**
 * Rate limits kept in PostgreSQL (`rate_limits` table), so that they hold across processes. Values from ProConnect:
 * 10 failed sign-ins per account per 5 minutes, 60 sign-in attempts per address per minute, 5 emails (reset,
 * activation) per account per 15 minutes; 5 wrong second-factor codes per account per 15 minutes (S-6b). No lockout:
 * the limit lifts by itself.
 */
export function createRateLimits(db: Knex) {
  const limiter = (keyPrefix: string, points: number, duration: number) =>
    new RateLimiterPostgres({ storeClient: db, storeType: 'knex', tableName: 'rate_limits', tableCreated: true, keyPrefix, points, duration });
  return {
    signInFailuresByAccount: limiter('connexion_compte', 10, 300),
    signInByAddress: limiter('connexion_ip', 60, 60),
    emailsByAccount: limiter('courriels_compte', 5, 900),
    secondFactorFailuresByAccount: limiter('double_auth_compte', 5, 900),
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;

export class TooManyAttempts extends HttpError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'Trop de tentatives');
  }
}

/** Consumes one point; over the limit, throws TooManyAttempts (rendered as the French 429 page with Retry-After). */
export async function consume(limiter: RateLimiterPostgres, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw new TooManyAttempts(Math.ceil(error.msBeforeNext / 1000));
    throw error;
  }
}

/** Throws TooManyAttempts when the key has used all its points, without consuming one. */
export async function ensureNotBlocked(limiter: RateLimiterPostgres, key: string): Promise<void> {
  const state = await limiter.get(key);
  if (state && state.consumedPoints >= limiter.points) throw new TooManyAttempts(Math.ceil(state.msBeforeNext / 1000));
}

/** Counts one failure; the one that uses the last point already answers 429 (« five wrong codes → 429 »). */
export async function countFailure(limiter: RateLimiterPostgres, key: string): Promise<void> {
  await consume(limiter, key);
  const state = await limiter.get(key);
  if (state && state.consumedPoints >= limiter.points) throw new TooManyAttempts(Math.ceil(state.msBeforeNext / 1000));
}
