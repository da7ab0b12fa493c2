import { Router } from 'express';
import { requireUser } from '../../middleware/auth.ts';
import type { AreaDeps } from '../area.ts';

/**
 * After approval: the authorizations of the user's organisations and their tokens (signed-in users). Empty for now:
 * the dashboard goes here, behind this guard.
 */
export function dashboardArea(_deps: AreaDeps): Router {
  const router = Router();
  router.use('/tableau-de-bord', requireUser);
  return router;
}
