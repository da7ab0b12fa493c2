import { Router } from 'express';
import { requireUser } from '../../middleware/auth.ts';
import type { AreaDeps } from '../area.ts';
import { legacyDossierRoutes } from './anterieures.ts';
import { requestRoutes } from './etapes.ts';
import { attachmentRoutes } from './pieces-jointes.ts';
import { requestSummaryRoutes } from './recapitulatif.ts';

export { ATTACHMENT_UPLOAD_PATH, UPLOAD_LIMITS } from './pieces-jointes.ts';

/**
 * Access requests as applicants make them: the list, a new request, its steps, attachments, summary and submission.
 * Signed-in users only. Every route answers for its own addresses and lets the others through, so their order
 * does not matter (a step route finds no step called « recapitulatif » or « pieces-jointes » and passes).
 */
export function requestArea({ services }: AreaDeps): Router {
  const router = Router();
  router.use('/demandes', requireUser);
  router.use(
    requestRoutes(services),
    requestSummaryRoutes(services),
    attachmentRoutes(services),
    legacyDossierRoutes(services),
  );
  return router;
}
