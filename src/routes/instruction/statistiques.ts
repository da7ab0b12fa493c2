import { Router } from 'express';
import type { Services } from '../../services/index.ts';

/** `/instruction/statistiques`: requests per status and per month, delays of instruction, share sent back. */
export function instructionStatisticsRoutes(services: Services): Router {
  const router = Router();
  router.get('/instruction/statistiques', async (_req, res) => {
    res.render('instruction/statistiques', await services.instructionStatistics.page());
  });
  return router;
}
