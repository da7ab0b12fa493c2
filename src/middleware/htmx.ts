import type { RequestHandler, Response } from 'express';

/** `res.locals.isHtmx` is true for htmx requests (not for boosted navigation, which expects a whole page). */
export const htmxDetection: RequestHandler = (req, res, next) => {
  res.locals.isHtmx = req.get('HX-Request') === 'true' && req.get('HX-Boosted') !== 'true';
  next();
};

/**
 * Renders the fragment for htmx and the whole page otherwise, from one handler. Caches must key on HX-Request.
 */
export function renderPageOrFragment(
  res: Response,
  views: { page: string; fragment: string },
  context: Record<string, unknown>,
  status = 200,
): void {
  res.vary('HX-Request');
  res.status(status).render(res.locals.isHtmx ? views.fragment : views.page, context);
}
