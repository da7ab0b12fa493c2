import type { Knex } from 'knex';
import { INSTRUCTION_STATUSES } from '../domain/instruction-list.ts';
import type { RequestStatus } from '../domain/request-states.ts';
import { REQUEST_COLUMNS, type AccessRequest } from './requests.ts';

/** A request as instruction reads it: the applicant's request plus who submitted it, where from, and who took it. */
export type InstructedRequest = AccessRequest & {
  siret: string;
  submittedAt: Date;
  createdAt: Date;
  applicant: { id: string; email: string; givenName: string; familyName: string; phone: string | null };
  assignedTo: string | null;
  assigneeName: string | null;
  /** A renewal: the authorization it renews, and that one's title. */
  renewsAuthorizationId: string | null;
  renewsTitle: string | null;
};

type Row = AccessRequest & {
  siret: string;
  submittedAt: Date;
  createdAt: Date;
  applicantId: string;
  applicantEmail: string;
  applicantGivenName: string;
  applicantFamilyName: string;
  applicantPhone: string | null;
  assignedTo: string | null;
  assigneeName: string | null;
  renewsAuthorizationId: string | null;
  renewsTitle: string | null;
};

/** A request instruction may see (submitted at least once, not withdrawn as a draft), or undefined (a 404). */
export async function findInstructedRequest(db: Knex, id: string): Promise<InstructedRequest | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const row = (await db('access_requests as r')
    .join('organisations as o', 'o.id', 'r.organisation_id')
    .join('use_cases as uc', 'uc.id', 'r.use_case_id')
    .join('users as a', 'a.id', 'r.created_by')
    .leftJoin('users as u', 'u.id', 'r.updated_by')
    .leftJoin('users as i', 'i.id', 'r.assigned_to')
    .leftJoin('authorizations as renewed', 'renewed.id', 'r.renews_authorization_id')
    .where('r.id', id)
    .whereIn('r.status', INSTRUCTION_STATUSES)
    .whereNotNull('r.submitted_at')
    .first(
      ...REQUEST_COLUMNS,
      'o.siret',
      'r.submitted_at as submittedAt',
      'r.created_at as createdAt',
      'r.assigned_to as assignedTo',
      'r.renews_authorization_id as renewsAuthorizationId',
      'renewed.title as renewsTitle',
      'a.id as applicantId',
      'a.email as applicantEmail',
      'a.given_name as applicantGivenName',
      'a.family_name as applicantFamilyName',
      'a.phone as applicantPhone',
      db.raw(`u.given_name || ' ' || u.family_name as "updatedByName"`),
      db.raw(`i.given_name || ' ' || i.family_name as "assigneeName"`),
    )) as Row | undefined;
  if (!row) return undefined;
  const { applicantId, applicantEmail, applicantGivenName, applicantFamilyName, applicantPhone, ...request } = row;
  return {
    ...request,
    applicant: {
      id: applicantId,
      email: applicantEmail,
      givenName: applicantGivenName,
      familyName: applicantFamilyName,
      phone: applicantPhone,
    },
  };
}

export type TimelineEvent = {
  id: string;
  kind: string;
  createdAt: Date;
  userId: string | null;
  userName: string | null;
  /** Staff, or a member of the organisation: the timeline says which side acted. */
  staff: boolean;
  details: Record<string, unknown>;
};

/**
 * The history of a request, oldest first: every change of state and assignment with who and when. Autosaves are not
 * in it (one row per save would bury the decisions); the answers kept with each submission are left in the database.
 */
export async function requestTimeline(db: Knex, requestId: string): Promise<TimelineEvent[]> {
  const rows = (await db('request_events as e')
    .leftJoin('users as u', 'u.id', 'e.user_id')
    .where('e.request_id', requestId)
    .whereNot('e.kind', 'saved')
    .orderBy('e.id')
    .select(
      'e.id',
      'e.kind',
      'e.user_id as userId',
      'e.created_at as createdAt',
      db.raw(`(e.details - 'answers') as details`),
      db.raw(`u.given_name || ' ' || u.family_name as "userName"`),
      db.raw(`coalesce(u.roles && array['instructor','reporter','admin']::text[], false) as staff`),
    )) as TimelineEvent[];
  return rows;
}

