import { Router, type Response } from 'express';
import { currentUserOf } from '../../middleware/auth.ts';
import type { FieldError } from '../../forms/validation.ts';
import type { Services } from '../../services/index.ts';

/** `/admin/webhooks`: the addresses API Entreprise's systems receive events at, their deliveries and attempts. */
export function webhookRoutes(services: Services): Router {
  const router = Router();
  const events = Object.entries(services.webhooks.events).map(([value, text]) => ({ value, text }));

  const listPage = async (
    res: Response,
    extra: { values?: Record<string, unknown>; problems?: FieldError[]; notice?: string } = {},
  ) => {
    const problems = extra.problems ?? [];
    res.status(problems.length ? 422 : 200).render('admin/webhooks', {
      webhooks: await services.webhooks.list(),
      events,
      eventLabels: services.webhooks.events,
      values: extra.values ?? { evenements: [] },
      errors: problems,
      errorFor: Object.fromEntries(problems.map((p) => [p.field, p.message])),
      notice: extra.notice,
    });
  };

  router.get('/admin/webhooks', async (req, res) => {
    const notice = req.session.notice;
    delete req.session.notice;
    await listPage(res, { notice });
  });

  router.post('/admin/webhooks', async (req, res, next) => {
    const made = await services.webhooks.create(currentUserOf(res), req.body as Record<string, unknown>);
    if (made.kind === 'invalid') return listPage(res, { values: made.values, problems: made.problems });
    req.session.newWebhookSecret = { id: made.id, sealed: made.sealedSecret };
    req.session.save((error) => (error ? next(error) : res.redirect(303, `/admin/webhooks/${made.id}`)));
  });

  router.get('/admin/webhooks/:id', async (req, res, next) => {
    const page = await services.webhooks.page(req.params.id);
    if (!page) return next();
    const kept = req.session.newWebhookSecret;
    const secret = kept?.id === page.webhook.id ? services.webhooks.revealSecret(kept.id, kept.sealed) : undefined;
    if (kept?.id === page.webhook.id) delete req.session.newWebhookSecret; // shown once
    const notice = req.session.notice;
    delete req.session.notice;
    res.set('Cache-Control', 'no-store');
    res.render('admin/webhook', { ...page, secret, notice, eventLabels: services.webhooks.events });
  });

  router.post('/admin/webhooks/:id/livraisons/:deliveryId/rejouer', async (req, res, next) => {
    const done = await services.webhooks.replay(currentUserOf(res), req.params.id, req.params.deliveryId);
    if (!done) return next();
    req.session.notice = 'La livraison est relancée\u00a0: elle part dans quelques secondes.';
    res.redirect(303, `/admin/webhooks/${req.params.id}`);
  });

  router.post('/admin/webhooks/:id/activer', async (req, res, next) => {
    if (!(await services.webhooks.enable(currentUserOf(res), req.params.id))) return next();
    req.session.notice = 'Le webhook est réactivé.';
    res.redirect(303, `/admin/webhooks/${req.params.id}`);
  });
  return router;
}
