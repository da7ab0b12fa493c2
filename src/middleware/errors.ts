import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isDatabaseUnavailable } from '../db/knex.ts';
import { HttpError } from './http-error.ts';

type ErrorView = { status: number; view: string; headers?: Record<string, string>; reason?: string };

/** The errors of body-parser and of our own parsers, by their `type`: a body that is not what a form sends. */
const BODY_ERRORS: Record<string, number> = {
  'charset.unsupported': 415,
  'encoding.unsupported': 415,
  'entity.too.large': 413,
  'parameters.too.many': 413,
  'entity.parse.failed': 400,
  'entity.verify.failed': 400,
  'request.aborted': 400,
  'request.size.invalid': 400,
  'stream.encoding.set': 400,
};
const VIEWS = ['400', '403', '404', '409', '413', '415', '429', '503'];

function classify(error: unknown): ErrorView {
  if (error instanceof HttpError) {
    const view = error.status === 405 ? '404' : String(error.status);
    return { status: error.status, view: VIEWS.includes(view) ? view : '500', reason: error.reason };
  }
  const { status, type } = error as { status?: number; type?: string };
  const bodyStatus = type ? BODY_ERRORS[type] : undefined;
  if (bodyStatus) return { status: bodyStatus, view: String(bodyStatus), reason: type };
  if (status === 413) return { status: 413, view: '413' };
  if (isDatabaseUnavailable(error)) return { status: 503, view: '503', headers: { 'Retry-After': '30' } };
  if (status === 400 || status === 415) return { status, view: String(status) };
  return { status: 500, view: '500' };
}

const SECRET_FIELD = /^_csrf$|pass|mot.?de.?passe|token|jeton|secret/i;

/**
 * What the user had typed in a form that failed (403, 500, 503…): shown back on the error page so that nothing is
 * lost, secrets excepted.
 */
export function submittedValues(body: unknown): { key: string; value: string }[] {
  if (!body || typeof body !== 'object') return [];
  return Object.entries(body as Record<string, unknown>)
    .filter(([key, value]) => !SECRET_FIELD.test(key) && value !== '' && value !== undefined)
    .map(([key, value]) => ({ key, value: Array.isArray(value) ? value.join(', ') : String(value) }));
}

/** Unknown URLs: the French 404 page. */
export const notFound: RequestHandler = (_req, _res, next) => {
  next(new HttpError(404, 'Page non trouvée'));
};

/**
 * Every error ends on a French page with the right status. Stack traces go to the logs with the request id,
 * never to the user, who gets the request id as an incident reference.
 */
export const errorPages: ErrorRequestHandler = (error, req, res, _next) => {
  if (res.headersSent) {
    // A late error, after the answer was written (e.g. the session store failing to save when the response ends):
    // the user already has the page. Passing it on to Express would destroy the socket and lose that page.
    req.log?.warn({ err: error }, 'error after the response was sent');
    const guard = setTimeout(() => res.writableEnded || res.destroy(), 30_000);
    guard.unref();
    return;
  }
  const { status, view, headers, reason } = classify(error);
  if (status >= 500) req.log?.error({ err: error }, 'request failed');
  else req.log?.warn({ status, reason }, (error as Error).message);
  res.status(status).set({ 'Cache-Control': 'no-store', ...headers });
  const retryAfter = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
  if (retryAfter) res.set('Retry-After', String(retryAfter));
  const message = error instanceof HttpError && status === 409 ? error.message : undefined;
  const context = {
    status,
    reason,
    message,
    retryAfterMinutes: retryAfter ? Math.ceil(retryAfter / 60) : undefined,
    incidentId: status >= 500 ? String(req.id) : undefined,
    submitted: req.method === 'POST' ? submittedValues(req.body) : [],
  };
  res.render(`errors/${view}`, context, (renderError, html) => {
    if (renderError) {
      req.log?.error({ err: renderError }, 'error page failed to render');
      res
        .type('text/plain; charset=utf-8')
        .send(`Erreur ${status}. Le service rencontre un problème, réessayez plus tard.`);
      return;
    }
    res.send(html);
  });
};
