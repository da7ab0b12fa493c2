import { Router } from 'express';
import { DS_STATE_LABELS } from '../../domain/legacy-dossiers.ts';
import { STATUS_LABELS } from '../../domain/request-states.ts';
import { currentUserOf } from '../../middleware/auth.ts';
import type { Services } from '../../services/index.ts';

/**
 * `/demandes/anterieures/:numero`: a dossier made on démarches simplifiées before 27/08/2019, read-only, for the
 * members of its SIRET's organisation and the person whose email it carries; anyone else gets a 404.
 */
export function legacyDossierRoutes(services: Services): Router {
  const router = Router();
  router.get('/demandes/anterieures/:numero', async (req, res, next) => {
    const page = await services.legacyDossiers.forUser(currentUserOf(res), req.params.numero);
    if (!page) return next();
    res.render('demandes/anterieure', { ...page, labels: STATUS_LABELS, dsLabels: DS_STATE_LABELS });
  });
  return router;
}
