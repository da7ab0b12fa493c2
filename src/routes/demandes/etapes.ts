import { Router, type Response } from 'express';
import Joi from 'joi';
import { STATUS_LABELS, isEditable } from '../../domain/request-states.ts';
import { findStep, STEPS } from '../../forms/steps/index.ts';
import { validateForm } from '../../forms/validation.ts';
import { currentUserOf } from '../../middleware/auth.ts';
import type { Services } from '../../services/index.ts';
import { postStep } from './etape-envoi.ts';
import { renderStep } from './etape-page.ts';
import { restoredStep } from './reprise.ts';

const newRequestSchema = Joi.object<{ useCase: string; organisation: string }>({
  useCase: Joi.string().max(100).required().messages({
    'any.required': 'Choisissez un cas d’usage, ou « Demande libre »',
    'string.empty': 'Choisissez un cas d’usage, ou « Demande libre »',
  }),
  organisation: Joi.string().pattern(/^\d+$/).required().messages({
    'any.required': 'Choisissez l’organisation pour laquelle vous faites la demande',
    'string.empty': 'Choisissez l’organisation pour laquelle vous faites la demande',
    'string.pattern.base': 'Choisissez une organisation proposée',
  }),
});

/** « Mes demandes », a new request, and the wizard's steps (one generic handler for every step defined as data). */
export function requestRoutes(services: Services): Router {
  const router = Router();

  router.get('/demandes', async (req, res) => {
    const user = currentUserOf(res);
    const notice = req.session.notice;
    delete req.session.notice;
    const requests = await services.requests.listFor(user.id);
    const unread = await services.conversation.unread(
      requests.map((r) => r.id),
      user,
      'applicant',
    );
    res.render('demandes/index', {
      requests,
      unread: Object.fromEntries(unread),
      labels: STATUS_LABELS,
      organisations: await services.organisations.organisationsOf(user.id),
      legacyDossiers: await services.legacyDossiers.ofUser(user),
      notice,
    });
  });

  const newPage = async (res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const user = currentUserOf(res);
    const organisations = (await services.organisations.organisationsOf(user.id)).filter((o) => o.status === 'active');
    res.status(status).render('demandes/nouvelle', {
      useCases: await services.catalogue.useCases(),
      organisations,
      values: {},
      fieldErrors: {},
      ...extra,
    });
  };
  // « Faire une demande » on a use case's page: that use case comes chosen.
  router.get('/demandes/nouvelle', (req, res) =>
    newPage(res, {
      values: {
        organisation: req.session.organisationId,
        useCase: typeof req.query['cas-usage'] === 'string' ? req.query['cas-usage'] : undefined,
      },
    }),
  );
  router.post('/demandes/nouvelle', async (req, res) => {
    const user = currentUserOf(res);
    const { value, errors, fieldErrors } = validateForm(newRequestSchema, req.body);
    const organisations = (await services.organisations.organisationsOf(user.id)).filter((o) => o.status === 'active');
    const useCases = await services.catalogue.useCases();
    if (!errors.length && !useCases.some((u) => u.id === value.useCase))
      errors.push({ field: 'useCase', message: 'Choisissez un cas d’usage proposé' });
    if (!errors.length && !organisations.some((o) => o.id === value.organisation))
      errors.push({ field: 'organisation', message: 'Choisissez une organisation dont vous êtes membre' });
    if (errors.length)
      return newPage(
        res,
        {
          values: req.body as object,
          errors,
          fieldErrors: { ...fieldErrors, ...Object.fromEntries(errors.map((e) => [e.field, e.message])) },
        },
        422,
      );
    const id = await services.requests.create(user.id, value.organisation, value.useCase);
    res.redirect(303, `/demandes/${id}/${STEPS[0]!.slug}`);
  });

  router.get('/demandes/:id', async (req, res, next) => {
    const request = await services.requests.find(req.params.id, currentUserOf(res).id);
    if (!request) return next();
    res.redirect(303, `/demandes/${request.id}/${isEditable(request.status) ? STEPS[0]!.slug : 'recapitulatif'}`);
  });

  router.get('/demandes/:id/:etape', async (req, res, next) => {
    const step = findStep(req.params.etape);
    const request = step && (await services.requests.find(req.params.id, currentUserOf(res).id));
    if (!step || !request) return next();
    const saved = req.session.draftSavedAt;
    const notice = req.session.notice;
    // A message for this step of this request only (« Le fichier … est joint »), shown once.
    const stepNotice =
      req.session.stepNotice?.requestId === request.id && req.session.stepNotice.step === step.slug
        ? req.session.stepNotice.text
        : undefined;
    delete req.session.draftSavedAt;
    delete req.session.notice;
    if (stepNotice) delete req.session.stepNotice;
    await renderStep(services, res, request, step, {
      saved,
      notice,
      stepNotice,
      readOnly: !isEditable(request.status),
      retour: req.query.retour === 'recapitulatif' ? 'recapitulatif' : undefined,
      ...(await restoredStep(services, res, request, step)),
    });
  });

  router.post('/demandes/:id/:etape', async (req, res, next) => {
    const user = currentUserOf(res);
    const step = findStep(req.params.etape);
    const request = step && (await services.requests.find(req.params.id, user.id));
    if (!step || !request) return next();
    await postStep(services, req, res, request, step, user);
  });
  return router;
}
