import type { Knex } from 'knex';

/** Replaces the user's recovery codes with these hashes (the previous ones stop working), in the caller's transaction. */
export async function replaceRecoveryCodes(trx: Knex, userId: string, hashes: Buffer[]): Promise<void> {
  await trx('recovery_codes').where({ user_id: userId }).delete();
  await trx('recovery_codes').insert(hashes.map((hash) => ({ user_id: userId, code_hash: hash })));
}

/** Marks the unused code with this hash used; true for the one call that did it (two racing requests: one wins). */
export async function useRecoveryCode(db: Knex, userId: string, hash: Buffer): Promise<boolean> {
  const count = await db('recovery_codes')
    .where({ user_id: userId, code_hash: hash })
    .whereNull('used_at')
    .update({ used_at: db.fn.now() });
  return count === 1;
}

export type RecoveryCodesStatus = { total: number; remaining: number; createdAt: Date | null };

export async function recoveryCodesStatus(db: Knex, userId: string): Promise<RecoveryCodesStatus> {
  const row = (await db('recovery_codes')
    .where({ user_id: userId })
    .first(
      db.raw('count(*)::int as total'),
      db.raw('(count(*) FILTER (WHERE used_at IS NULL))::int as remaining'),
      db.raw('max(created_at) as "createdAt"'),
    )) as RecoveryCodesStatus | undefined;
  return row ?? { total: 0, remaining: 0, createdAt: null };
}
