import type { Knex } from 'knex';

// Second factor of staff accounts: the TOTP secret sealed with AES-256-GCM (src/domain/sealing.ts), when its
// enrolment was confirmed, and the last accepted time step, so that a code cannot be used twice.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.binary('totp_secret');
    t.timestamp('totp_enabled_at', { useTz: true });
    t.bigInteger('totp_last_step');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('totp_secret');
    t.dropColumn('totp_enabled_at');
    t.dropColumn('totp_last_step');
  });
}
