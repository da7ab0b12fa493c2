import type { Knex } from 'knex';
import type { Queryable } from '../db/hot-path.ts';

export type ApiToken = {
  id: string;
  authorizationId: string;
  name: string;
  hint: string;
  createdAt: Date;
  createdByName: string | null;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  replacedBy: string | null;
};

const BASE_COLUMNS = [
  't.id',
  't.authorization_id as authorizationId',
  't.name',
  't.hint',
  't.created_at as createdAt',
  't.expires_at as expiresAt',
  't.last_used_at as lastUsedAt',
  't.revoked_at as revokedAt',
  't.replaced_by as replacedBy',
];

const columns = (db: Knex) => [
  ...BASE_COLUMNS,
  db.raw(`concat_ws(' ', c.given_name, c.family_name) as "createdByName"`),
];

function tokens(db: Knex) {
  return db('api_tokens as t').leftJoin('users as c', 'c.id', 't.created_by');
}

export async function insertApiToken(
  db: Knex,
  row: { authorizationId: string; name: string; hash: Buffer; hint: string; createdBy: string; expiresAt: Date },
): Promise<string> {
  const [inserted] = (await db('api_tokens')
    .insert({
      authorization_id: row.authorizationId,
      name: row.name,
      secret_hash: row.hash,
      hint: row.hint,
      created_by: row.createdBy,
      expires_at: row.expiresAt,
    })
    .returning('id')) as { id: string }[];
  return inserted!.id;
}

export async function tokensOfAuthorizations(db: Knex, authorizationIds: string[]): Promise<ApiToken[]> {
  if (!authorizationIds.length) return [];
  return (await tokens(db)
    .whereIn('t.authorization_id', authorizationIds)
    .orderBy([
      { column: 't.created_at', order: 'desc' },
      { column: 't.id', order: 'desc' },
    ])
    .select(columns(db))) as ApiToken[];
}

export async function findApiToken(db: Knex, id: string): Promise<ApiToken | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return (await tokens(db).where('t.id', id).first(columns(db))) as ApiToken | undefined;
}

/** Locks a token's row for a change (renewal, revocation): two clicks never renew it twice. */
export async function lockApiToken(db: Knex, id: string): Promise<ApiToken | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return (await db('api_tokens as t').where('t.id', id).forUpdate().first(BASE_COLUMNS)) as ApiToken | undefined;
}

export async function revokeApiToken(db: Knex, id: string, userId: string): Promise<void> {
  await db('api_tokens').where({ id }).whereNull('revoked_at').update({ revoked_at: db.fn.now(), revoked_by: userId });
}

export async function replaceApiToken(db: Knex, id: string, replacedBy: string, endsAt: Date): Promise<void> {
  await db('api_tokens').where({ id }).update({ replaced_by: replacedBy, expires_at: endsAt });
}

export type IntrospectedToken = {
  id: string;
  expiresAt: Date;
  createdAt: Date;
  revoked: boolean;
  authorizationId: string;
  authorizationStatus: string;
  authorizationExpiresAt: Date;
  scopes: string[];
  siret: string;
};

const TOKEN_BY_HASH = {
  name: 'token-by-hash',
  text: `SELECT t.id, t.expires_at AS "expiresAt", t.created_at AS "createdAt", t.revoked_at IS NOT NULL AS revoked,
           a.id AS "authorizationId", a.status AS "authorizationStatus", a.expires_at AS "authorizationExpiresAt",
           a.scopes, o.siret
         FROM api_tokens t
         JOIN authorizations a ON a.id = t.authorization_id
         JOIN organisations o ON o.id = a.organisation_id
         WHERE t.secret_hash = $1`,
};

/** The gateway's question: one indexed read by the token's hash, joined to its authorization and organisation. */
export async function tokenByHash(pool: Queryable, hash: Buffer): Promise<IntrospectedToken | undefined> {
  const result = await pool.query<IntrospectedToken>({ ...TOKEN_BY_HASH, values: [hash] });
  return result.rows[0];
}

/** Writes the last use of many tokens at once (the introspection keeps them in memory between two writes). */
export async function recordTokenUses(db: Knex, uses: Map<string, Date>): Promise<void> {
  if (!uses.size) return;
  const ids = [...uses.keys()];
  const dates = ids.map((id) => uses.get(id)!.toISOString());
  await db.raw(
    `UPDATE api_tokens t SET last_used_at = greatest(t.last_used_at, u.at)
       FROM unnest(?::bigint[], ?::timestamptz[]) AS u(id, at) WHERE t.id = u.id`,
    [ids, dates],
  );
}

/** Tokens that may need an expiry reminder at `now`: still working, expiring within `withinDays`. */
export async function tokensNearExpiry(
  db: Knex,
  now: Date,
  withinDays: number,
): Promise<{ id: string; authorizationId: string; name: string; hint: string; expiresAt: Date }[]> {
  return (await db('api_tokens')
    .whereNull('revoked_at')
    .whereNull('replaced_by')
    .where('expires_at', '>', new Date(now.getTime() - 86_400_000))
    .where('expires_at', '<=', new Date(now.getTime() + withinDays * 86_400_000))
    .orderBy('id')
    .select('id', 'authorization_id as authorizationId', 'name', 'hint', 'expires_at as expiresAt')) as {
    id: string;
    authorizationId: string;
    name: string;
    hint: string;
    expiresAt: Date;
  }[];
}

/** Records a reminder once: false when it was already sent (another run, a retry). */
export async function recordTokenReminder(db: Knex, tokenId: string, daysBefore: number): Promise<boolean> {
  const rows = (await db('token_reminders')
    .insert({ token_id: tokenId, days_before: daysBefore })
    .onConflict(['token_id', 'days_before'])
    .ignore()
    .returning('token_id')) as unknown[];
  return rows.length > 0;
}
