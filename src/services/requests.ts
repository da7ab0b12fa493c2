import { isDeepStrictEqual } from 'node:util';
import type { Knex } from 'knex';
import { isEditable } from '../domain/request-states.ts';
import type { StepDefinition } from '../forms/steps/index.ts';
import { organisationsOfUser } from '../repositories/organisations.ts';
import {
  findRequestForMember, insertCopy, insertRequest, instructorEmails, markArchived, markSubmitted, recordRequestEvent, requestsOfOrganisations, saveStep,
  type AccessRequest,
} from '../repositories/requests.ts';
import type { User } from '../repositories/users.ts';
import type { Mailer } from './emails.ts';

export type SaveOutcome = { kind: 'saved'; version: number } | { kind: 'conflict'; current: AccessRequest } | { kind: 'locked'; current: AccessRequest };

/** Access requests as applicants see them: their organisations' requests, drafts saved step by step. */
export function requestService(db: Knex, mail: Mailer) {
  return {
    /**
     * Submits once, in one transaction: status, event, confirmation to the applicant, notice to instructors.
     * A second click or a replayed POST finds the request already submitted and changes nothing.
     */
    async submit(request: AccessRequest, user: User): Promise<boolean> {
      return db.transaction(async (trx) => {
        const version = await markSubmitted(trx, request.id, user.id);
        if (version === undefined) return false;
        await recordRequestEvent(trx, { requestId: request.id, userId: user.id, kind: 'submitted', version });
        await mail(trx, 'demande-soumise', user.email, { user, request });
        for (const email of await instructorEmails(trx)) await mail(trx, 'nouvelle-demande', email, { request, applicant: user });
        return true;
      });
    },

    find: (id: string, userId: string) => findRequestForMember(db, id, userId),

    async listFor(userId: string): Promise<AccessRequest[]> {
      const active = (await organisationsOfUser(db, userId)).filter((o) => o.status === 'active').map((o) => o.id);
      return active.length ? requestsOfOrganisations(db, active) : [];
    },

    async archive(request: AccessRequest, userId: string): Promise<boolean> {
      return db.transaction(async (trx) => {
        const version = await markArchived(trx, request.id, userId);
        if (version === undefined) return false;
        await recordRequestEvent(trx, { requestId: request.id, userId, kind: 'archived', version });
        return true;
      });
    },

    /** Validated or refused requests can be copied into a new draft of the same organisation. */
    async copy(request: AccessRequest, userId: string): Promise<string | undefined> {
      if (request.status !== 'validated' && request.status !== 'refused') return undefined;
      return db.transaction(async (trx) => {
        const id = await insertCopy(trx, request, userId);
        await recordRequestEvent(trx, { requestId: id, userId, kind: 'created', version: 1, details: { copiedFrom: request.id } });
        return id;
      });
    },

    async create(userId: string, organisationId: string, useCaseId: string): Promise<string> {
      return db.transaction(async (trx) => {
        const id = await insertRequest(trx, { organisationId, userId, useCaseId });
        await recordRequestEvent(trx, { requestId: id, userId, kind: 'created', version: 1 });
        return id;
      });
    },

    /** One step's answers, written only over the version the user saw; a stale write is a conflict, never a loss. */
    async save(request: AccessRequest, step: StepDefinition, version: number, values: Record<string, unknown>, userId: string): Promise<SaveOutcome> {
      return db.transaction(async (trx) => {
        const title = step.slug === 'demarche' && typeof values.title === 'string' ? values.title : undefined;
        const saved = await saveStep(trx, { id: request.id, version, step: step.slug, values, userId, title });
        if (saved === undefined) {
          const current = (await findRequestForMember(trx, request.id, userId)) as AccessRequest;
          if (!isEditable(current.status)) return { kind: 'locked', current };
          // Same answers already stored (an autosave overtaken by the button, a replayed POST): nothing to compare.
          if (isDeepStrictEqual(current.answers[step.slug] ?? null, values)) return { kind: 'saved', version: current.version };
          return { kind: 'conflict', current };
        }
        await recordRequestEvent(trx, { requestId: request.id, userId, kind: 'saved', version: saved, details: { step: step.slug } });
        return { kind: 'saved', version: saved };
      });
    },
  };
}
