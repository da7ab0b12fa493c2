import { Router } from 'express';
import { requireUser } from '../../middleware/auth.ts';
import type { AreaDeps } from '../area.ts';
import { organisationRoutes } from './organisations.ts';

/** The user's organisations, the current one, and joining another: signed-in users only. */
export function organisationArea({ services }: AreaDeps): Router {
  const router = Router();
  router.use('/organisations', requireUser);
  router.use(organisationRoutes(services));
  return router;
}
