import { Router } from 'express';
import { requireRole, requireSecondFactor } from '../../middleware/auth.ts';
import type { AreaDeps } from '../area.ts';
import { instructionDecisionRoutes } from './decisions.ts';
import { instructionLegacyRoutes } from './demarches-simplifiees.ts';
import { instructionRequestRoutes } from './demande.ts';
import { instructionExchangeRoutes } from './echanges.ts';
import { instructionExportRoutes } from './export.ts';
import { instructionListRoutes } from './liste.ts';
import { instructionStatisticsRoutes } from './statistiques.ts';

/** The review of submitted requests: instructors and reporters who passed the second factor; others get a 404. */
export function instructionArea({ services }: AreaDeps): Router {
  const router = Router();
  router.use('/instruction', requireRole('instructor', 'reporter'), requireSecondFactor);
  router.use(instructionListRoutes(services));
  router.use(instructionExportRoutes(services));
  router.use(instructionStatisticsRoutes(services));
  router.use(instructionRequestRoutes(services));
  router.use(instructionDecisionRoutes(services));
  router.use(instructionExchangeRoutes(services));
  router.use(instructionLegacyRoutes(services));
  return router;
}
