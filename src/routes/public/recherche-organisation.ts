import { Router } from 'express';
import { renderPageOrFragment } from '../../middleware/htmx.ts';
import { searchEstablishments, SEARCH_MIN_LENGTH } from '../../repositories/directory.ts';
import { eligibilityOf } from '../../domain/eligibility.ts';
import type { Db } from '../../db/knex.ts';

const views = { page: 'public/recherche-organisation', fragment: 'partials/recherche-resultats' };
const RETURN_PATHS = new Set(['/inscription', '/organisations/rejoindre']);

/**
 * "Retrouver son SIRET": search the directory by name. A GET form without JS; with htmx the results update as
 * the user types (same handler, fragment). Each result links back to the form the user came from with the SIRET.
 */
export function directorySearchRoutes(db: Db): Router {
  const router = Router();
  router.get('/recherche-organisation', async (req, res) => {
    // a name to look for: control characters (a NUL byte would reach PostgreSQL) are not part of any name
    const query = typeof req.query.nom === 'string' ? req.query.nom.replace(/\p{Cc}+/gu, ' ').trim().slice(0, 100) : '';
    const back = typeof req.query.retour === 'string' && RETURN_PATHS.has(req.query.retour) ? req.query.retour : '/inscription';
    const results = query ? await searchEstablishments(db, query, 20) : [];
    renderPageOrFragment(res, views, {
      query, back, tooShort: query !== '' && results.length === 0 && query.replace(/[^\p{L}\p{N}]/gu, '').length < SEARCH_MIN_LENGTH,
      results: results.map((e) => ({ ...e, eligible: eligibilityOf(e).eligible })),
    });
  });
  return router;
}
