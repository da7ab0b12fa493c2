import type { Knex } from 'knex';

export type AuthorizationStatus = 'active' | 'superseded' | 'revoked';

export type Authorization = {
  id: string;
  requestId: string;
  organisationId: string;
  organisationName: string;
  siret: string;
  useCaseId: string;
  useCaseLabel: string;
  title: string;
  status: AuthorizationStatus;
  scopes: string[];
  answers: Record<string, Record<string, unknown>>;
  documents: FrozenDocument[];
  validatedAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
};

/** An attachment as it was when the request was accepted. */
export type FrozenDocument = { id: string; name: string; size: number; mediaType: string; sha256: string };

export const AUTHORIZATION_COLUMNS = [
  'a.id',
  'a.request_id as requestId',
  'a.organisation_id as organisationId',
  'o.name as organisationName',
  'o.siret',
  'a.use_case_id as useCaseId',
  'uc.label as useCaseLabel',
  'a.title',
  'a.status',
  'a.scopes',
  'a.answers',
  'a.documents',
  'a.validated_at as validatedAt',
  'a.expires_at as expiresAt',
  'a.ended_at as endedAt',
];

/** Authorizations with their organisation and use case (`a`, `o`, `uc`). */
export function authorizationRows(db: Knex) {
  return db('authorizations as a')
    .join('organisations as o', 'o.id', 'a.organisation_id')
    .join('use_cases as uc', 'uc.id', 'a.use_case_id');
}

export type NewAuthorization = {
  requestId: string;
  organisationId: string;
  useCaseId: string;
  title: string;
  scopes: string[];
  answers: Record<string, unknown>;
  documents: FrozenDocument[];
  validatedBy: string | null;
  expiresAt: Date;
};

/** Freezes what was accepted; undefined when the request already has its authorization (a replay). */
export async function insertAuthorization(db: Knex, row: NewAuthorization): Promise<string | undefined> {
  const rows = (await db('authorizations')
    .insert({
      request_id: row.requestId,
      organisation_id: row.organisationId,
      use_case_id: row.useCaseId,
      title: row.title,
      scopes: row.scopes,
      answers: JSON.stringify(row.answers),
      documents: JSON.stringify(row.documents),
      validated_by: row.validatedBy,
      expires_at: row.expiresAt,
    })
    .onConflict('request_id')
    .ignore()
    .returning('id')) as { id: string }[];
  return rows[0]?.id;
}

export async function addAuthorizationMember(
  db: Knex,
  authorizationId: string,
  userId: string,
  roles: string[],
): Promise<void> {
  await db('authorization_members')
    .insert({ authorization_id: authorizationId, user_id: userId, roles })
    .onConflict(['authorization_id', 'user_id'])
    .merge({ roles: db.raw('ARRAY(SELECT DISTINCT unnest(authorization_members.roles || EXCLUDED.roles))') });
}

/** The documents of a request as they are now, to freeze. */
export async function documentsToFreeze(db: Knex, requestId: string): Promise<FrozenDocument[]> {
  return (await db('attachments')
    .where({ request_id: requestId })
    .orderBy('id')
    .select('id', 'original_name as name', 'size', 'media_type as mediaType', 'sha256')) as FrozenDocument[];
}

/**
 * Who may read an authorization and hold its tokens: the active members of its organisation and the users it names
 * (the contacts invited on approval, who may belong to no organisation of theirs).
 */
function visibleTo(db: Knex, userId: string) {
  return (query: Knex.QueryBuilder) =>
    query
      .whereExists(
        db('authorization_members as m').whereRaw('m.authorization_id = a.id').where('m.user_id', userId).select(1),
      )
      .orWhereExists(
        db('memberships as ms')
          .whereRaw('ms.organisation_id = a.organisation_id')
          .where({ 'ms.user_id': userId, 'ms.status': 'active' })
          .select(1),
      );
}

export async function authorizationsOfUser(db: Knex, userId: string): Promise<Authorization[]> {
  return (await authorizationRows(db)
    .where(visibleTo(db, userId))
    .orderBy([
      { column: 'a.status', order: 'asc' },
      { column: 'a.validated_at', order: 'desc' },
    ])
    .select(AUTHORIZATION_COLUMNS)) as Authorization[];
}

export async function hasAuthorization(db: Knex, userId: string): Promise<boolean> {
  return (await db('authorizations as a').where(visibleTo(db, userId)).first('a.id')) !== undefined;
}

/** One authorization the user may see; undefined otherwise (another organisation's answers 404). */
export async function findAuthorizationForUser(
  db: Knex,
  id: string,
  userId: string,
): Promise<Authorization | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return (await authorizationRows(db).where('a.id', id).where(visibleTo(db, userId)).first(AUTHORIZATION_COLUMNS)) as
    Authorization | undefined;
}

export async function findAuthorizationById(db: Knex, id: string): Promise<Authorization | undefined> {
  return (await authorizationRows(db).where('a.id', id).first(AUTHORIZATION_COLUMNS)) as Authorization | undefined;
}

export async function findAuthorizationOfRequest(db: Knex, requestId: string): Promise<Authorization | undefined> {
  return (await authorizationRows(db).where('a.request_id', requestId).first(AUTHORIZATION_COLUMNS)) as
    Authorization | undefined;
}

/** The addresses of everyone with access to an authorization, each once: who hears of its tokens. */
export async function authorizationAudience(
  db: Knex,
  authorizationId: string,
): Promise<{ email: string; givenName: string }[]> {
  const rows = (await db
    .select('u.email', 'u.given_name as givenName')
    .from('users as u')
    .whereNotNull('u.activated_at')
    .where((q) =>
      q
        .whereIn('u.id', db('authorization_members').where({ authorization_id: authorizationId }).select('user_id'))
        .orWhereIn(
          'u.id',
          db('memberships as ms')
            .join('authorizations as a', 'a.organisation_id', 'ms.organisation_id')
            .where({ 'a.id': authorizationId, 'ms.status': 'active' })
            .select('ms.user_id'),
        ),
    )
    .orderBy('u.id')) as { email: string; givenName: string }[];
  return rows;
}

/** The people named on an authorization and what they are on it, for the dashboard. */
export async function authorizationMembers(
  db: Knex,
  authorizationIds: string[],
): Promise<{ authorizationId: string; givenName: string; familyName: string; email: string; roles: string[] }[]> {
  if (!authorizationIds.length) return [];
  return (await db('authorization_members as m')
    .join('users as u', 'u.id', 'm.user_id')
    .whereIn('m.authorization_id', authorizationIds)
    .orderBy(['m.authorization_id', 'u.family_name', 'u.id'])
    .select(
      'm.authorization_id as authorizationId',
      'u.given_name as givenName',
      'u.family_name as familyName',
      'u.email',
      'm.roles',
    )) as { authorizationId: string; givenName: string; familyName: string; email: string; roles: string[] }[];
}

/** Ends the authorization of a request (revocation): its tokens stop working with it. */
export async function endAuthorization(db: Knex, requestId: string, status: AuthorizationStatus): Promise<void> {
  await db('authorizations')
    .where({ request_id: requestId, status: 'active' })
    .update({ status, ended_at: db.fn.now() });
}
