import { Router } from 'express';
import { requireRole, requireSecondFactor } from '../../middleware/auth.ts';
import type { AreaDeps } from '../area.ts';

/**
 * The review of submitted requests (instructors and reporters who passed the second factor). Empty for now: the
 * instruction pages go here, behind this guard; until then, `/instruction` is a 404 for everyone.
 */
export function instructionArea(_deps: AreaDeps): Router {
  const router = Router();
  router.use('/instruction', requireRole('instructor', 'reporter'), requireSecondFactor);
  return router;
}
