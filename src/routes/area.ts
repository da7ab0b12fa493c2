import type nunjucks from 'nunjucks';
import type { Config } from '../config.ts';
import type { RateLimits } from '../middleware/rate-limit.ts';
import type { Services } from '../services/index.ts';

/**
 * What every area router is built from: each takes what it needs. No database handle: routes call services, which
 * own the transactions and the repositories.
 */
export type AreaDeps = { config: Config; services: Services; limits: RateLimits; views: nunjucks.Environment };
