import type { Knex } from 'knex';

export type StashRow = { idHash: string; path: string; userId: string; payload: Buffer; expiresAt: Date };

/** Keeps a stash (the latest one wins for the same pre-auth id and path) and purges every expired stash. */
export async function upsertStash(db: Knex, row: StashRow): Promise<void> {
  await db('form_stashes').where('expires_at', '<=', db.fn.now()).delete();
  await db('form_stashes')
    .insert({
      id_hash: row.idHash,
      path: row.path,
      user_id: row.userId,
      payload: row.payload,
      expires_at: row.expiresAt,
    })
    .onConflict(['id_hash', 'path'])
    .merge(['user_id', 'payload', 'expires_at', 'created_at']);
}

/**
 * Takes a stash once, atomically: only the user who made it, only before it expires. Expired stashes of the same
 * pre-auth id are purged on the way.
 */
export async function takeStash(db: Knex, idHash: string, userId: string, path: string): Promise<Buffer | undefined> {
  await db('form_stashes').where({ id_hash: idHash }).where('expires_at', '<=', db.fn.now()).delete();
  const rows = (await db('form_stashes')
    .where({ id_hash: idHash, user_id: userId, path })
    .where('expires_at', '>', db.fn.now())
    .delete()
    .returning('payload')) as { payload: Buffer }[];
  return rows[0]?.payload;
}
