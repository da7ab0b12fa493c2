import { parse } from 'cookie';
import type { Request, RequestHandler } from 'express';
import type { Config } from '../config.ts';
import { findStep, type StepDefinition } from '../forms/steps/index.ts';
import { STASH_LIFETIME_MS, type StashedValues } from '../services/form-stashes.ts';
import type { Services } from '../services/index.ts';
import { ABSOLUTE_SESSION_MS, awaitingSecondFactor } from './auth.ts';
import { originAllowed, sameToken } from './csrf.ts';

/** The hidden field of step forms that says, without the session, whom the form was served to. */
export const TICKET_FIELD = '_jeton_reprise';
/** Besides the step's own fields, what a restored form needs to save as the user expected (conflicts, return). */
const EXTRA_FIELDS = ['version', 'base', 'retour'];
const SECRET_FIELD = /^_|pass|mot.?de.?passe|token|jeton|secret/i;
const STEP_PATH = /^\/demandes\/(\d{1,18})\/([a-z-]+)\/?$/;

export const EXPIRED_NOTICE =
  'Votre session a expiré : connectez-vous à nouveau. Votre dernière action n’a pas été effectuée.';
const EXPIRED_PROBLEM = 'votre session a expiré. Connectez-vous à nouveau : ce que vous avez saisi sera conservé.';
const STALE_PROBLEM =
  'vous vous êtes reconnecté dans un autre onglet. La page va être rechargée avec ce que vous avez saisi.';
export const KEPT_NOTICE =
  'Votre session a expiré : connectez-vous à nouveau. Ce que vous veniez de saisir n’est pas perdu : vous le retrouverez à l’étape où vous étiez, pour le vérifier puis l’enregistrer.';

/** The pre-auth cookie: `__Host-` whenever the service is served over HTTPS, like the session cookie. */
export function stashCookieName(config: Config): string {
  return config.baseUrl.protocol === 'https:' ? '__Host-signup-reprise' : 'signup-reprise';
}

function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  return header === undefined ? undefined : parse(header)[name];
}

function signedIn(req: Request): boolean {
  const { userId, authAt } = req.session;
  return Boolean(userId && authAt && Date.now() - authAt < ABSOLUTE_SESSION_MS);
}

/** Same-origin by the Fetch metadata (when the browser sends it) and by the Origin header. */
function sameOrigin(req: Request, baseOrigin: string): boolean {
  const site = req.get('Sec-Fetch-Site');
  return (site === undefined || site === 'same-origin') && originAllowed(req, baseOrigin);
}

/** The step a POST saves, when it is a wizard step save: never submission, archiving, copying or anything else. */
function stepSave(req: Request): { path: string; step: StepDefinition } | undefined {
  const match = STEP_PATH.exec(req.path);
  const step = match ? findStep(match[2]!) : undefined;
  return match && step ? { path: `/demandes/${match[1]}/${step.slug}`, step } : undefined;
}

/** The step's fields and what saving needs; never the CSRF token, the ticket, nor anything that looks like a secret. */
export function stashableValues(step: StepDefinition, body: Record<string, unknown>): StashedValues {
  const names = [...step.fields.map((f) => f.name), ...EXTRA_FIELDS].filter((name) => !SECRET_FIELD.test(name));
  const values: StashedValues = {};
  for (const name of names) {
    const value = body[name];
    if (typeof value === 'string') values[name] = value;
    else if (Array.isArray(value)) values[name] = value.filter((item): item is string => typeof item === 'string');
  }
  return values;
}

function tokenMatches(req: Request): boolean {
  const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('X-CSRF-Token');
  const expected = req.session.csrfToken;
  return typeof sent === 'string' && Boolean(expected) && sameToken(sent, expected!);
}

/**
 * Placed before the CSRF check, for same-origin POSTs under /demandes whose session is no longer the one that served
 * the form (cross-origin ones are left to the CSRF check, which refuses them). Nothing they ask is done.
 * - No one signed in (the session expired while the page was open): the sign-in page instead of a 403 page; htmx
 *   requests get 401 with `HX-Redirect` (htmx then loads that page).
 * - Signed in again meanwhile (in another tab), so the form's CSRF token is stale: back to the step.
 * When the POST saves a wizard step and carries a valid ticket for that user, its values are stashed for that user
 * only (ADR 0009), and the step shows them back once the user is signed in.
 */
export function expiredSessionPosts(services: Services, config: Config): RequestHandler {
  const cookieName = stashCookieName(config);
  const secure = config.baseUrl.protocol === 'https:';
  return async (req, res, next) => {
    if (req.method !== 'POST' || !req.path.startsWith('/demandes/') || !sameOrigin(req, config.baseUrl.origin))
      return next();
    if (awaitingSecondFactor(req)) return next(); // not signed in yet: the route sends it to the code page
    const active = signedIn(req);
    if (active && tokenMatches(req)) return next(); // the usual case: the session that served the form
    const target = stepSave(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const userId =
      target && req.is('application/x-www-form-urlencoded')
        ? services.formStashes.ticketUser(body[TICKET_FIELD], body._csrf)
        : undefined;
    const keep = target && userId && (!active || userId === req.session.userId) ? target : undefined;
    if (active && !keep) return next();
    if (keep) {
      const existing = readCookie(req, cookieName);
      const id = services.formStashes.isId(existing) ? existing : services.formStashes.newId();
      await services.formStashes.keep(id, userId!, keep.path, stashableValues(keep.step, body));
      res.cookie(cookieName, id, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: STASH_LIFETIME_MS });
    }
    res.set('Cache-Control', 'no-store').vary('HX-Request');
    const destination = active ? keep!.path : '/connexion';
    if (!active) {
      delete req.session.userId; // past the 12-hour limit: signed out here rather than on the next page
      delete req.session.authAt;
      if (keep) req.session.returnTo = keep.path;
      req.session.notice = keep ? KEPT_NOTICE : EXPIRED_NOTICE;
    }
    if (!res.locals.isHtmx) return res.redirect(303, destination);
    res
      .status(active ? 403 : 401)
      .set('HX-Redirect', destination)
      .render('partials/autosave', { problem: active ? STALE_PROBLEM : EXPIRED_PROBLEM });
  };
}

/**
 * After the user is loaded: step forms get a ticket (`stashTicket()` in templates), and the pre-auth id of a stash
 * waiting in this browser is handed to the step page (`res.locals.stashId`).
 */
export function formStashLocals(services: Services, config: Config): RequestHandler {
  const cookieName = stashCookieName(config);
  return (req, res, next) => {
    const user = res.locals.user;
    if (!user) return next();
    const csrfToken = res.locals.csrfToken!;
    res.locals.stashTicket = () => services.formStashes.ticket(user.id, csrfToken());
    const id = readCookie(req, cookieName);
    if (services.formStashes.isId(id)) res.locals.stashId = id;
    next();
  };
}
