import { Router } from 'express';
import Joi from 'joi';
import { multiline, validateForm } from '../../forms/validation.ts';
import { currentUserOf } from '../../middleware/auth.ts';
import { HttpError } from '../../middleware/http-error.ts';
import { latestAudit, recordAudit } from '../../repositories/audit.ts';
import { findUserById, listUsers, setRoles } from '../../repositories/users.ts';
import type { Db } from '../../db/knex.ts';
import type { Services } from '../../services/index.ts';

export const ROLES = ['instructor', 'reporter', 'admin'] as const;

const decisionSchema = Joi.object<{ decision: 'accepter' | 'refuser'; note?: string }>({
  decision: Joi.string().valid('accepter', 'refuser').required().messages({ 'any.required': 'Choisissez d’accepter ou de refuser', 'any.only': 'Choisissez d’accepter ou de refuser' }),
  note: Joi.string().trim().allow('').max(2000).optional().meta(multiline),
});

/** Support pages: moderation queue, roles, audit log. Admins only, after the second factor; every action is audited. */
export function adminRoutes(services: Services, db: Db): Router {
  const router = Router();

  router.get('/admin', (_req, res) => res.redirect(303, '/admin/moderation'));
  router.get('/admin/moderation', async (req, res) => {
    const notice = req.session.notice;
    delete req.session.notice;
    res.render('admin/moderation', { open: await services.moderation.open(), closed: await services.moderation.closed(), notice });
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
    if (errors.length) return res.status(422).render('admin/dossier', { dossier: found, values: req.body as object, errors, fieldErrors });
    const done = await services.moderation.decide(found.id, currentUserOf(res).id, value.decision === 'accepter', value.note || null);
    if (!done) throw new HttpError(409, 'Ce dossier a déjà été traité');
    req.session.notice = `Dossier n° ${found.id} ${value.decision === 'accepter' ? 'accepté' : 'refusé'} ; ${found.userName} est prévenu(e) par courriel.`;
    res.redirect(303, '/admin/moderation');
  });

  router.get('/admin/utilisateurs', async (req, res) => {
    const search = typeof req.query.recherche === 'string' ? req.query.recherche.slice(0, 100) : '';
    const notice = req.session.notice;
    delete req.session.notice;
    res.render('admin/utilisateurs', { users: await listUsers(db, search), search, roles: ROLES, notice });
  });
  router.post('/admin/utilisateurs/:id/roles', async (req, res, next) => {
    const target = /^\d+$/.test(req.params.id) ? await findUserById(db, req.params.id) : undefined;
    if (!target) return next();
    const asked = ([] as string[]).concat((req.body as { roles?: string | string[] }).roles ?? []);
    const roles = ROLES.filter((role) => asked.includes(role));
    const admin = currentUserOf(res);
    if (admin.id === target.id && !roles.includes('admin')) throw new HttpError(409, 'Vous ne pouvez pas retirer votre propre rôle d’administrateur');
    await db.transaction(async (trx) => {
      await setRoles(trx, target.id, roles);
      await recordAudit(trx, { actorId: admin.id, action: 'user.roles', subjectType: 'user', subjectId: target.id, details: { before: target.roles, after: roles } });
    });
    req.session.notice = `Rôles de ${target.givenName} ${target.familyName} enregistrés.`;
    res.redirect(303, '/admin/utilisateurs');
  });

  router.get('/admin/journal', async (_req, res) => res.render('admin/journal', { entries: await latestAudit(db) }));
  return router;
}
