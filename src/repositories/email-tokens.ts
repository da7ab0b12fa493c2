import type { Knex } from 'knex';
import { TOKEN_LIFETIME_MS, type TokenPurpose } from '../domain/tokens.ts';

/** Stores a new token's hash; older unused tokens of the same purpose stop working. */
export async function storeToken(
  db: Knex,
  userId: string,
  purpose: TokenPurpose,
  hash: string,
  newEmail: string | null = null,
): Promise<void> {
  await db('email_tokens').where({ user_id: userId, purpose }).whereNull('used_at').update({ used_at: db.fn.now() });
  await db('email_tokens').insert({
    user_id: userId,
    purpose,
    token_hash: hash,
    new_email: newEmail,
    expires_at: new Date(Date.now() + TOKEN_LIFETIME_MS[purpose]),
  });
}

/** Whose a token still usable is (without using it). */
export async function tokenOwner(db: Knex, hash: string, purpose: TokenPurpose): Promise<string | undefined> {
  const row = (await db('email_tokens')
    .where({ token_hash: hash, purpose })
    .whereNull('used_at')
    .where('expires_at', '>', db.fn.now())
    .first('user_id')) as { user_id: string } | undefined;
  return row?.user_id;
}

/** Whether a token can still be used (without using it). */
export async function tokenIsValid(db: Knex, hash: string, purpose: TokenPurpose): Promise<boolean> {
  return (await tokenOwner(db, hash, purpose)) !== undefined;
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

/** Uses an email-change token once, atomically: its user and the address to confirm, or undefined. */
export async function consumeEmailChangeToken(
  db: Knex,
  hash: string,
): Promise<{ userId: string; newEmail: string } | undefined> {
  const rows = (await db('email_tokens')
    .where({ token_hash: hash, purpose: 'email_change' })
    .whereNull('used_at')
    .whereNotNull('new_email')
    .where('expires_at', '>', db.fn.now())
    .update({ used_at: db.fn.now() })
    .returning(['user_id', 'new_email'])) as { user_id: string; new_email: string }[];
  const row = rows[0];
  return row ? { userId: row.user_id, newEmail: row.new_email } : undefined;
}

/**
 * Ends every link of the user still waiting to be used (activation, reset, email change): after a change of password
 * or of address, or a reset, a link sent earlier (perhaps to a mailbox that is no longer theirs) must not work.
 */
export async function revokeOutstandingTokens(db: Knex, userId: string): Promise<number> {
  return db('email_tokens').where({ user_id: userId }).whereNull('used_at').update({ used_at: db.fn.now() });
}
