import type { Knex } from 'knex';

/*
 * Recovery codes of the staff second factor: ten per account, each stored as a keyed hash (HMAC-SHA256 under a key
 * derived from SESSION_SECRET: the codes carry 50 random bits, a slow hash would add nothing but time), marked used
 * once. A new set replaces the previous one whole.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('recovery_codes', (t) => {
    t.bigIncrements('id');
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.binary('code_hash').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('used_at', { useTz: true });
    t.unique(['user_id', 'code_hash']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('recovery_codes');
}
