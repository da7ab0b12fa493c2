import { Router } from 'express';
import { checkSiret } from '../../domain/siret.ts';
import { eligibilitySchema, type EligibilityForm } from '../../forms/eligibility.ts';
import { validateForm } from '../../forms/validation.ts';
import { renderPageOrFragment } from '../../middleware/htmx.ts';
import type { Services } from '../../services/index.ts';

const views = { page: 'public/eligibilite', fragment: 'partials/eligibilite-siret' };

/**
 * "Vérifier l'éligibilité": the pattern every form follows. Without JS, the form posts, gets 422 with an error
 * summary or a 303 to the result. With htmx, the field posts itself on change and the same handler answers with the
 * server-rendered field group (422 when invalid) plus a message for the live region.
 */
export function eligibilityRoutes(services: Services): Router {
  const router = Router();
  router.get('/eligibilite', (_req, res) => {
    res.render(views.page, { values: {} });
  });
  router.post('/eligibilite', (req, res) => {
    const values = { siret: String((req.body as Partial<EligibilityForm>).siret ?? '') };
    const { value, errors, fieldErrors } = validateForm(eligibilitySchema, values);
    if (res.locals.isHtmx) {
      return renderPageOrFragment(
        res,
        views,
        { values, fieldErrors, checked: errors.length === 0 },
        errors.length ? 422 : 200,
      );
    }
    if (errors.length > 0) return renderPageOrFragment(res, views, { values, errors, fieldErrors }, 422);
    res.vary('HX-Request').redirect(303, `/eligibilite/${value.siret}`);
  });
  router.get('/eligibilite/:siret', async (req, res, next) => {
    const check = checkSiret(req.params.siret);
    if (!check.ok || check.siret !== req.params.siret) return next();
    res.render('public/eligibilite-resultat', {
      siret: check.siret,
      result: await services.eligibility.check(check.siret),
    });
  });
  return router;
}
