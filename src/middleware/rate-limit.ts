import type { Knex } from 'knex';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { HttpError } from './http-error.ts';

/**
 * Rate limits kept in PostgreSQL (`rate_limits` table), so that they hold across processes. Values from ProConnect:
 * 10 wrong passwords per account per 5 minutes (at sign-in, when confirming it again, when changing it), 60 sign-in attempts per address per minute, 5 emails (reset,
 * activation) per account per 15 minutes; 5 wrong second-factor codes per account per 15 minutes. No lockout: the
 * limit lifts by itself.
 */
export function createRateLimits(db: Knex) {
  const limiter = (keyPrefix: string, points: number, duration: number) =>
    new RateLimiterPostgres({
      storeClient: db,
      storeType: 'knex',
      tableName: 'rate_limits',
      tableCreated: true,
      keyPrefix,
      points,
      duration,
    });
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

/**
 * One guess (a password, a code), counted *before* it is checked: the point is taken in one atomic statement, so that
 * parallel guesses can never check more than the limit (checking first and counting the failure afterwards let
 * bursts through). No point left: 429 without checking. A success gives its point back, so only failures add up.
 * `lastFailureRefused`: the failure that takes the last point already answers 429 (« five wrong codes → 429 »);
 * otherwise it is answered as usual and the next guess gets 429.
 */
export async function guarded<T>(
  limiter: RateLimiterPostgres,
  key: string,
  guess: () => Promise<T>,
  succeeded: (result: T) => boolean,
  options: { lastFailureRefused?: boolean } = {},
): Promise<T> {
  let taken: RateLimiterRes;
  try {
    taken = await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw new TooManyAttempts(Math.ceil(error.msBeforeNext / 1000));
    throw error;
  }
  let result: T;
  try {
    result = await guess();
  } catch (error) {
    await limiter.reward(key, 1).catch(() => undefined); // not a guess that failed: the check itself did
    throw error;
  }
  if (succeeded(result)) await limiter.reward(key, 1);
  else if (options.lastFailureRefused && taken.remainingPoints === 0)
    throw new TooManyAttempts(Math.ceil(taken.msBeforeNext / 1000));
  return result;
}
