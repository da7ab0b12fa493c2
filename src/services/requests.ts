import type { Knex } from 'knex';
import { mergeAnswers, sameAnswer, type Answers } from '../domain/merge.ts';
import { isCopyable, isEditable } from '../domain/request-states.ts';
import { STEPS, type StepDefinition } from '../forms/steps/index.ts';
import { latestDecision } from '../repositories/instruction-detail.ts';
import { organisationsOfUser } from '../repositories/organisations.ts';
import {
  findRequestForMember,
  insertCopy,
  insertRequest,
  lockRequest,
  recordRequestEvent,
  requestsOfOrganisations,
  saveStep,
  type AccessRequest,
} from '../repositories/requests.ts';
import type { User } from '../repositories/users.ts';
import type { Mailer } from './emails.ts';
import { requestTransitions, type TransitionOutcome } from './request-transitions.ts';

export type SaveOutcome =
  | { kind: 'saved'; version: number; stored: Answers }
  | { kind: 'conflict'; current: AccessRequest; conflicts: string[]; merged: Answers }
  | { kind: 'locked'; current: AccessRequest };

/** Access requests as applicants see them: their organisations' requests, drafts saved step by step. */
export function requestService(db: Knex, mail: Mailer) {
  const transition = requestTransitions(mail);
  return {
    /**
     * Submits once (the transition use case: status, event, confirmation to the applicant, notice to instructors).
     * A second click or a replayed POST finds the request already submitted and changes nothing.
     */
    submit: (request: AccessRequest, user: User): Promise<TransitionOutcome> =>
      db.transaction((trx) => transition(trx, request, 'submit', { user, as: 'applicant' })),

    find: (id: string, userId: string) => findRequestForMember(db, id, userId),

    /**
     * The decision the applicant reads on the request's pages: the latest one, while it stands (changes asked are
     * gone once the request is submitted again), with the labels of the fields an instructor flagged.
     */
    async decision(request: AccessRequest) {
      if (request.status === 'draft' || request.status === 'submitted') return undefined;
      const event = await latestDecision(db, request.id);
      if (!event || event.kind !== request.status) return undefined;
      const flagged = STEPS.filter((step) => event.flagged?.[step.slug]?.length).map((step) => ({
        step,
        fields: step.fields.filter((f) => event.flagged![step.slug]!.includes(f.name)),
      }));
      return { ...event, flagged };
    },

    async listFor(userId: string): Promise<AccessRequest[]> {
      const active = (await organisationsOfUser(db, userId)).filter((o) => o.status === 'active').map((o) => o.id);
      return active.length ? requestsOfOrganisations(db, active) : [];
    },

    archive: (request: AccessRequest, user: User): Promise<TransitionOutcome> =>
      db.transaction((trx) => transition(trx, request, 'archive', { user, as: 'applicant' })),

    /** Validated or refused requests can be copied into a new draft of the same organisation. */
    async copy(request: AccessRequest, userId: string): Promise<string | undefined> {
      if (!isCopyable(request.status)) return undefined;
      return db.transaction(async (trx) => {
        const id = await insertCopy(trx, request, userId);
        await recordRequestEvent(trx, {
          requestId: id,
          userId,
          kind: 'created',
          version: 1,
          details: { copiedFrom: request.id },
        });
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

    /**
     * One step's answers, merged field by field with what others saved since the user's form was loaded (`base`):
     * changes to different fields both survive, the same field changed on both sides is a conflict the user decides.
     * The row is locked for the merge, so concurrent saves apply one after the other and none is lost.
     */
    async save(
      request: AccessRequest,
      step: StepDefinition,
      input: { version: number; base?: Answers; values: Answers },
      userId: string,
    ): Promise<SaveOutcome> {
      return db.transaction(async (trx) => {
        const row = await lockRequest(trx, request.id);
        const current = async () => (await findRequestForMember(trx, request.id, userId)) as AccessRequest;
        if (!isEditable(row.status)) return { kind: 'locked', current: await current() };
        const stored = row.answers[step.slug] ?? {};
        const base = input.base ?? (input.version === row.version ? stored : undefined);
        const { merged, conflicts } = mergeAnswers(
          step.fields.map((f) => f.name),
          base,
          stored,
          input.values,
        );
        if (conflicts.length) return { kind: 'conflict', current: await current(), conflicts, merged };
        if (step.fields.every((f) => sameAnswer(merged[f.name], stored[f.name])) && row.answers[step.slug])
          return { kind: 'saved', version: row.version, stored: merged };
        const named = step.titleField !== undefined ? merged[step.titleField] : undefined;
        const title = typeof named === 'string' ? named : undefined;
        const version = (await saveStep(trx, {
          id: request.id,
          version: row.version,
          step: step.slug,
          values: merged,
          userId,
          title,
        })) as number;
        const mergedWithOthers = step.fields.some((f) => !sameAnswer(merged[f.name], input.values[f.name]));
        await recordRequestEvent(trx, {
          requestId: request.id,
          userId,
          kind: 'saved',
          version,
          details: { step: step.slug, ...(mergedWithOthers ? { merged: true } : {}) },
        });
        return { kind: 'saved', version, stored: merged };
      });
    },
  };
}
