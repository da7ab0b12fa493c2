import { Router } from 'express';
import type { IntrospectionClient } from '../config.ts';
import type { Logger } from '../logger.ts';
import { gatewayCheck, type IntrospectionService } from '../services/introspection.ts';
import type { ApiError } from './errors.ts';

type OAuthError = ApiError & { error: string };

const error = (error: string, code: string, message: string): OAuthError => ({ error, erreur: { code, message } });

/**
 * `POST /api/v1/introspection` (RFC 7662): the gateway, authenticated by its own credentials, sends `token` (form or
 * JSON body) and learns whether it is active, with its scopes, expiry, SIRET (`sub`) and authorization (`client_id`).
 * Every inactive token gets the same answer, `{"active": false}`.
 */
export function introspectionRoutes(
  introspection: IntrospectionService,
  clients: readonly IntrospectionClient[],
  logger: Logger,
): Router {
  const router = Router();
  const gatewayOf = gatewayCheck(clients);
  router.post('/v1/introspection', async (req, res) => {
    const gateway = gatewayOf(req.get('Authorization'));
    if (!gateway) {
      res
        .status(401)
        .set('WWW-Authenticate', 'Basic realm="introspection", charset="UTF-8"')
        .json(
          error(
            'invalid_client',
            'passerelle_non_authentifiee',
            'Identifiants de la passerelle absents ou incorrects (HTTP Basic ou jeton porteur de la configuration).',
          ),
        );
      return;
    }
    if ('token' in req.query) {
      // An address is logged and kept by proxies: a token never travels in one.
      res
        .status(400)
        .json(
          error(
            'invalid_request',
            'jeton_dans_l_adresse',
            'Le jeton se transmet dans le corps de la requête (paramètre «\u202ftoken\u202f»), jamais dans l’adresse.',
          ),
        );
      return;
    }
    const token = (req.body as Record<string, unknown> | undefined)?.token;
    if (typeof token !== 'string' || token === '') {
      res
        .status(400)
        .json(
          error(
            'invalid_request',
            'jeton_manquant',
            'Le paramètre «\u202ftoken\u202f» est requis\u00a0: le jeton à vérifier.',
          ),
        );
      return;
    }
    const { answer, reason } = await introspection.introspect(token);
    if (reason) logger.debug({ gateway, reason }, 'inactive token introspected');
    res.json(answer);
  });
  router.all('/v1/introspection', (_req, res) => {
    res
      .status(405)
      .set('Allow', 'POST')
      .json(error('invalid_request', 'methode_non_permise', 'Seule la méthode POST est acceptée à cette adresse.'));
  });
  return router;
}
