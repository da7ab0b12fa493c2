import { Router } from 'express';
import type { AreaDeps } from '../area.ts';
import { eligibilityRoutes } from './eligibilite.ts';
import { publicRoutes } from './pages.ts';
import { directorySearchRoutes } from './recherche-organisation.ts';

/** Pages anyone can read: home, use cases, eligibility, the directory search, the legal pages. */
export function publicArea({ services }: AreaDeps): Router {
  const router = Router();
  router.use(publicRoutes(services), eligibilityRoutes(services), directorySearchRoutes(services));
  return router;
}
