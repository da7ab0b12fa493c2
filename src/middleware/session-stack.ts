import { parse } from 'cookie';
import { Router, type Request, type RequestHandler } from 'express';

/**
 * What a page that knows its visitor needs, in order: the form body, the session, the CSRF token, the signed-in user
 * and what the views show of them. `always` runs it (once per request, however many routers ask for it);
 * `ifPresent` runs it only when the browser holds a session cookie, for the pages anyone reads.
 */
export type SessionStack = { always: RequestHandler; ifPresent: RequestHandler };

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** A page served without a session has no form to protect: asking it for a CSRF token is a mistake of ours. */
function noSessionToken(): never {
  throw new Error('Cette page est servie sans session : elle ne peut pas contenir de formulaire protégé.');
}

function hasCookie(req: Request, name: string): boolean {
  const header = req.headers.cookie;
  return header !== undefined && header.includes(name) && parse(header)[name] !== undefined;
}

export function sessionStack(cookieName: string, parts: RequestHandler[]): SessionStack {
  const router = Router();
  router.use(...parts);
  const done = new WeakSet<Request>();
  const always: RequestHandler = (req, res, next) => {
    if (done.has(req)) return next();
    done.add(req);
    router(req, res, next);
  };
  /**
   * A visitor whose browser holds no session cookie reads the page as anyone: no session is made, no store read, no
   * user looked up, no cookie set. With a cookie, the whole stack runs (the header shows who is signed in). Anything
   * but a read runs it too: a form sent without a session is refused by the CSRF check as usual.
   */
  const ifPresent: RequestHandler = (req, res, next) => {
    if (done.has(req) || !SAFE_METHODS.has(req.method) || hasCookie(req, cookieName)) return always(req, res, next);
    res.locals.csrfToken = noSessionToken;
    next();
  };
  return { always, ifPresent };
}
