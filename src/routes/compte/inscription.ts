import { Router, type Response } from 'express';
import { checkSiret } from '../../domain/siret.ts';
import { signUpSchema, type SignUpForm } from '../../forms/accounts.ts';
import { inFormOrder, validateForm, type FieldError } from '../../forms/validation.ts';
import { normaliseEmail } from '../../domain/email.ts';
import { renderPageOrFragment } from '../../middleware/htmx.ts';
import { consume, type RateLimits } from '../../middleware/rate-limit.ts';
import type { Services } from '../../services/index.ts';
import type { EligibilityResult } from '../../services/eligibility.ts';

const views = { page: 'compte/inscription', fragment: 'partials/inscription-organisation' };
const MISSION_MIN = 20;
/** The fields in the order of the page: the organisation first, then the person. */
const FORM_ORDER = [
  'siret',
  'confirmation',
  'mission',
  'justification',
  'givenName',
  'familyName',
  'email',
  'password',
];

/** What the SIRET points to, and the errors that stop a sign-up there (unknown, closed, not confirmed, not eligible). */
function organisationErrors(
  form: Partial<SignUpForm>,
  found: EligibilityResult,
  siretError: string | undefined,
): FieldError[] {
  if (siretError) return [];
  if (!found)
    return [
      {
        field: 'siret',
        message:
          'Ce SIRET ne figure pas dans le répertoire SIRENE. Vérifiez-le sur annuaire-entreprises.data.gouv.fr, par exemple 13002526500013',
      },
    ];
  if (!found.eligibility.eligible && found.eligibility.reason === 'closed') {
    return [
      {
        field: 'siret',
        message: 'Cet établissement est fermé : saisissez le SIRET d’un établissement ouvert de votre organisation',
      },
    ];
  }
  const errors: FieldError[] = [];
  if (form.confirmation !== 'oui')
    errors.push({ field: 'confirmation', message: 'Confirmez que vous travaillez pour cette organisation' });
  if (!found.eligibility.eligible) {
    if (form.mission !== 'oui')
      errors.push({
        field: 'mission',
        message:
          'Votre organisation n’est pas une administration : cochez la case si elle est chargée d’une mission de service public',
      });
    else if ((form.justification ?? '').length < MISSION_MIN) {
      errors.push({
        field: 'justification',
        message: `Décrivez la mission de service public de votre organisation en ${MISSION_MIN} caractères au moins, par exemple le texte qui vous la confie`,
      });
    }
  }
  return errors;
}

/** Sign-up: identity, password and the organisation's SIRET, looked up and confirmed before the account exists. */
/** « Rechercher l’organisation »: only the SIRET is checked, the rest of the form comes back as typed. */
function lookUp(
  res: Response,
  context: Record<string, unknown>,
  errors: FieldError[],
  fieldErrors: Record<string, string>,
  found: EligibilityResult | undefined,
) {
  const siretErrors = [
    ...errors.filter((e) => e.field === 'siret'),
    ...organisationErrors(
      { confirmation: 'oui', mission: 'oui', justification: 'x'.repeat(MISSION_MIN) },
      found,
      fieldErrors.siret,
    ),
  ];
  const shown = {
    ...context,
    errors: res.locals.isHtmx ? undefined : siretErrors,
    fieldErrors: Object.fromEntries(siretErrors.map((e) => [e.field, e.message])),
  };
  return renderPageOrFragment(res, views, shown, siretErrors.length ? 422 : 200);
}

export function signUpRoutes(services: Services, limits: RateLimits): Router {
  const router = Router();
  router.get('/inscription', async (req, res) => {
    // Coming back from the name search with a SIRET: look it up straight away.
    const check = typeof req.query.siret === 'string' ? checkSiret(req.query.siret) : undefined;
    const found = check?.ok ? await services.eligibility.check(check.siret) : undefined;
    res.render(views.page, { values: check?.ok ? { siret: check.siret } : {}, found, fieldErrors: {} });
  });

  router.post('/inscription', async (req, res) => {
    const body = req.body as Record<string, string>;
    const lookupOnly = body.action === 'rechercher';
    const { value, errors, fieldErrors } = validateForm(signUpSchema, body);
    const siretCheck = checkSiret(String(body.siret ?? ''));
    const found = siretCheck.ok ? await services.eligibility.check(siretCheck.siret) : undefined;
    const values = { ...body, password: '' };
    const context = { values, found, lookedUp: siretCheck.ok };
    if (lookupOnly) return lookUp(res, context, errors, fieldErrors, found);
    const passwordProblem = services.accounts.passwordProblem(value.password ?? '', [
      value.email ?? '',
      value.givenName ?? '',
      value.familyName ?? '',
    ]);
    const all = inFormOrder(
      [
        ...errors,
        ...organisationErrors(value, found, fieldErrors.siret),
        ...(passwordProblem ? [{ field: 'password', message: passwordProblem }] : []),
      ],
      FORM_ORDER,
    );
    if (all.length > 0) {
      return res.status(422).render(views.page, {
        ...context,
        errors: all,
        fieldErrors: Object.fromEntries(all.map((e) => [e.field, e.message])),
      });
    }
    await consume(limits.emailsByAccount, `inscription:${normaliseEmail(value.email)}`);
    await services.accounts.signUp({
      email: value.email,
      givenName: value.givenName,
      familyName: value.familyName,
      password: value.password,
      siret: value.siret,
      missionJustification: value.mission === 'oui' ? (value.justification ?? null) : null,
    });
    res.redirect(303, '/inscription/confirmation');
  });

  router.get('/inscription/confirmation', (_req, res) => res.render('compte/inscription-confirmation'));
  return router;
}
