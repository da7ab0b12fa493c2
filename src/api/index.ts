import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Logger } from '../logger.ts';
import { isDatabaseUnavailable } from '../db/knex.ts';

/** An API error, in French, as JSON: what the caller did wrong or what went wrong, never a stack trace. */
export type ApiError = { erreur: { code: string; message: string } };

const notFound: RequestHandler = (_req, res) => {
  res
    .status(404)
    .json({ erreur: { code: 'introuvable', message: 'Aucune ressource à cette adresse.' } } satisfies ApiError);
};

const errors =
  (logger: Logger): ErrorRequestHandler =>
  (error, req, res, _next) => {
    const status = (error as { status?: number }).status;
    if (isDatabaseUnavailable(error)) {
      res
        .status(503)
        .set('Retry-After', '30')
        .json({
          erreur: {
            code: 'indisponible',
            message: 'Service momentanément indisponible, réessayez dans quelques instants.',
          },
        } satisfies ApiError);
      return;
    }
    if (status !== undefined && status >= 400 && status < 500) {
      res
        .status(status)
        .json({ erreur: { code: 'requete_invalide', message: 'Requête invalide.' } } satisfies ApiError);
      return;
    }
    logger.error({ err: error, req: { method: req.method, url: req.originalUrl.split('?')[0] } }, 'api request failed');
    res
      .status(500)
      .json({ erreur: { code: 'erreur_interne', message: 'Erreur interne du service.' } } satisfies ApiError);
  };

/**
 * The JSON API (`/api`), a separate app mounted before sessions, CSRF and HTML views: its callers are programs with a
 * token, not browsers with a session. `/api/v1` has no resource yet (the tokens' introspection goes here); every
 * address answers a JSON 404, every error a JSON body.
 */
export function createApi(logger: Logger): Express {
  const api = express();
  api.disable('x-powered-by');
  api.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  api.use(express.json({ limit: '10kb' }));
  api.use(notFound);
  api.use(errors(logger));
  return api;
}
