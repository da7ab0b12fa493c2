import { Router, type Response } from 'express';
import { KIND_LABELS, TEMPLATE_VARIABLES } from '../../domain/decision-templates.ts';
import { currentUserOf } from '../../middleware/auth.ts';
import type { Services } from '../../services/index.ts';

const kinds = Object.entries(KIND_LABELS).map(([value, text]) => ({ value, text }));
const variables = Object.entries(TEMPLATE_VARIABLES).map(([name, meaning]) => ({ name, meaning }));

/** `/admin/modeles`: the reusable texts of decisions, created, changed and deleted by admins (audited). */
export function decisionTemplateRoutes(services: Services): Router {
  const router = Router();

  const listPage = async (res: Response, extra: Record<string, unknown> = {}, status = 200) =>
    res.status(status).render('admin/modeles', {
      templates: await services.decisionTemplates.list(),
      kinds,
      kindLabels: KIND_LABELS,
      variables,
      values: {},
      errorFor: {},
      ...extra,
    });

  router.get('/admin/modeles', async (req, res) => {
    const notice = req.session.notice;
    delete req.session.notice;
    await listPage(res, { notice });
  });

  router.post('/admin/modeles', async (req, res) => {
    const saved = await services.decisionTemplates.save(currentUserOf(res), req.body as Record<string, unknown>);
    if (saved?.kind === 'invalid')
      return listPage(
        res,
        {
          values: req.body as object,
          errors: saved.problems,
          errorFor: Object.fromEntries(saved.problems.map((p) => [p.field, p.message])),
        },
        422,
      );
    req.session.notice = 'Le modèle est enregistré.';
    res.redirect(303, '/admin/modeles');
  });

  router.get('/admin/modeles/:id', async (req, res, next) => {
    const template = await services.decisionTemplates.find(req.params.id);
    if (!template) return next();
    res.render('admin/modele', {
      template,
      kinds,
      variables,
      values: { genre: template.kind, intitule: template.title, texte: template.body },
      errorFor: {},
    });
  });

  router.post('/admin/modeles/:id', async (req, res, next) => {
    const template = await services.decisionTemplates.find(req.params.id);
    if (!template) return next();
    const saved = await services.decisionTemplates.save(
      currentUserOf(res),
      req.body as Record<string, unknown>,
      template.id,
    );
    if (!saved) return next();
    if (saved.kind === 'invalid')
      return res.status(422).render('admin/modele', {
        template,
        kinds,
        variables,
        values: req.body as object,
        errors: saved.problems,
        errorFor: Object.fromEntries(saved.problems.map((p) => [p.field, p.message])),
      });
    req.session.notice = 'Le modèle est enregistré.';
    res.redirect(303, '/admin/modeles');
  });

  router.post('/admin/modeles/:id/supprimer', async (req, res, next) => {
    const removed = await services.decisionTemplates.remove(currentUserOf(res), req.params.id);
    if (!removed) return next();
    req.session.notice = `Le modèle « ${removed.title} » est supprimé.`;
    res.redirect(303, '/admin/modeles');
  });
  return router;
}
