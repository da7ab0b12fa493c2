import type { Knex } from 'knex';
import { prepared } from '../db/knex.ts';
import { compiledQuery } from '../db/compiled-query.ts';
import { EDITABLE_STATUSES, type RequestStatus } from '../domain/request-states.ts';

export type AccessRequest = {
  id: string;
  organisationId: string;
  organisationName: string;
  useCaseId: string;
  useCaseLabel: string;
  status: RequestStatus;
  version: number;
  answers: Record<string, Record<string, unknown>>;
  title: string | null;
  updatedAt: Date;
  updatedByName: string | null;
};

/** A request's columns as `AccessRequest` names them (`r` the request, `o` its organisation, `uc` its use case). */
export const REQUEST_COLUMNS = [
  'r.id',
  'r.organisation_id as organisationId',
  'o.name as organisationName',
  'r.use_case_id as useCaseId',
  'uc.label as useCaseLabel',
  'r.status',
  'r.version',
  'r.answers',
  'r.title',
  'r.updated_at as updatedAt',
];

function base(db: Knex) {
  return db('access_requests as r')
    .join('organisations as o', 'o.id', 'r.organisation_id')
    .join('use_cases as uc', 'uc.id', 'r.use_case_id')
    .leftJoin('users as u', 'u.id', 'r.updated_by')
    .select(REQUEST_COLUMNS)
    .select(db.raw(`u.given_name || ' ' || u.family_name as "updatedByName"`));
}

/** A request, only when `userId` is an active member of its organisation; otherwise undefined (callers answer 404). */
const requestForMember = compiledQuery<[string, string], AccessRequest>('requests-for-member', (db, id, userId) =>
  base(db)
    .where('r.id', id)
    .whereExists(
      db('memberships as m')
        .whereRaw('m.organisation_id = r.organisation_id')
        .where({ 'm.user_id': userId, 'm.status': 'active' }),
    )
    .limit(1),
);

export async function findRequestForMember(db: Knex, id: string, userId: string): Promise<AccessRequest | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return (await requestForMember(db, id, userId))[0];
}

/** Who created a request (its applicant). */
export async function requestCreator(db: Knex, id: string): Promise<string> {
  const row = (await db('access_requests').where({ id }).first('created_by')) as { created_by: string };
  return row.created_by;
}

/** A request whatever its state and whoever asks (the worker's reminders); undefined when there is none. */
export async function findRequest(db: Knex, id: string): Promise<AccessRequest | undefined> {
  return base(db).where('r.id', id).first();
}

export async function requestsOfOrganisations(db: Knex, organisationIds: string[]): Promise<AccessRequest[]> {
  return base(db).whereIn('r.organisation_id', organisationIds).orderBy('r.updated_at', 'desc');
}

export async function insertRequest(
  db: Knex,
  input: { organisationId: string; userId: string; useCaseId: string },
): Promise<string> {
  const [row] = (await db('access_requests')
    .insert({
      organisation_id: input.organisationId,
      created_by: input.userId,
      updated_by: input.userId,
      use_case_id: input.useCaseId,
    })
    .returning('id')) as { id: string }[];
  return (row as { id: string }).id;
}

/** The row's editable state, locked until the end of the transaction so that concurrent saves merge one after the other. */
export async function lockRequest(
  db: Knex,
  id: string,
): Promise<{ status: RequestStatus; version: number; answers: Record<string, Record<string, unknown>> }> {
  return db('access_requests')
    .where({ id })
    .forUpdate()
    .first('status', 'version', 'answers')
    .options(prepared('requests-lock'));
}

/**
 * Writes one step's answers over `version` (the caller holds the row lock; the version check still guards against a
 * caller that does not): returns the new version, or undefined when the version moved or the request is not editable.
 */
export async function saveStep(
  db: Knex,
  input: { id: string; version: number; step: string; values: Record<string, unknown>; userId: string; title?: string },
): Promise<number | undefined> {
  const rows = (await db('access_requests')
    .where({ id: input.id, version: input.version })
    .whereIn('status', EDITABLE_STATUSES)
    .update({
      answers: db.raw('jsonb_set(answers, ?, ?::jsonb)', [`{${input.step}}`, JSON.stringify(input.values)]),
      version: db.raw('version + 1'),
      updated_at: db.fn.now(),
      updated_by: input.userId,
      ...(input.title !== undefined ? { title: input.title } : {}),
    })
    .returning('version')
    .options(prepared(input.title !== undefined ? 'requests-save-step-titled' : 'requests-save-step'))) as {
    version: number;
  }[];
  return rows[0]?.version;
}

export async function recordRequestEvent(
  db: Knex,
  input: {
    requestId: string;
    userId: string | null;
    kind: string;
    version: number;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await db('request_events')
    .insert({
      request_id: input.requestId,
      user_id: input.userId,
      kind: input.kind,
      version: input.version,
      details: JSON.stringify(input.details ?? {}),
    })
    .options(prepared('request-events-insert'));
}

/**
 * Moves a request from `from` to `to` over `version` (the caller holds the row lock; the guards still protect a caller
 * that does not): returns the new version, or undefined when the state or the version moved meanwhile.
 */
export async function changeStatus(
  db: Knex,
  input: {
    id: string;
    from: RequestStatus;
    to: RequestStatus;
    version: number;
    userId: string | null;
    stamp?: 'submitted_at';
  },
): Promise<number | undefined> {
  const rows = (await db('access_requests')
    .where({ id: input.id, status: input.from, version: input.version })
    .update({
      status: input.to,
      version: db.raw('version + 1'),
      updated_at: db.fn.now(),
      updated_by: input.userId,
      ...(input.stamp ? { [input.stamp]: db.fn.now() } : {}),
    })
    .returning('version')) as { version: number }[];
  return rows[0]?.version;
}

export async function instructorEmails(db: Knex): Promise<string[]> {
  const rows = (await db('users')
    .whereRaw("'instructor' = ANY(roles)")
    .whereNotNull('activated_at')
    .select('email')) as { email: string }[];
  return rows.map((r) => r.email);
}

/** A new draft with the answers of `source` (terms to accept again). */
type DraftSource = { organisationId: string; useCaseId: string; answers: Record<string, unknown> };

/** A new draft from another's answers (the terms to accept anew). */
async function insertDraftFrom(
  db: Knex,
  source: DraftSource,
  userId: string,
  extra: { title: string | null; renews_authorization_id?: string },
): Promise<string> {
  const { cgu: _terms, ...answers } = source.answers;
  const [row] = (await db('access_requests')
    .insert({
      organisation_id: source.organisationId,
      created_by: userId,
      updated_by: userId,
      use_case_id: source.useCaseId,
      answers: JSON.stringify(answers),
      ...extra,
    })
    .returning('id')) as { id: string }[];
  return (row as { id: string }).id;
}

/** A draft that renews an authorization: its accepted answers again, its title. */
export function insertRenewal(db: Knex, source: DraftSource & { id: string; title: string }, userId: string) {
  return insertDraftFrom(db, source, userId, { title: source.title, renews_authorization_id: source.id });
}

export function insertCopy(db: Knex, source: DraftSource & { title: string | null }, userId: string) {
  return insertDraftFrom(db, source, userId, {
    title: source.title ? `Copie de ${source.title}`.slice(0, 250) : null,
  });
}
