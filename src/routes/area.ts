import type nunjucks from 'nunjucks';
import type { Config } from '../config.ts';
import type { RateLimits } from '../middleware/rate-limit.ts';
import type { SessionStack } from '../middleware/session-stack.ts';
import type { Services } from '../services/index.ts';

/**
 * What every area router is built from: each takes what it needs. No database handle: routes call services, which
 * own the transactions and the repositories. `session` is mounted by app.ts for every area after the public one, which
 * reads it only when the browser has a session (see middleware/session-stack.ts).
 */
export type AreaDeps = {
  config: Config;
  services: Services;
  limits: RateLimits;
  views: nunjucks.Environment;
  session: SessionStack;
};
