import type { Express, RequestHandler } from 'express';
import type nunjucks from 'nunjucks';

export { createViewEnvironment, viewsDir } from '../rendering/nunjucks.ts';

/** Nunjucks as Express's view engine (autoescape on) and the locals every page uses. */
export function setUpViews(app: Express, env: nunjucks.Environment): RequestHandler {
  env.express(app);
  app.set('view engine', 'njk');
  return (req, res, next) => {
    res.locals.currentPath = req.path;
    next();
  };
}
