import { Router, type Response } from 'express';
import Joi from 'joi';
import { STATUS_LABELS, isEditable } from '../../domain/request-states.ts';
import { findStep, lenientSchema, nextStep, postedLists, STEPS, type StepDefinition } from '../../forms/steps/index.ts';
import { CONTACT_PARTS, CONTACT_ROLES } from '../../forms/steps/contacts.ts';
import { formatPhone } from '../../domain/phone.ts';
import { typedCalendarDate } from '../../domain/calendar-date.ts';
import { applyConflictChoices, normalise, parseBase } from '../../domain/merge.ts';
import { renderConflict, undecidedView } from './conflit.ts';
import type { User } from '../../repositories/users.ts';
import { validateForm } from '../../forms/validation.ts';
import { currentUserOf } from '../../middleware/auth.ts';
import type { AccessRequest } from '../../repositories/requests.ts';
import type { Services } from '../../services/index.ts';
import { restoredStep } from './reprise.ts';
import { SESSION_EXTENDED_SAVED } from '../../middleware/session-expiry.ts';

const newRequestSchema = Joi.object<{ useCase: string; organisation: string }>({
  useCase: Joi.string().max(100).required().messages({ 'any.required': 'Choisissez un cas d’usage, ou « Demande libre »', 'string.empty': 'Choisissez un cas d’usage, ou « Demande libre »' }),
  organisation: Joi.string().pattern(/^\d+$/).required().messages({ 'any.required': 'Choisissez l’organisation pour laquelle vous faites la demande', 'string.empty': 'Choisissez l’organisation pour laquelle vous faites la demande', 'string.pattern.base': 'Choisissez une organisation proposée' }),
});

async function renderStep(services: Services, res: Response, request: AccessRequest, step: StepDefinition, extra: Record<string, unknown>, status = 200) {
  const context = await services.stepRules.context(step, request);
  // a request no longer editable shows its answers read-only, as the summary does: with the labels of its choices
  if (extra.readOnly) context.choiceLabels = { [step.slug]: await services.stepRules.choiceLabels(step, request) };
  res.status(status).render('demandes/etape', {
    request, step, steps: STEPS, stepNumber: STEPS.indexOf(step) + 1, values: forDisplay(request.answers[step.slug] ?? {}), fieldErrors: {},
    contactRoles: CONTACT_ROLES, contactParts: CONTACT_PARTS, ...context, ...extra,
  });
}

/** Stored answers as people type them: phone numbers kept in E.164 shown « 01 23 45 67 89 », ISO dates « 01/03/2027 ». */
function forDisplay(answers: Record<string, unknown>): Record<string, unknown> {
  const typed = (name: string, value: unknown) => {
    if (typeof value !== 'string') return value;
    if (name.endsWith('Phone')) return formatPhone(value);
    return name.endsWith('Date') ? typedCalendarDate(value) : value;
  };
  return Object.fromEntries(Object.entries(answers).map(([name, value]) => [name, typed(name, value)]));
}

/** « C'est moi »: the signed-in user's details in one contact block. */
function fillWithUser(body: Record<string, unknown>, role: string, user: User): void {
  Object.assign(body, {
    [`${role}GivenName`]: user.givenName, [`${role}FamilyName`]: user.familyName, [`${role}Email`]: user.email,
    [`${role}Phone`]: user.phone ? formatPhone(user.phone) : '', [`${role}JobTitle`]: user.jobTitle ?? '',
  });
}

