import { Router } from 'express';
import type nunjucks from 'nunjucks';
import type { Services } from '../../services/index.ts';
import { ERROR_PAGE_CODES } from '../../pages/registry.ts';
import type { AreaDeps } from '../area.ts';

const URL_PATTERN = /https?:\/\/[^\s<>"]+/g;

/**
 * Development helpers, never mounted in production: the outbox as a mailbox (so that a newcomer without SMTP can
 * follow an activation link) and a preview of each error page.
 */
export function devRoutes(services: Services, env: nunjucks.Environment): Router {
  const router = Router();
  router.get('/dev/courriels', async (_req, res) => {
    res.set('Cache-Control', 'no-store').render('dev/courriels', { emails: await services.mail.latest() });
  });
  router.post('/dev/courriels', async (_req, res) => {
    await services.mail.sendTest(env, 'test@signup.localhost');
    res.redirect(303, '/dev/courriels');
  });
  router.get('/dev/courriels/:id', async (req, res, next) => {
    const email = await services.mail.find(req.params.id);
    if (!email) return next();
    res.set('Cache-Control', 'no-store').render('dev/courriel', { email, links: email.text.match(URL_PATTERN) ?? [] });
  });
  router.get('/dev/composants', (_req, res) => res.render('dev/composants'));
  router.get('/dev/erreurs/:code', (req, res, next) => {
    const code = req.params.code;
    if (!ERROR_PAGE_CODES.includes(code)) return next();
    res
      .status(Number(code))
      .render(`errors/${code}`, { status: Number(code), incidentId: code >= '500' ? 'exemple' : undefined });
  });
  return router;
}

/** The development helpers as an area (app.ts mounts it only when `devPages` is on). */
export function devArea({ services, views }: AreaDeps): Router {
  return devRoutes(services, views);
}
