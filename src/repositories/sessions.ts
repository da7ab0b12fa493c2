import type { Knex } from 'knex';

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
