import { Router } from 'express';
import { requireUser } from '../../middleware/auth.ts';
import type { AreaDeps } from '../area.ts';
import { dashboardEndpointRoutes } from './endpoints.ts';
import { tokenRoutes } from './jetons.ts';
import { dashboardRoutes } from './tableau-de-bord.ts';

/** After approval: the authorizations of the user's organisations and their tokens (signed-in users). */
export function dashboardArea({ services }: AreaDeps): Router {
  const router = Router();
  router.use('/tableau-de-bord', requireUser);
  router.use(dashboardRoutes(services));
  router.use(tokenRoutes(services));
  router.use(dashboardEndpointRoutes(services));
  return router;
}
