import type { RequestHandler } from 'express';
import { isRegisteredPage } from '../pages/registry.ts';

/**
 * Outside production, rendering a full page from a GET route that is missing from the page registry is an error:
 * the browser suite crawls the registry, so every page must be in it. Fragments, errors and emails are exempt.
 */
export const requireRegisteredPages: RequestHandler = (req, res, next) => {
  const render = res.render.bind(res);
  res.render = ((view: string, ...rest: unknown[]) => {
    const isPage = !/^(partials|errors|emails)\//.test(view);
    if (isPage && req.method === 'GET' && req.route) {
      const routePath = `${req.baseUrl}${String(req.route.path)}`;
      if (!isRegisteredPage(routePath)) {
        throw new Error(`La page ${routePath} n’est pas dans le registre des pages (src/pages/registry.ts)`);
      }
    }
    return (render as (...args: unknown[]) => void)(view, ...rest);
  }) as typeof res.render;
  next();
};
