import type { Request, Response } from 'express';
import { applyConflictChoices, normalise, parseBase, type Answers } from '../../domain/merge.ts';
import { formatPhone } from '../../domain/phone.ts';
import { CONTACT_ROLES } from '../../forms/steps/contacts.ts';
import { lenientSchema, nextStep, postedLists, type StepDefinition } from '../../forms/steps/index.ts';
import { validateForm, type FieldError } from '../../forms/validation.ts';
import { SESSION_EXTENDED_SAVED } from '../../middleware/session-expiry.ts';
import type { AccessRequest } from '../../repositories/requests.ts';
import type { User } from '../../repositories/users.ts';
import type { Services } from '../../services/index.ts';
import { renderConflict, undecidedView } from './conflit.ts';
import { renderStep } from './etape-page.ts';

const SAME_FIELD_CONFLICT =
  'Quelqu’un a modifié le même champ que vous en même temps : utilisez « Enregistrer le brouillon » pour comparer les deux versions.';

/** A step's POST as read: what was typed, what the step's rules keep, and what is wrong with it. */
type StepPost = {
  body: Record<string, unknown>;
  undecided: string[];
  action: 'autosave' | 'continue' | 'draft';
  /** « Prolonger ma session » without JavaScript: the step's input is saved as a draft, like « Enregistrer le brouillon ». */
  extending: boolean;
  kept: Answers;
  errors: FieldError[];
  fieldErrors: Record<string, string>;
  /** Every field as typed, to show the form back. */
  posted: Record<string, unknown>;
  input: { version: number; base?: Answers; values: Answers };
};

/** « C'est moi »: the signed-in user's details in one contact block. */
function fillWithUser(body: Record<string, unknown>, role: string, user: User): void {
  Object.assign(body, {
    [`${role}GivenName`]: user.givenName,
    [`${role}FamilyName`]: user.familyName,
    [`${role}Email`]: user.email,
    [`${role}Phone`]: user.phone ? formatPhone(user.phone) : '',
    [`${role}JobTitle`]: user.jobTitle ?? '',
  });
}

async function readStepPost(
  services: Services,
  req: Request,
  res: Response,
  request: AccessRequest,
  step: StepDefinition,
  user: User,
): Promise<StepPost> {
  const raw = req.body as Record<string, unknown>;
  const names = step.fields.map((f) => f.name);
  const { body, undecided } =
    raw.action === 'resoudre' ? applyConflictChoices(raw, names) : { body: { ...raw }, undecided: [] };
  if (CONTACT_ROLES.some((role) => role.key === body.moi)) fillWithUser(body, String(body.moi), user);
  const action =
    body.action === 'continuer'
      ? 'continue'
      : res.locals.isHtmx === true && body.action === 'autosave'
        ? 'autosave'
        : 'draft';
  const strict = action === 'continue';
  const validated = validateForm(strict ? step.schema : lenientSchema(step), body);
  const applied = await services.stepRules.apply(step, request, validated.value as Record<string, unknown>, strict);
  return {
    body,
    undecided,
    action,
    extending: body.action === 'prolonger',
    kept: applied.value,
    errors: [...validated.errors, ...applied.errors],
    fieldErrors: { ...validated.fieldErrors, ...Object.fromEntries(applied.errors.map((e) => [e.field, e.message])) },
    posted: Object.fromEntries(step.fields.map((f) => [f.name, body[f.name] ?? ''])),
    input: { version: Number(body.version), base: parseBase(body.base), values: applied.value },
  };
}

/** htmx's autosave: out-of-band fragments only (the form is never replaced, focus stays), 422 and 409 say why not. */
async function answerAutosave(
  services: Services,
  res: Response,
  post: StepPost,
  request: AccessRequest,
  step: StepDefinition,
  user: User,
) {
  res.vary('HX-Request');
  const { body, errors, fieldErrors } = post;
  const fieldMessages = step.fields
    .filter((f) => fieldErrors[f.name] || normalise(body[f.name]) !== '')
    .map((f) => ({ id: f.name, error: fieldErrors[f.name] }));
  if (errors.length) return res.status(422).render('partials/autosave', { problem: errors[0]!.message, fieldMessages });
  const outcome = await services.requests.save(request, step, post.input, user.id);
  if (outcome.kind !== 'saved') return res.status(409).render('partials/autosave', { problem: SAME_FIELD_CONFLICT });
  // The form stays as the user sees it: what they sent is the base of their next save.
  return res.render('partials/autosave', {
    version: outcome.version,
    base: JSON.stringify(post.kept),
    savedAt: new Date(),
    fieldMessages,
  });
}

/** « Enregistrer le brouillon » and « Continuer »: the step again with its errors (422), a conflict (409), or onwards (303). */
async function answerForm(
  services: Services,
  req: Request,
  res: Response,
  post: StepPost,
  request: AccessRequest,
  step: StepDefinition,
  user: User,
) {
  const { body, errors, fieldErrors, posted } = post;
  if (errors.length) {
    const shown = {
      values: posted,
      errors: step.summariseErrors?.(errors, posted) ?? errors,
      fieldErrors,
      version: body.version,
      base: body.base,
      retour: body.retour,
    };
    return renderStep(services, res, request, step, { ...shown, ...postedLists(step, body) }, 422);
  }
  const outcome = await services.requests.save(request, step, post.input, user.id);
  if (outcome.kind === 'locked')
    return renderConflict(services, res, { request: outcome.current, step, mine: posted, locked: true });
  if (outcome.kind === 'conflict') {
    const stored = outcome.current.answers[step.slug] ?? {};
    const { current, conflicts, merged } = outcome;
    return renderConflict(services, res, {
      request: current,
      step,
      mine: posted,
      conflicts,
      stored,
      merged,
      version: current.version,
      base: JSON.stringify(stored),
    });
  }
  const following = nextStep(step.slug);
  if (post.action === 'continue') {
    return res.redirect(
      303,
      `/demandes/${request.id}/${following && body.retour !== 'recapitulatif' ? following.slug : 'recapitulatif'}`,
    );
  }
  req.session.draftSavedAt = new Date().toISOString();
  if (post.extending) req.session.notice = SESSION_EXTENDED_SAVED;
  res.redirect(303, `/demandes/${request.id}/${step.slug}`);
}

/** A step's form posted: choices of a conflict page still undecided, an autosave, or the form's own buttons. */
export async function postStep(
  services: Services,
  req: Request,
  res: Response,
  request: AccessRequest,
  step: StepDefinition,
  user: User,
) {
  const post = await readStepPost(services, req, res, request, step, user);
  if (post.undecided.length)
    return renderConflict(
      services,
      res,
      undecidedView(req.body as Record<string, unknown>, request, step, post.undecided),
    );
  if (post.action === 'autosave') return answerAutosave(services, res, post, request, step, user);
  return answerForm(services, req, res, post, request, step, user);
}
