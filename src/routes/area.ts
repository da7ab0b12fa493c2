import type { RequestHandler, Router } from 'express';
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

type StackLayer = { rawPath?: unknown; route?: { path: unknown }; handle: { stack?: StackLayer[] } };

/** The first segment of a path, as routes are matched (case-insensitive): `demandes` for `/demandes/12/demarche`. */
const firstSegment = (path: string) => (path.split('/', 2)[1] ?? '').toLowerCase();

/**
 * The first segments of every address `router` answers, read from its routes (nested routers included), or undefined
 * when one cannot be told (a pattern, a parameter first): then the router sees every request.
 */
export function firstSegments(stack: StackLayer[], prefix = ''): Set<string> | undefined {
  const segments = new Set<string>();
  for (const layer of stack) {
    const path = layer.route ? layer.route.path : layer.rawPath;
    const paths = Array.isArray(path) ? path : [path];
    for (const each of paths) {
      if (typeof each !== 'string') return undefined;
      const full = each === '/' ? prefix || '/' : prefix + each;
      if (layer.handle.stack && !layer.route) {
        const nested = firstSegments(layer.handle.stack, full === '/' ? '' : full);
        if (!nested) return undefined;
        nested.forEach((segment) => segments.add(segment));
      } else if (layer.route || full !== '/') {
        const segment = firstSegment(full);
        if (/[:*?()[\]{}\\]/.test(segment)) return undefined; // a parameter or a pattern in it
        segments.add(segment);
      }
    }
  }
  return segments;
}

/**
 * An area's router, seen only by the requests whose address starts the way one of its routes does: a request for
 * `/demandes/12/demarche` no longer walks through every route of the public and account areas before its own (6 %
 * of a signed-in step page's time, bench/README.md). Its middleware without a path (a guard for the area) runs only
 * for its own addresses, which is what it is for.
 */
export function ownAddressesOnly(router: Router): RequestHandler {
  const { stack } = router as unknown as { stack: StackLayer[] };
  const segments = firstSegments(stack);
  if (!segments) return router;
  const handler: RequestHandler = (req, res, next) =>
    segments.has(firstSegment(req.path)) ? router(req, res, next) : next();
  // Whoever lists the application's routes (the route × actor matrix) still finds the area's under it.
  return Object.assign(handler, { stack });
}
