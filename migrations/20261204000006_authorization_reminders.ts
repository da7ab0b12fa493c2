import type { Knex } from 'knex';

/* Reminders to renew an authorization before it expires: one row per (authorization, threshold), written with the
   emails, so that each is sent once. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('authorization_reminders', (t) => {
    t.bigInteger('authorization_id').notNullable().references('id').inTable('authorizations').onDelete('CASCADE');
    t.integer('days_before').notNullable();
    t.timestamp('sent_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['authorization_id', 'days_before']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('authorization_reminders');
}
