import type { Knex } from 'knex';
import { answerChanges, shownValue } from '../domain/answer-text.ts';
import {
  DECISIONS,
  decisionsFor,
  parseDecision,
  type DecisionKind,
  type DecisionInput,
  type DecisionProblem,
} from '../domain/decisions.ts';
import { eligibilityOf } from '../domain/eligibility.ts';
import { DECISION_EVENT_KINDS, eventText } from '../domain/timeline.ts';
import { attachmentView } from '../forms/attachments.ts';
import { STEPS } from '../forms/steps/index.ts';
import { markRead, messagesOf, notesOf } from '../repositories/conversation.ts';
import { findEstablishment } from '../repositories/directory.ts';
import {
  activeInstructors,
  findInstructedRequest,
  lastSubmissions,
  otherRequestsOf,
  requestTimeline,
  type InstructedRequest,
  setAssignee,
  type TimelineEvent,
} from '../repositories/instruction-detail.ts';
import { lockRequest, recordRequestEvent } from '../repositories/requests.ts';
import type { User } from '../repositories/users.ts';
import type { AttachmentService } from './attachments.ts';
import type { Mailer } from './emails.ts';
import { requestTransitions, type TransitionOutcome } from './request-transitions.ts';
import type { StepRules } from './step-rules.ts';

export type DecisionResult =
  | { kind: 'invalid'; input: DecisionInput; problems: DecisionProblem[] }
  | { kind: 'done'; notice: string }
  /** The same decision was already recorded (a double click, a replayed POST): nothing written or sent again. */
  | { kind: 'already'; notice: string }
  /** Another decision or a change came first: nothing applied; the page says what happened. */
  | { kind: 'overtaken'; request: InstructedRequest; last?: TimelineEvent & { text: string } };

export const isInstructor = (user: User) => user.roles.includes('instructor');

/** The instruction of one request: what an instructor reads on its page, and the decisions taken there. */
export function reviewService(db: Knex, mail: Mailer, stepRules: StepRules, attachments: AttachmentService) {
  const transition = requestTransitions(mail);

  /** The latest deciding event, with who and when: what an overtaken instructor is told. */
  async function lastDecision(requestId: string) {
    const last = (await requestTimeline(db, requestId)).filter((e) => DECISION_EVENT_KINDS.includes(e.kind)).at(-1);
    return last && { ...last, text: eventText(last.kind, last.details) };
  }

  async function changesSinceLastSubmission(request: InstructedRequest) {
    const [latest, previous] = await lastSubmissions(db, request.id);
    if (!latest || !previous) return undefined;
    const labels = await stepRules.allChoiceLabels(request);
    return {
      previousAt: previous.createdAt,
      latestAt: latest.createdAt,
      fields: answerChanges(STEPS, previous.answers, latest.answers).map((change) => {
        const names =
          labels[change.step]?.[change.field] ??
          STEPS.find((s) => s.slug === change.step)?.fields.find((f) => f.name === change.field)?.choices;
        return {
          ...change,
          beforeText: shownValue(change.before, names, change.field),
          afterText: shownValue(change.after, names, change.field),
        };
      }),
    };
  }

  return {
    find: (id: string) => findInstructedRequest(db, id),

    /** Everything the request's page shows; reading it marks the applicant's messages read for this instructor. */
    async page(request: InstructedRequest, viewer: User) {
      const [establishment, others, timeline, messages, notes, files, choiceLabels, changes, instructors] =
        await Promise.all([
          findEstablishment(db, request.siret),
          otherRequestsOf(db, request.organisationId, request.id),
          requestTimeline(db, request.id),
          messagesOf(db, request.id),
          notesOf(db, request.id),
          attachments.list(request.id),
          stepRules.allChoiceLabels(request),
          changesSinceLastSubmission(request),
          activeInstructors(db),
        ]);
      await markRead(db, request.id, viewer.id);
      return {
        request,
        establishment,
        eligibility: establishment && eligibilityOf(establishment),
        others,
        timeline: timeline.map((e) => ({ ...e, text: eventText(e.kind, e.details), reason: e.details.reason })),
        messages,
        notes,
        attachments: files.map((a) => attachmentView(request.id, a, `/instruction/demandes/${request.id}`)),
        choiceLabels,
        changes,
        instructors,
        decisions: isInstructor(viewer) ? decisionsFor(request.status) : [],
        canAct: isInstructor(viewer),
        viewerId: viewer.id,
      };
    },

    /**
     * « Je prends cette demande », give it to another instructor, or release it: under the row lock, with an event in
     * the history; the instructor who is given it is emailed. Returns the notice, or the problem with what was sent.
     */
    async assign(
      request: InstructedRequest,
      body: Record<string, unknown>,
      viewer: User,
    ): Promise<{ kind: 'done'; notice: string } | { kind: 'invalid'; message: string }> {
      const action = body.action;
      const instructors = await activeInstructors(db);
      const target =
        action === 'prendre'
          ? instructors.find((i) => i.id === viewer.id)
          : action === 'donner'
            ? instructors.find((i) => i.id === body.instructeur)
            : undefined;
      if (action !== 'liberer' && !target)
        return {
          kind: 'invalid',
          message:
            action === 'donner'
              ? 'Choisissez l’instructeur à qui attribuer la demande'
              : 'Choisissez de prendre, d’attribuer ou de libérer la demande',
        };
      await db.transaction(async (trx) => {
        const row = await lockRequest(trx, request.id);
        await setAssignee(trx, request.id, target?.id ?? null);
        await recordRequestEvent(trx, {
          requestId: request.id,
          userId: viewer.id,
          kind: 'assigned',
          version: row.version,
          details: target ? { assigneeId: target.id, assigneeName: target.name, self: target.id === viewer.id } : {},
        });
        if (target && target.id !== viewer.id)
          await mail(trx, 'demande-attribuee', target.email, { request, by: viewer });
      });
      const notice = !target
        ? 'La demande est libérée : elle n’est plus attribuée.'
        : target.id === viewer.id
          ? 'Vous avez pris cette demande.'
          : `La demande est attribuée à ${target.name}, qui en est informé par courriel.`;
      return { kind: 'done', notice };
    },

    /**
     * A decision through the transition use case, in one transaction (status, event with the reason and the flagged
     * fields, outbox emails). Under the row lock, a request that another instructor decided, or that changed since the
     * confirmation page was opened, is left alone.
     */
    async decide(
      request: InstructedRequest,
      kind: DecisionKind,
      body: Record<string, unknown>,
      viewer: User,
    ): Promise<DecisionResult> {
      const { input, problems } = parseDecision(kind, body, STEPS);
      if (problems.length) return { kind: 'invalid', input, problems };
      const outcome: TransitionOutcome = await db.transaction((trx) =>
        transition(
          trx,
          request,
          DECISIONS[kind].event,
          { user: viewer, as: 'instructor' },
          {
            expectedVersion: input.version,
            ...(input.reason ? { reason: input.reason } : {}),
            ...(DECISIONS[kind].flagsFields ? { data: { flagged: input.flagged } } : {}),
          },
        ),
      );
      if (outcome.kind === 'done') return { kind: 'done', notice: DECISIONS[kind].done };
      const current = (await findInstructedRequest(db, request.id)) ?? request;
      const last = await lastDecision(request.id);
      if (outcome.kind === 'already' && last?.userId === viewer.id && current.version === input.version + 1)
        return {
          kind: 'already',
          notice: 'Cette décision était déjà enregistrée : rien n’a été envoyé une seconde fois.',
        };
      return { kind: 'overtaken', request: current, last };
    },
  };
}

export type ReviewService = ReturnType<typeof reviewService>;
