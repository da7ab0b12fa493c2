import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { HttpError } from './http-error.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The request comes from one of our pages. No `Origin`: old browsers, the token decides. `Origin: null`: what a
 * browser sends from a page served under `Referrer-Policy: no-referrer` (a privacy setting or extension can impose
 * it); accepted only when Fetch metadata, which a page cannot forge, says the request is same-origin. A sandboxed
 * or cross-site document sending `null` is refused: its `Sec-Fetch-Site` says cross-site.
 */
export function originAllowed(req: Request, baseOrigin: string): boolean {
  const origin = req.get('Origin');
  if (origin === undefined) return true;
  if (origin === 'null') return req.get('Sec-Fetch-Site') === 'same-origin';
  return origin === baseOrigin || origin === `${req.protocol}://${req.get('Host')}`;
}

/**
 * Synchroniser-token CSRF protection. The token lives in the session and is created only when a page asks for it
 * (`csrfToken()` in templates), so visitors who never see a form get no session row. Every POST/PUT/PATCH/DELETE must
 * send it back in the `_csrf` field or the `X-CSRF-Token` header (htmx), from an allowed Origin.
 */
export function csrfProtection(baseOrigin: string): RequestHandler {
  return (req, res, next) => {
    res.locals.csrfToken = () => {
      req.session.csrfToken ??= randomBytes(32).toString('base64url');
      return req.session.csrfToken;
    };
    if (SAFE_METHODS.has(req.method)) return next();
    const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('X-CSRF-Token');
    const expected = req.session.csrfToken;
    if (typeof sent !== 'string' || !expected || !sameToken(sent, expected) || !originAllowed(req, baseOrigin)) {
      return next(new HttpError(403, 'Jeton CSRF absent ou invalide', 'csrf'));
    }
    next();
  };
}
