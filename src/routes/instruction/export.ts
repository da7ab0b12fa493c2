import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { currentUserOf } from '../../middleware/auth.ts';
import type { Services } from '../../services/index.ts';

/** `/instruction/export`: the filtered list as a CSV download (the list's own filters; refused ones are shown there). */
export function instructionExportRoutes(services: Services): Router {
  const router = Router();
  router.get('/instruction/export', async (req, res) => {
    const outcome = await services.instructionExport.export(req.query, currentUserOf(res));
    if (outcome.kind === 'refused') {
      const query = new URL(req.originalUrl, 'http://x').search;
      return res.redirect(303, `/instruction${query}`);
    }
    res.set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${outcome.fileName}"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    await pipeline(outcome.stream, res).catch((err: unknown) => req.log?.warn({ err }, 'export interrupted'));
  });
  return router;
}
