import type { Knex } from 'knex';

// The table connect-pg-simple expects (its table.sql), created here so that the app never runs DDL at request time.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('session', (t) => {
    t.string('sid').primary();
    t.json('sess').notNullable();
    t.timestamp('expire', { precision: 6, useTz: false }).notNullable().index('IDX_session_expire');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('session');
}
