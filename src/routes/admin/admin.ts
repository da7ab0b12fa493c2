import { Router } from 'express';
import Joi from 'joi';
import { multiline, validateForm } from '../../forms/validation.ts';
import { currentUserOf } from '../../middleware/auth.ts';
import { HttpError } from '../../middleware/http-error.ts';
import { STAFF_ROLES } from '../../domain/staff.ts';
import type { Services } from '../../services/index.ts';

const decisionSchema = Joi.object<{ decision: 'accepter' | 'refuser'; note?: string }>({
  decision: Joi.string().valid('accepter', 'refuser').required().messages({
    'any.required': 'Choisissez d’accepter ou de refuser',
    'any.only': 'Choisissez d’accepter ou de refuser',
  }),
  note: Joi.string().trim().allow('').max(2000).optional().meta(multiline),
});

/** Support pages: moderation queue, roles, audit log. Admins only, after the second factor; every action is audited. */
export function adminRoutes(services: Services): Router {
  const router = Router();

  router.get('/admin', (_req, res) => res.redirect(303, '/admin/moderation'));
  router.get('/admin/moderation', async (req, res) => {
    const notice = req.session.notice;
    delete req.session.notice;
    res.render('admin/moderation', {
      open: await services.moderation.open(),
      closed: await services.moderation.closed(),
      notice,
    });
  });
  router.get('/admin/moderation/:id', async (req, res, next) => {
    const found = await services.moderation.find(req.params.id);
    if (!found) return next();
    res.render('admin/dossier', { dossier: found, values: {} });
  });
  router.post('/admin/moderation/:id', async (req, res, next) => {
    const found = await services.moderation.find(req.params.id);
    if (!found) return next();
    const { value, errors, fieldErrors } = validateForm(decisionSchema, req.body);
    if (errors.length)
      return res
        .status(422)
        .render('admin/dossier', { dossier: found, values: req.body as object, errors, fieldErrors });
    const done = await services.moderation.decide(
      found.id,
      currentUserOf(res).id,
      value.decision === 'accepter',
      value.note || null,
    );
    if (!done) throw new HttpError(409, 'Ce dossier a déjà été traité');
    req.session.notice = `Dossier n° ${found.id} ${value.decision === 'accepter' ? 'accepté' : 'refusé'} ; ${found.userName} est prévenu(e) par courriel.`;
    res.redirect(303, '/admin/moderation');
  });

  router.get('/admin/utilisateurs', async (req, res) => {
    const search = typeof req.query.recherche === 'string' ? req.query.recherche.slice(0, 100) : '';
    const notice = req.session.notice;
    delete req.session.notice;
    res.render('admin/utilisateurs', {
      users: await services.administration.users(search),
      search,
      roles: STAFF_ROLES,
      notice,
    });
  });
  router.post('/admin/utilisateurs/:id/roles', async (req, res, next) => {
    const asked = ([] as string[]).concat((req.body as { roles?: string | string[] }).roles ?? []);
    const outcome = await services.administration.setRoles(currentUserOf(res), req.params.id, asked);
    if (outcome.kind === 'unknown_user') return next();
    if (outcome.kind === 'own_admin_role')
      throw new HttpError(409, 'Vous ne pouvez pas retirer votre propre rôle d’administrateur');
    req.session.notice = `Rôles de ${outcome.user.givenName} ${outcome.user.familyName} enregistrés.`;
    res.redirect(303, '/admin/utilisateurs');
  });

  router.get('/admin/journal', async (_req, res) =>
    res.render('admin/journal', { entries: await services.administration.auditLog() }),
  );
  return router;
}
