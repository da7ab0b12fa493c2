import type { Knex } from 'knex';

// Access requests (demandes d'habilitation): answers kept as JSON per step, a version for optimistic locking, and an
// event log (one row per accepted save or transition).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('access_requests', (t) => {
    t.bigIncrements('id');
    t.bigInteger('organisation_id').notNullable().references('id').inTable('organisations');
    t.bigInteger('created_by').notNullable().references('id').inTable('users');
    t.string('use_case_id', 100).notNullable().references('id').inTable('use_cases');
    t.string('status', 20).notNullable().defaultTo('draft');
    t.integer('version').notNullable().defaultTo(1);
    t.jsonb('answers').notNullable().defaultTo('{}');
    t.text('title');
    t.bigInteger('updated_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('submitted_at', { useTz: true });
    t.index(['organisation_id', 'status']);
  });
  await knex.raw(
    "ALTER TABLE access_requests ADD CONSTRAINT access_requests_status CHECK (status IN ('draft','submitted','changes_requested','validated','refused','archived','revoked'))",
  );
  await knex.schema.createTable('request_events', (t) => {
    t.bigIncrements('id');
    t.bigInteger('request_id').notNullable().references('id').inTable('access_requests').onDelete('CASCADE');
    t.bigInteger('user_id').references('id').inTable('users');
    t.string('kind', 30).notNullable();
    t.integer('version').notNullable();
    t.jsonb('details').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['request_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('request_events');
  await knex.schema.dropTable('access_requests');
}
