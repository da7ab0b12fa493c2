import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../config.ts';
import { isStaff } from '../domain/staff.ts';
import type { User } from '../repositories/users.ts';
import type { AccountService } from '../services/accounts.ts';
import { HttpError } from './http-error.ts';
import { userReadWithSession } from './session.ts';

export const ABSOLUTE_SESSION_MS = 12 * 3600_000;
/** How long a staff member has to type the second factor after the password. */
export const SECOND_FACTOR_WAIT_MS = 10 * 60_000;

/** Where a signed-in applicant lands when not on the way to another page: their requests. */
export const HOME_PATH = '/demandes';
/** Where a user who holds an authorization lands after signing in. */
export const DASHBOARD_PATH = '/tableau-de-bord';

export function currentUserOf(res: Response): User {
  const user = res.locals.user;
  if (!user) throw new HttpError(404, 'Utilisateur absent');
  return user;
}

/**
 * Loads the signed-in user into `res.locals.user`. Ends the session after the absolute limit; applies the user's
 * own idle timeout to the rolling cookie. Pages of signed-in users are never cached.
 */
export function loadCurrentUser(accounts: AccountService, config: Config): RequestHandler {
  return async (req, res, next) => {
    const { userId, authAt } = req.session;
    res.locals.awaitingSecondFactor = awaitingSecondFactor(req) !== undefined;
    if (!userId) return next();
    const user =
      authAt && Date.now() - authAt < ABSOLUTE_SESSION_MS ? await sessionUser(req, userId, accounts) : undefined;
    if (!user || !user.activatedAt) {
      delete req.session.userId;
      delete req.session.authAt;
      req.session.notice = 'Votre session a expiré : connectez-vous à nouveau.';
      return next();
    }
    // A staff session without its second factor (opened before it was required everywhere) is not signed in.
    if (isStaff(user) && req.session.mfa !== true) {
      delete req.session.userId;
      delete req.session.authAt;
      Object.assign(req.session, { pendingUserId: user.id, pendingAt: authAt });
      res.locals.awaitingSecondFactor = awaitingSecondFactor(req) !== undefined;
      return next();
    }
    req.session.cookie.maxAge = (user.sessionIdleMinutes ?? config.sessionIdleMinutes) * 60_000;
    res.locals.user = user;
    res.locals.sessionExpiresAt = new Date(Date.now() + req.session.cookie.maxAge);
    res.set('Cache-Control', 'no-store');
    next();
  };
}

/** The session's user: the one read with the session when it is that user (the usual case), otherwise looked up. */
async function sessionUser(req: Request, userId: string, accounts: AccountService): Promise<User | undefined> {
  const read = userReadWithSession(req);
  return read && read.id === String(userId) ? read : accounts.findUser(userId);
}

/** Only a same-site path may be a destination after sign-in (no open redirect). */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\'))
    return undefined;
  return /^\/[\w\-./?=&%À-ÿ]*$/.test(value) ? value : undefined;
}

function rememberDestination(req: Request): void {
  if (req.method === 'GET') req.session.returnTo = safeReturnPath(req.originalUrl);
}

/** The staff member of this session who typed their password and has still to pass the second factor, if any. */
export function awaitingSecondFactor(req: Request): string | undefined {
  const { pendingUserId, pendingAt } = req.session;
  return pendingUserId && pendingAt && Date.now() - pendingAt < SECOND_FACTOR_WAIT_MS ? pendingUserId : undefined;
}

/** Where a visitor who is not signed in goes: the sign-in page, or the code page when the password was typed. */
function toSignIn(req: Request, res: Response): void {
  rememberDestination(req);
  res.redirect(303, awaitingSecondFactor(req) ? SECOND_FACTOR_PATH : '/connexion');
}

/** Signed-in users only; others go to the sign-in page (or the second factor) and come back here afterwards. */
export const requireUser: RequestHandler = (req, res, next) => {
  if (res.locals.user) return next();
  toSignIn(req, res);
};

/** Users with a role; others get a 404 (the page's existence is not revealed). */
export function requireRole(...roles: string[]): RequestHandler {
  return (req, res, next) => {
    const user = res.locals.user;
    if (!user) return toSignIn(req, res);
    if (!roles.some((role) => user.roles.includes(role))) return next(new HttpError(404, 'Page réservée'));
    next();
  };
}

export const SECOND_FACTOR_PATH = '/compte/double-authentification';

/**
 * Staff pages: a second line of defence, since a staff session is only signed in once the second factor is
 * passed (sign-in keeps it pending until then). Place after requireRole.
 */
export const requireSecondFactor: RequestHandler = (req, res, next) => {
  const user = res.locals.user;
  if (!user) return toSignIn(req, res);
  if (!isStaff(user) || req.session.mfa === true) return next();
  rememberDestination(req);
  res.redirect(303, SECOND_FACTOR_PATH);
};

export const RECENT_AUTH_PATH = '/compte/confirmer-mot-de-passe';
export const RECENT_AUTH_MS = 15 * 60_000;

/**
 * Sensitive actions (email change, API tokens) need the password typed less than `maxAgeMs` ago, at sign-in
 * or on the confirmation page; otherwise 303 to that page, which comes back to the page asked for (for a POST, the
 * page of the form: what was typed is not kept).
 */
export function requireRecentAuth(maxAgeMs = RECENT_AUTH_MS): RequestHandler {
  return (req, res, next) => {
    if (!res.locals.user) return toSignIn(req, res);
    const last = Math.max(req.session.authAt ?? 0, req.session.reauthAt ?? 0);
    if (Date.now() - last < maxAgeMs) return next();
    const back = safeReturnPath(req.method === 'GET' ? req.originalUrl : req.originalUrl.split('?')[0]) ?? '/compte';
    res.redirect(303, `${RECENT_AUTH_PATH}?retour=${encodeURIComponent(back)}`);
  };
}