/** « Mes demandes », a new request, and the wizard's steps (one generic handler for every step defined as data). */
export function requestRoutes(services: Services): Router {
  const router = Router();

  router.get('/demandes', async (req, res) => {
    const user = currentUserOf(res);
    const notice = req.session.notice;
    delete req.session.notice;
    res.render('demandes/index', { requests: await services.requests.listFor(user.id), labels: STATUS_LABELS, organisations: await services.organisations.organisationsOf(user.id), notice });
  });

  const newPage = async (res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const user = currentUserOf(res);
    const organisations = (await services.organisations.organisationsOf(user.id)).filter((o) => o.status === 'active');
    res.status(status).render('demandes/nouvelle', { useCases: await services.catalogue.useCases(), organisations, values: {}, fieldErrors: {}, ...extra });
  };
  // « Faire une demande » on a use case's page: that use case comes chosen.
  router.get('/demandes/nouvelle', (req, res) => newPage(res, { values: { organisation: req.session.organisationId, useCase: typeof req.query['cas-usage'] === 'string' ? req.query['cas-usage'] : undefined } }));
  router.post('/demandes/nouvelle', async (req, res) => {
    const user = currentUserOf(res);
    const { value, errors, fieldErrors } = validateForm(newRequestSchema, req.body);
    const organisations = (await services.organisations.organisationsOf(user.id)).filter((o) => o.status === 'active');
    const useCases = await services.catalogue.useCases();
    if (!errors.length && !useCases.some((u) => u.id === value.useCase)) errors.push({ field: 'useCase', message: 'Choisissez un cas d’usage proposé' });
    if (!errors.length && !organisations.some((o) => o.id === value.organisation)) errors.push({ field: 'organisation', message: 'Choisissez une organisation dont vous êtes membre' });
    if (errors.length) return newPage(res, { values: req.body as object, errors, fieldErrors: { ...fieldErrors, ...Object.fromEntries(errors.map((e) => [e.field, e.message])) } }, 422);
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
    const stepNotice = req.session.stepNotice?.requestId === request.id && req.session.stepNotice.step === step.slug ? req.session.stepNotice.text : undefined;
    delete req.session.draftSavedAt;
    delete req.session.notice;
    if (stepNotice) delete req.session.stepNotice;
    await renderStep(services, res, request, step, { saved, notice, stepNotice, readOnly: !isEditable(request.status), retour: req.query.retour === 'recapitulatif' ? 'recapitulatif' : undefined, ...(await restoredStep(services, res, request, step)) });
  });

  router.post('/demandes/:id/:etape', async (req, res, next) => {
    const user = currentUserOf(res);
    const step = findStep(req.params.etape);
    const request = step && (await services.requests.find(req.params.id, user.id));
    if (!step || !request) return next();
    const resolving = (req.body as Record<string, unknown>).action === 'resoudre';
    const { body, undecided } = resolving ? applyConflictChoices(req.body as Record<string, unknown>, step.fields.map((f) => f.name)) : { body: { ...(req.body as Record<string, unknown>) }, undecided: [] };
    if (CONTACT_ROLES.some((role) => role.key === body.moi)) fillWithUser(body, String(body.moi), user);
    // « Prolonger ma session » without JavaScript: the step's input is saved as a draft, like « Enregistrer le brouillon ».
    const extending = body.action === 'prolonger';
    const strict = body.action === 'continuer';
    const autosave = res.locals.isHtmx === true && body.action === 'autosave';
    const validated = validateForm(strict ? step.schema : lenientSchema(step), body);
    const applied = await services.stepRules.apply(step, request, validated.value as Record<string, unknown>, strict);
    const errors = [...validated.errors, ...applied.errors];
    const fieldErrors = { ...validated.fieldErrors, ...Object.fromEntries(applied.errors.map((e) => [e.field, e.message])) };
    const posted = Object.fromEntries(step.fields.map((f) => [f.name, body[f.name] ?? '']));
    const input = { version: Number(body.version), base: parseBase(body.base), values: applied.value };
    if (undecided.length) return renderConflict(services, res, undecidedView(req.body as Record<string, unknown>, request, step, undecided));
    if (autosave) {
      res.vary('HX-Request');
      const fieldMessages = step.fields.filter((f) => fieldErrors[f.name] || normalise(body[f.name]) !== '').map((f) => ({ id: f.name, error: fieldErrors[f.name] }));
      if (errors.length) return res.status(422).render('partials/autosave', { problem: errors[0]!.message, fieldMessages });
      const outcome = await services.requests.save(request, step, input, user.id);
      if (outcome.kind !== 'saved') return res.status(409).render('partials/autosave', { problem: 'Quelqu’un a modifié le même champ que vous en même temps : utilisez « Enregistrer le brouillon » pour comparer les deux versions.' });
      // The form stays as the user sees it: what they sent is the base of their next save.
      return res.render('partials/autosave', { version: outcome.version, base: JSON.stringify(applied.value), savedAt: new Date(), fieldMessages });
    }
    if (errors.length) {
      const checked = postedLists(step, body);
      const summary = step.summariseErrors?.(errors, posted) ?? errors;
      return renderStep(services, res, request, step, { values: posted, errors: summary, fieldErrors, version: body.version, base: body.base, retour: body.retour, ...checked }, 422);
    }
    const outcome = await services.requests.save(request, step, input, user.id);
    if (outcome.kind === 'locked') return renderConflict(services, res, { request: outcome.current, step, mine: posted, locked: true });
    if (outcome.kind === 'conflict') {
      const stored = outcome.current.answers[step.slug] ?? {};
      return renderConflict(services, res, { request: outcome.current, step, mine: posted, conflicts: outcome.conflicts, stored, merged: outcome.merged, version: outcome.current.version, base: JSON.stringify(stored) });
    }
    const following = nextStep(step.slug);
    if (strict) return res.redirect(303, `/demandes/${request.id}/${following && body.retour !== 'recapitulatif' ? following.slug : 'recapitulatif'}`);
    req.session.draftSavedAt = new Date().toISOString();
    if (extending) req.session.notice = SESSION_EXTENDED_SAVED;
    res.redirect(303, `/demandes/${request.id}/${step.slug}`);
  });
  return router;
}
