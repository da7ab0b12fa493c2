import { Router } from 'express';
import { requireRole, requireSecondFactor } from '../../middleware/auth.ts';
import type { AreaDeps } from '../area.ts';
import { adminRoutes } from './admin.ts';
import { incidentRoutes } from './incidents.ts';
import { webhookRoutes } from './webhooks.ts';
import { decisionTemplateRoutes } from './modeles.ts';

/** Moderation of joins, users and roles, the texts of decisions, the endpoints' incidents, the audit log: administrators who passed the second factor. */
export function adminArea({ services }: AreaDeps): Router {
  const router = Router();
  router.use('/admin', requireRole('admin'), requireSecondFactor);
  router.use(adminRoutes(services));
  router.use(decisionTemplateRoutes(services));
  router.use(incidentRoutes(services));
  router.use(webhookRoutes(services));
  return router;
}
