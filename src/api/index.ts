import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { IntrospectionService } from '../services/introspection.ts';
import { introspectionRoutes } from './introspection.ts';
import { isDatabaseUnavailable } from '../db/knex.ts';

import type { ApiError } from './errors.ts';

export type { ApiError };

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
 * The JSON API (`/api`), its own router mounted before sessions, CSRF and HTML views: its callers are programs with a
 * token, not browsers with a session: the gateway's token introspection (`/api/v1/introspection`). Any other address
 * answers a JSON 404, every error a JSON body.
 */
export function createApi(config: Config, logger: Logger, introspection: IntrospectionService): Router {
  // A router rather than an app of its own: a mounted app costs every request a change of prototypes.
  const api = Router();
  const headers: Record<string, string> = {
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    ...(config.baseUrl.protocol === 'https:'
      ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' }
      : {}),
  };
  api.use((_req, res, next) => {
    res.set(headers);
    next();
  });
  api.use(express.json({ limit: '10kb' }));
  api.use(express.urlencoded({ extended: false, limit: '10kb', parameterLimit: 20 }));
  api.use(introspectionRoutes(introspection, config.introspectionClients, logger));
  api.use(notFound);
  api.use(errors(logger));
  return api;
}
