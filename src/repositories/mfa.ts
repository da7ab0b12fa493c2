import type { Knex } from 'knex';

export type TotpRow = { sealedSecret: Buffer | null; enabledAt: Date | null; lastStep: number | null };

export async function totpOf(db: Knex, userId: string): Promise<TotpRow | undefined> {
  const row = (await db('users').where({ id: userId }).first('totp_secret', 'totp_enabled_at', 'totp_last_step')) as
    { totp_secret: Buffer | null; totp_enabled_at: Date | null; totp_last_step: string | null } | undefined;
  if (!row) return undefined;
  return {
    sealedSecret: row.totp_secret,
    enabledAt: row.totp_enabled_at,
    lastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
  };
}

/**
 * Stores a secret waiting for its first code, unless one is already stored (two tabs then show the same secret);
 * `replace` overwrites an unreadable pending one. Never touches a confirmed enrolment.
 */
export async function storePendingSecret(
  db: Knex,
  userId: string,
  sealedSecret: Buffer,
  replace: boolean,
): Promise<void> {
  const query = db('users').where({ id: userId }).whereNull('totp_enabled_at');
  if (!replace) query.whereNull('totp_secret');
  await query.update({ totp_secret: sealedSecret, totp_last_step: null });
}

/**
 * Records `step` as the last accepted one, only if it is later than the stored one: of two requests racing with the
 * same code, one wins. `enable` also marks the enrolment confirmed. False when the step was already used.
 */
export async function acceptStep(db: Knex, userId: string, step: number, enable: boolean): Promise<boolean> {
  const changes: Record<string, unknown> = { totp_last_step: step, updated_at: db.fn.now() };
  if (enable) changes.totp_enabled_at = db.fn.now();
  const count = await db('users')
    .where({ id: userId })
    .andWhere((q) => q.whereNull('totp_last_step').orWhere('totp_last_step', '<', step))
    .update(changes);
  return count === 1;
}
