import type { Knex } from 'knex';
import type { RequestEvent, RequestStatus } from '../domain/request-states.ts';
import { STEPS } from '../forms/steps/index.ts';
import { contactEmails } from '../forms/steps/contacts.ts';
import { requestRecipients } from '../repositories/instruction-detail.ts';
import { instructorEmails, type AccessRequest } from '../repositories/requests.ts';
import type { User } from '../repositories/users.ts';
import type { Mailer } from './emails.ts';

export type NotifyContext = {
  request: AccessRequest;
  /** The user who sent the event; none when the service itself did (an archive after months without changes). */
  actor: { user?: User };
  from: RequestStatus;
  reason?: string;
  data?: Record<string, unknown>;
};

type Notify = (mail: Mailer, trx: Knex, context: NotifyContext) => Promise<void>;

/** Each address once, whatever roles it holds on the request. */
async function mailEach(
  mail: Mailer,
  trx: Knex,
  template: string,
  emails: string[],
  context: Record<string, unknown>,
): Promise<void> {
  for (const email of new Set(emails.map((e) => e.toLowerCase()))) await mail(trx, template, email, context);
}

/** The labels of the fields an instructor flagged, step by step, for the email that asks for changes. */
function flaggedLabels(flagged: unknown): { step: string; fields: string[] }[] {
  const byStep = (flagged ?? {}) as Record<string, string[]>;
  return STEPS.filter((step) => byStep[step.slug]?.length).map((step) => ({
    step: step.title,
    fields: step.fields.filter((f) => byStep[step.slug]!.includes(f.name)).map((f) => f.label),
  }));
}

/** An applicant's decision email: to the applicant who created the request. */
function toApplicant(template: string): Notify {
  return async (mail, trx, { request, reason, data }) => {
    const { applicant } = await requestRecipients(trx, request.id);
    await mail(trx, template, applicant.email, {
      request,
      user: applicant,
      reason,
      data,
      flagged: flaggedLabels(data?.flagged),
    });
  };
}

/**
 * The emails each event sends, written in the transaction of the change (outbox rows): none is sent for a change that
 * is rolled back, and a replayed event, which writes nothing, sends nothing.
 */
export const NOTIFICATIONS: Partial<Record<RequestEvent, Notify>> = {
  async submit(mail, trx, { request, actor, from }) {
    if (!actor.user) return; // only an applicant submits (state table)
    await mail(trx, 'demande-soumise', actor.user.email, { user: actor.user, request });
    // Sent back with changes: told apart from a new request, and to the instructor who took it when there is one.
    const resubmitted = from === 'changes_requested';
    const { assigneeEmail } = await requestRecipients(trx, request.id);
    const instructors = resubmitted && assigneeEmail ? [assigneeEmail] : await instructorEmails(trx);
    await mailEach(mail, trx, resubmitted ? 'demande-modifiee' : 'nouvelle-demande', instructors, {
      request,
      applicant: actor.user,
    });
  },
  validate: toApplicant('demande-validee'),
  refuse: toApplicant('demande-refusee'),
  request_changes: toApplicant('modifications-demandees'),
  expire: toApplicant('demande-archivee'),
  async revoke(mail, trx, { request, reason }) {
    const { applicant } = await requestRecipients(trx, request.id);
    await mailEach(mail, trx, 'habilitation-revoquee', [applicant.email, ...contactEmails(request.answers)], {
      request,
      reason,
    });
  },
};
