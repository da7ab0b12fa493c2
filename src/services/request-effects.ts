import type { Knex } from 'knex';
import type { RequestEvent } from '../domain/request-states.ts';
import type { AccessRequest } from '../repositories/requests.ts';
import { grantAuthorization, revokeAuthorization } from './authorization-grant.ts';
import type { Mailer } from './emails.ts';
import { emitWebhook } from './webhook-outbox.ts';
import { findAuthorizationOfRequest } from '../repositories/authorizations.ts';
import { siretOfOrganisation } from '../repositories/webhooks.ts';

type Effect = (trx: Knex, mail: Mailer, context: { request: AccessRequest; actorId?: string }) => Promise<void>;

/**
 * What an event does beyond the request's own row, in the same transaction as the change of state: a validation grants
 * the authorization (and its contacts' access), a revocation ends it; each tells the webhooks. Written before the
 * event's emails.
 */
export const EFFECTS: Partial<Record<RequestEvent, Effect>> = {
  async validate(trx, mail, { request, actorId }) {
    const authorizationId = await grantAuthorization(trx, mail, request, actorId);
    await emitWebhook(trx, 'demande.validee', { ...(await facts(trx, request)), habilitation: authorizationId });
  },
  async refuse(trx, _mail, { request }) {
    await emitWebhook(trx, 'demande.refusee', await facts(trx, request));
  },
  async revoke(trx, _mail, { request }) {
    await revokeAuthorization(trx, request);
    const authorization = await findAuthorizationOfRequest(trx, request.id);
    await emitWebhook(trx, 'habilitation.revoquee', {
      ...(await facts(trx, request)),
      habilitation: authorization?.id,
    });
  },
};

/** What API Entreprise's systems are told of a request (its webhooks' `data`). */
async function facts(trx: Knex, request: AccessRequest) {
  return {
    demande: request.id,
    titre: request.title,
    cas_usage: request.useCaseId,
    siret: await siretOfOrganisation(trx, request.organisationId),
  };
}
