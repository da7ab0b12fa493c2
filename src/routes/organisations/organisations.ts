import { Router } from 'express';
import Joi from 'joi';
import { checkSiret } from '../../domain/siret.ts';
import { siretField } from '../../forms/eligibility.ts';
import { multiline, validateForm } from '../../forms/validation.ts';
import { currentUserOf } from '../../middleware/auth.ts';
import { keepSessionAlive, SESSION_EXTENDED } from '../../middleware/session-expiry.ts';
import type { Services } from '../../services/index.ts';

const joinSchema = Joi.object<{ siret: string; confirmation?: string; justification?: string }>({
  siret: siretField,
  confirmation: Joi.string().valid('oui').optional(),
  justification: Joi.string().trim().allow('').max(2000).optional().meta(multiline),
});

const REFUSALS = {
  unknown_siret:
    'Ce SIRET ne figure pas dans le répertoire SIRENE. Vérifiez-le sur annuaire-entreprises.data.gouv.fr, par exemple 13002526500013',
  closed: 'Cet établissement est fermé : saisissez le SIRET d’un établissement ouvert de votre organisation',
  not_eligible:
    'Votre organisation n’est pas une administration : décrivez sa mission de service public pour que le support l’examine',
} as const;

/** "Mes organisations": list with statuses, choosing the current one, joining another one. */
export function organisationRoutes(services: Services): Router {
  const router = Router();

  router.get('/organisations', async (req, res) => {
    const notice = req.session.notice;
    delete req.session.notice;
    res.render('organisations/index', {
      organisations: await services.organisations.organisationsOf(currentUserOf(res).id),
      current: req.session.organisationId,
      notice,
    });
  });
  router.post('/organisations/courante', async (req, res, next) => {
    const id = String((req.body as { organisation?: string }).organisation ?? '');
    const mine = await services.organisations.organisationsOf(currentUserOf(res).id);
    const chosen = mine.find((o) => o.id === id && o.status === 'active');
    if (!chosen) return next();
    req.session.organisationId = chosen.id;
    req.session.notice = `Vous travaillez maintenant pour ${chosen.name}.`;
    res.redirect(303, '/organisations');
  });

  router.get('/organisations/rejoindre', async (req, res) => {
    const check = typeof req.query.siret === 'string' ? checkSiret(req.query.siret) : undefined;
    const found = check?.ok ? await services.eligibility.check(check.siret) : undefined;
    res.render('organisations/rejoindre', {
      values: check?.ok ? { siret: check.siret } : {},
      found,
      lookedUp: Boolean(found),
      fieldErrors: {},
    });
  });
  router.post('/organisations/rejoindre', async (req, res) => {
    const user = currentUserOf(res);
    if ((req.body as { action?: string }).action === 'prolonger') {
      await keepSessionAlive(req);
      const check = checkSiret(String((req.body as { siret?: string }).siret ?? ''));
      const found = check.ok ? await services.eligibility.check(check.siret) : undefined;
      return res.render('organisations/rejoindre', {
        values: req.body as object,
        found,
        lookedUp: Boolean(found),
        fieldErrors: {},
        notice: SESSION_EXTENDED,
      });
    }
    const { value, errors, fieldErrors } = validateForm(joinSchema, req.body);
    const found = errors.length ? undefined : await services.eligibility.check(value.siret);
    const context = { values: req.body as object, found, lookedUp: !errors.length };
    if (!errors.length && found && value.confirmation !== 'oui') {
      errors.push({ field: 'confirmation', message: 'Confirmez que vous travaillez pour cette organisation' });
    }
    if (errors.length)
      return res.status(422).render('organisations/rejoindre', {
        ...context,
        errors,
        fieldErrors: { ...fieldErrors, ...Object.fromEntries(errors.map((e) => [e.field, e.message])) },
      });
    const outcome = await services.organisations.joinNow(user, value.siret, value.justification || null);
    if (outcome.kind === 'refused') {
      const field = outcome.reason === 'not_eligible' ? 'justification' : 'siret';
      const message = REFUSALS[outcome.reason];
      return res.status(422).render('organisations/rejoindre', {
        ...context,
        errors: [{ field, message }],
        fieldErrors: { [field]: message },
      });
    }
    req.session.notice = {
      joined: `Vous avez rejoint ${outcome.organisation.name}.`,
      pending: `Votre demande pour rejoindre ${outcome.organisation.name} est transmise au support, qui vous répondra par courriel.`,
      already_member: `Vous êtes déjà membre de ${outcome.organisation.name}.`,
      already_pending: `Votre demande pour rejoindre ${outcome.organisation.name} est déjà en cours d’examen par le support.`,
    }[outcome.kind];
    if (outcome.kind === 'joined') req.session.organisationId ??= outcome.organisation.id;
    res.redirect(303, '/organisations');
  });
  return router;
}
