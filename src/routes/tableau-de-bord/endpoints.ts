import { Router } from 'express';
import { ENDPOINT_STATE_LABELS } from '../../domain/endpoint-status.ts';
import { currentUserOf } from '../../middleware/auth.ts';
import type { Services } from '../../services/index.ts';

/** `/tableau-de-bord/endpoints`: the endpoints the user's authorizations use, their state and incidents. */
export function dashboardEndpointRoutes(services: Services): Router {
  const router = Router();
  router.get('/tableau-de-bord/endpoints', async (_req, res) => {
    const status = await services.endpointStatus.statusFor(currentUserOf(res));
    res.vary('HX-Request');
    res.render(res.locals.isHtmx ? 'partials/etat-endpoints' : 'tableau-de-bord/endpoints', {
      ...status,
      labels: ENDPOINT_STATE_LABELS,
      refreshFrom: '/tableau-de-bord/endpoints',
    });
  });
  return router;
}