/** The answers as they were at the last two submissions (newest first): what « what changed » compares. */
export async function lastSubmissions(
  db: Knex,
  requestId: string,
): Promise<{ createdAt: Date; answers: Record<string, Record<string, unknown>> }[]> {
  return (await db('request_events')
    .where({ request_id: requestId, kind: 'submitted' })
    .whereRaw("(details -> 'answers') IS NOT NULL")
    .orderBy('id', 'desc')
    .limit(2)
    .select('created_at as createdAt', db.raw(`details -> 'answers' as answers`))) as {
    createdAt: Date;
    answers: Record<string, Record<string, unknown>>;
  }[];
}

export type SiblingRequest = { id: string; title: string | null; status: RequestStatus; submittedAt: Date | null };

/** The organisation's other requests that instruction sees, newest first. */
export async function otherRequestsOf(db: Knex, organisationId: string, exceptId: string): Promise<SiblingRequest[]> {
  return (await db('access_requests')
    .where({ organisation_id: organisationId })
    .whereNot({ id: exceptId })
    .whereIn('status', INSTRUCTION_STATUSES)
    .whereNotNull('submitted_at')
    .orderBy('submitted_at', 'desc')
    .limit(50)
    .select('id', 'title', 'status', 'submitted_at as submittedAt')) as SiblingRequest[];
}

export type StaffMember = { id: string; name: string; email: string };

/** Activated instructors, who can be given a request. */
export async function activeInstructors(db: Knex): Promise<StaffMember[]> {
  return (await db('users')
    .whereRaw("'instructor' = ANY(roles)")
    .whereNotNull('activated_at')
    .orderBy(['family_name', 'given_name'])
    .select('id', 'email', db.raw(`given_name || ' ' || family_name as name`))) as StaffMember[];
}

/** Who a request is assigned to, under the row lock the caller holds. */
export async function setAssignee(db: Knex, requestId: string, userId: string | null): Promise<void> {
  await db('access_requests').where({ id: requestId }).update({ assigned_to: userId });
}

/** Who hears of a request's decisions: its applicant (who created it) and the instructor who took it, if any. */
export async function requestRecipients(
  db: Knex,
  requestId: string,
): Promise<{ applicant: { email: string; givenName: string }; assigneeEmail: string | null }> {
  const row = (await db('access_requests as r')
    .join('users as a', 'a.id', 'r.created_by')
    .leftJoin('users as i', 'i.id', 'r.assigned_to')
    .where('r.id', requestId)
    .first('a.email', 'a.given_name as givenName', 'i.email as assigneeEmail')) as {
    email: string;
    givenName: string;
    assigneeEmail: string | null;
  };
  return { applicant: { email: row.email, givenName: row.givenName }, assigneeEmail: row.assigneeEmail };
}

export type DecisionEvent = { kind: string; createdAt: Date; reason?: string; flagged?: Record<string, string[]> };

/** The latest decision on a request (changes asked, validated, refused, revoked, archived), with its reason: what applicants read. */
export async function latestDecision(db: Knex, requestId: string): Promise<DecisionEvent | undefined> {
  const row = (await db('request_events')
    .where({ request_id: requestId })
    .whereIn('kind', ['changes_requested', 'validated', 'refused', 'revoked', 'archived'])
    .orderBy('id', 'desc')
    .first('kind', 'created_at as createdAt', 'details')) as
    { kind: string; createdAt: Date; details: { reason?: string; flagged?: Record<string, string[]> } } | undefined;
  return row && { kind: row.kind, createdAt: row.createdAt, reason: row.details.reason, flagged: row.details.flagged };
}
