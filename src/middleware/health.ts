import { Router } from 'express';
import type { Db } from '../db/knex.ts';

/** Liveness and readiness, mounted before sessions so that probes never touch the session store. */
export function healthRoutes(db: Db, timeoutMs: number): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      await db.raw('SELECT 1').timeout(timeoutMs, { cancel: false });
      res.json({ status: 'ok', database: 'ok' });
    } catch {
      res.status(503).set('Retry-After', '10').json({ status: 'unavailable', database: 'unreachable' });
    }
  });
  return router;
}
