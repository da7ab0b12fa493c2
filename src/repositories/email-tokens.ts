import type { Knex } from 'knex';
import { TOKEN_LIFETIME_MS, type TokenPurpose } from '../domain/tokens.ts';

/** Stores a new token's hash; older unused tokens of the same purpose stop working. */
export async function storeToken(db: Knex, userId: string, purpose: TokenPurpose, hash: string): Promise<void> {
  await db('email_tokens').where({ user_id: userId, purpose }).whereNull('used_at').update({ used_at: db.fn.now() });
  await db('email_tokens').insert({
    user_id: userId, purpose, token_hash: hash, expires_at: new Date(Date.now() + TOKEN_LIFETIME_MS[purpose]),
  });
}

/** Whether a token can still be used (without using it). */
export async function tokenIsValid(db: Knex, hash: string, purpose: TokenPurpose): Promise<boolean> {
  const row = await db('email_tokens').where({ token_hash: hash, purpose }).whereNull('used_at').where('expires_at', '>', db.fn.now()).first('id');
  return row !== undefined;
}

/** Uses a token once, atomically: returns its user, or undefined when unknown, expired or already used. */
export async function consumeToken(db: Knex, hash: string, purpose: TokenPurpose): Promise<string | undefined> {
  const rows = (await db('email_tokens')
    .where({ token_hash: hash, purpose })
    .whereNull('used_at')
    .where('expires_at', '>', db.fn.now())
    .update({ used_at: db.fn.now() })
    .returning('user_id')) as { user_id: string }[];
  return rows[0]?.user_id;
}
