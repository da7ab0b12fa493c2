import type { Knex } from 'knex';
import type { RequestEvent } from '../domain/request-states.ts';
import type { AccessRequest } from '../repositories/requests.ts';
import { grantAuthorization, revokeAuthorization } from './authorization-grant.ts';
import type { Mailer } from './emails.ts';

type Effect = (trx: Knex, mail: Mailer, context: { request: AccessRequest; actorId?: string }) => Promise<void>;

/**
 * What an event does beyond the request's own row, in the same transaction as the change of state: a validation grants
 * the authorization (and its contacts' access), a revocation ends it. Written before the event's emails.
 */
export const EFFECTS: Partial<Record<RequestEvent, Effect>> = {
  validate: (trx, mail, { request, actorId }) => grantAuthorization(trx, mail, request, actorId),
  revoke: (trx, _mail, { request }) => revokeAuthorization(trx, request),
};
