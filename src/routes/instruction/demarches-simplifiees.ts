import { Router, type Response } from 'express';
import { DS_STATE_LABELS } from '../../domain/legacy-dossiers.ts';
import { STATUS_LABELS } from '../../domain/request-states.ts';
import { currentUserOf, requireRole } from '../../middleware/auth.ts';
import type { Services } from '../../services/index.ts';

const PATH = '/instruction/demarches-simplifiees/:numero';

/**
 * A dossier made on démarches simplifiées before 27/08/2019, as instruction reads it, and the link to the
 * authorization that replaced it (instructors only: reporters read it and change nothing).
 */
export function instructionLegacyRoutes(services: Services): Router {
  const router = Router();
  router.use(`${PATH}/habilitation`, requireRole('instructor'));

  const render = async (res: Response, number: string, extra: Record<string, unknown> = {}, status = 200) => {
    const page = await services.legacyDossiers.forInstruction(number);
    if (!page) return false;
    const viewer = currentUserOf(res);
    res.status(status).render('instruction/dossier-ds', {
      ...page,
      canLink: viewer.roles.includes('instructor'),
      labels: STATUS_LABELS,
      dsLabels: DS_STATE_LABELS,
      errorFor: {},
      typed: {},
      ...extra,
    });
    return true;
  };

  router.get(PATH, async (req, res, next) => {
    const notice = req.session.notice;
    delete req.session.notice;
    if (!(await render(res, req.params.numero, { notice }))) next();
  });

  router.post(`${PATH}/habilitation`, async (req, res, next) => {
    const typed = String((req.body as Record<string, unknown>).habilitation ?? '');
    const outcome = await services.legacyDossiers.link(currentUserOf(res), req.params.numero, typed);
    if (outcome.kind === 'not_found') return next();
    if (outcome.kind === 'invalid') {
      const error = { field: 'habilitation', message: outcome.message };
      await render(
        res,
        req.params.numero,
        { errors: [error], errorFor: { habilitation: outcome.message }, typed: { habilitation: typed } },
        422,
      );
      return;
    }
    req.session.notice = 'Le dossier est lié à l’habilitation qui l’a remplacé.';
    res.redirect(303, `/instruction/demarches-simplifiees/${req.params.numero}#remplacement`);
  });

  router.post(`${PATH}/habilitation/retirer`, async (req, res, next) => {
    const outcome = await services.legacyDossiers.unlink(currentUserOf(res), req.params.numero);
    if (outcome.kind === 'not_found') return next();
    req.session.notice = 'Le lien avec l’habilitation est retiré.';
    res.redirect(303, `/instruction/demarches-simplifiees/${req.params.numero}#remplacement`);
  });
  return router;
}
