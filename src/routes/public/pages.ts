import { Router } from 'express';
import type { Services } from '../../services/index.ts';
import { PAGES } from '../../pages/registry.ts';

const STATIC_PAGES: Record<string, string> = {
  '/': 'public/accueil',
  '/cgu': 'public/cgu',
  '/mentions-legales': 'public/mentions-legales',
  '/donnees-personnelles': 'public/donnees-personnelles',
};

/** Public pages: home, use cases, legal pages, site map. */
export function publicRoutes(services: Services): Router {
  const router = Router();
  for (const [path, view] of Object.entries(STATIC_PAGES)) {
    router.get(path, (_req, res) => res.render(view));
  }
  // The statement lists the pages actually tested: every page of the registry (the browser suite crawls them all).
  router.get('/accessibilite', (_req, res) => {
    res.render('public/accessibilite', { testedPages: PAGES.filter((p) => p.area !== 'dev') });
  });
  router.get('/plan-du-site', (_req, res) => {
    res.render('public/plan-du-site', { pages: PAGES.filter((p) => p.inSitemap) });
  });
  router.get('/cas-usage', async (_req, res) => {
    res.render('public/cas-usage', { useCases: await services.catalogue.useCases() });
  });
  router.get('/cas-usage/:id', async (req, res, next) => {
    const detail = await services.catalogue.useCaseDetail(req.params.id);
    if (!detail) return next();
    res.render('public/cas-usage-detail', detail);
  });
  return router;
}
