import type nunjucks from 'nunjucks';
import type { Config } from '../config.ts';
import type { Db } from '../db/knex.ts';
import type { RateLimits } from '../middleware/rate-limit.ts';
import type { Services } from '../services/index.ts';

/** What every area router is built from: each takes what it needs. */
export type AreaDeps = { config: Config; db: Db; services: Services; limits: RateLimits; views: nunjucks.Environment };
