import type { Knex } from 'knex';
import { refreshSearchText } from '../repositories/instruction.ts';
import {
  EVENTS,
  nextStatus,
  statesAfter,
  type ActorRole,
  type RequestEvent,
  type RequestStatus,
} from '../domain/request-states.ts';
import { changeStatus, lockRequest, recordRequestEvent, type AccessRequest } from '../repositories/requests.ts';
import type { User } from '../repositories/users.ts';
import type { Mailer } from './emails.ts';
import { EFFECTS } from './request-effects.ts';
import { NOTIFICATIONS } from './request-notifications.ts';

/** Who sends the event, and as what (the role is checked against the state table); the service itself has no user. */
export type Actor = { user: User; as: Exclude<ActorRole, 'system'> } | { user?: undefined; as: 'system' };

export type TransitionDetails = {
  /** Why (a refusal, a request for changes): kept on the event row and given to the emails. */
  reason?: string;
  /** The version the actor saw: a request changed since is not moved (`stale`). */
  expectedVersion?: number;
  /** Anything else worth keeping on the event row. */
  data?: Record<string, unknown>;
};

export type TransitionOutcome =
  | { kind: 'done'; from: RequestStatus; status: RequestStatus; version: number }
  /** The request already had this event (a double click, a replayed POST): nothing written. */
  | { kind: 'already'; status: RequestStatus }
  /** The table does not allow it from the current state, or not to this actor. */
  | { kind: 'refused'; status: RequestStatus }
  | { kind: 'stale'; status: RequestStatus; version: number };

/**
 * The one way a request changes state. In the caller's transaction: locks the row, reads the allowed move from the
 * state table, checks the actor's role and the version, writes the status (and the event's timestamp), the event row
 * with its reason and details, what the event does beyond the request (request-effects.ts: the authorization), and
 * the outbox rows of its emails. Idempotent: a replayed event finds the request in
 * the state it leads to and writes nothing.
 */
export function requestTransitions(mail: Mailer) {
  return async function transition(
    trx: Knex,
    request: AccessRequest,
    event: RequestEvent,
    actor: Actor,
    details: TransitionDetails = {},
  ): Promise<TransitionOutcome> {
    const row = await lockRequest(trx, request.id);
    const to = nextStatus(row.status, event);
    if (to === undefined)
      return statesAfter(event).includes(row.status)
        ? { kind: 'already', status: row.status }
        : { kind: 'refused', status: row.status };
    if (EVENTS[event].by !== actor.as) return { kind: 'refused', status: row.status };
    if (details.expectedVersion !== undefined && details.expectedVersion !== row.version)
      return { kind: 'stale', status: row.status, version: row.version };
    const version = await changeStatus(trx, {
      id: request.id,
      from: row.status,
      to,
      version: row.version,
      userId: actor.user?.id ?? null,
      stamp: EVENTS[event].stamp,
    });
    if (version === undefined) return { kind: 'stale', status: row.status, version: row.version }; // unreachable under the lock
    await recordRequestEvent(trx, {
      requestId: request.id,
      userId: actor.user?.id ?? null,
      kind: to,
      version,
      details: {
        ...details.data,
        ...(details.reason !== undefined ? { reason: details.reason } : {}),
        from: row.status,
        // What was submitted, kept as it was: instructors see what changed between two submissions.
        ...(EVENTS[event].snapshot ? { answers: row.answers } : {}),
      },
    });
    await refreshSearchText(trx, request.id); // the instructors' search follows the title the request left with
    const changed = { ...request, answers: row.answers, status: to, version };
    await EFFECTS[event]?.(trx, mail, { request: changed, actorId: actor.user?.id });
    await NOTIFICATIONS[event]?.(mail, trx, {
      request: changed,
      actor,
      from: row.status,
      reason: details.reason,
      data: details.data,
    });
    return { kind: 'done', from: row.status, status: to, version };
  };
}

export type Transition = ReturnType<typeof requestTransitions>;
