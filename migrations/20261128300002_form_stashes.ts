import type { Knex } from 'knex';

// What a step form posted when its session had expired (nothing typed is lost): kept one hour, encrypted, until the same user signs in
// again and sees the step with those values. Keyed by the SHA-256 of a random pre-auth id (a cookie) and the path.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('form_stashes', (t) => {
    t.string('id_hash', 64).notNullable();
    t.text('path').notNullable();
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.binary('payload').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['id_hash', 'path']);
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('form_stashes');
}
