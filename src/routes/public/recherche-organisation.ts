import { Router } from 'express';
import { renderPageOrFragment } from '../../middleware/htmx.ts';
import type { Services } from '../../services/index.ts';

const views = { page: 'public/recherche-organisation', fragment: 'partials/recherche-resultats' };
const RETURN_PATHS = new Set(['/inscription', '/organisations/rejoindre']);

/**
 * "Retrouver son SIRET": search the directory by name. A GET form without JS; with htmx the results update as
 * the user types (same handler, fragment). Each result links back to the form the user came from with the SIRET.
 */
export function directorySearchRoutes(services: Services): Router {
  const router = Router();
  router.get('/recherche-organisation', async (req, res) => {
    // a name to look for: control characters (a NUL byte would reach PostgreSQL) are not part of any name
    const query =
      typeof req.query.nom === 'string'
        ? req.query.nom
            .replace(/\p{Cc}+/gu, ' ')
            .trim()
            .slice(0, 100)
        : '';
    const back =
      typeof req.query.retour === 'string' && RETURN_PATHS.has(req.query.retour) ? req.query.retour : '/inscription';
    const { results, tooShort } = await services.directory.search(query);
    renderPageOrFragment(res, views, { query, back, tooShort, results });
  });
  return router;
}
