import { Router } from 'express';
import { ENDPOINT_STATE_LABELS } from '../../domain/endpoint-status.ts';
import type { Services } from '../../services/index.ts';

/**
 * `/statut`: the state of every endpoint of API Entreprise and the incidents, for anyone. With htmx, the table
 * refreshes itself every minute (the fragment alone); without JS, the page is up to date when loaded.
 */
export function statusRoutes(services: Services): Router {
  const router = Router();
  router.get('/statut', async (_req, res) => {
    const status = await services.endpointStatus.publicStatus();
    res.vary('HX-Request');
    res.render(res.locals.isHtmx ? 'partials/etat-endpoints' : 'public/statut', {
      ...status,
      labels: ENDPOINT_STATE_LABELS,
      refreshFrom: '/statut',
    });
  });
  return router;
}
