import type { Knex } from 'knex';
import { compiledQuery } from '../db/compiled-query.ts';
import { userColumns, type User } from './users.ts';

/**
 * Ends every session of a user, except `keepSid` (the current one) when given, including those waiting for the second
 * factor (the password typed, the code not yet). Returns how many ended.
 */
export async function destroyUserSessions(db: Knex, userId: string, keepSid?: string): Promise<number> {
  const query = db('session').where((w) =>
    w
      .whereRaw("(sess ->> 'userId') = ?", [String(userId)])
      .orWhereRaw("(sess ->> 'pendingUserId') = ?", [String(userId)]),
  );
  if (keepSid) query.whereNot('sid', keepSid);
  return query.del();
}

export async function userSessions(
  db: Knex,
  userId: string,
): Promise<{ sid: string; expire: Date; authAt: number | null; userAgent: string | null }[]> {
  const rows = (await db('session')
    .whereRaw("(sess ->> 'userId') = ?", [String(userId)])
    .where('expire', '>', db.fn.now())
    .orderBy('expire', 'desc')
    .select(
      'sid',
      'expire',
      db.raw('(sess ->> \'authAt\')::bigint as "authAt"'),
      db.raw('sess ->> \'userAgent\' as "userAgent"'),
    )) as { sid: string; expire: Date; authAt: number | null; userAgent: string | null }[];
  // bigint comes back as a string from pg
  return rows.map((row) => ({ ...row, authAt: row.authAt === null ? null : Number(row.authAt) }));
}

type Row = { sess: unknown; id: string | null } & Omit<User, 'id'>;

/** The session's `userId` as the users' key, or null when it has none (or one that is not a key). */
const SESSION_USER_ID = `CASE WHEN s.sess->>'userId' ~ '^[0-9]{1,18}$' THEN (s.sess->>'userId')::bigint END`;

const sessionRow = compiledQuery<[string, number], Row>('session-with-user', (db, sid, nowSeconds) =>
  db('session as s')
    .leftJoin('users as u', (join) => join.on('u.id', '=', db.raw(SESSION_USER_ID)))
    .where('s.sid', sid)
    .where('s.expire', '>=', db.raw('to_timestamp(?)', [nowSeconds]))
    .select('s.sess', ...userColumns('u'))
    .limit(1),
);

/**
 * A session that has not expired, as the session store reads it (connect-pg-simple's `get`: same table, same test of
 * expiry; `sess` as stored), with the user it names read in the same statement: one round trip for both.
 */
export async function sessionWithUser(
  db: Knex,
  sid: string,
  now = new Date(),
): Promise<{ sess: unknown; user: User | null } | undefined> {
  const row = (await sessionRow(db, sid, Math.ceil(now.getTime() / 1000)))[0];
  if (!row) return undefined;
  const { sess, id, ...user } = row;
  return { sess, user: id ? { id, ...user } : null };
}
