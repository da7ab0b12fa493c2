import { Router } from 'express';
import type { AreaDeps } from '../area.ts';
import { eligibilityRoutes } from './eligibilite.ts';
import { publicRoutes } from './pages.ts';
import { directorySearchRoutes } from './recherche-organisation.ts';
import { statusRoutes } from './statut.ts';

/** Pages anyone can read: home, use cases, eligibility, the directory search, the endpoints' status, the legal pages. */
export function publicArea({ services, session }: AreaDeps): Router {
  const router = Router();
  router.use('/eligibilite', session.always); // its form is protected by the session's CSRF token
  router.use(session.ifPresent); // an anonymous visitor's page touches no session, no user, no store
  router.use(
    publicRoutes(services),
    eligibilityRoutes(services),
    directorySearchRoutes(services),
    statusRoutes(services),
  );
  return router;
}
