import type { Knex } from 'knex';

/*
 * « État des endpoints »: the endpoints of API Entreprise a worker job probes (a configuration table: address, time
 * limit, expected HTTP status, slowness threshold, and the scopes that use each), the result of every probe (kept 31
 * days: availability over 24 hours and 30 days), and the incidents an admin posts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('endpoints', (t) => {
    t.string('id', 100).primary();
    t.text('label').notNullable();
    t.text('url').notNullable();
    t.integer('timeout_ms').notNullable().defaultTo(5000);
    t.integer('expected_status').notNullable().defaultTo(200);
    t.integer('slow_ms').notNullable().defaultTo(1500);
    t.integer('position').notNullable().defaultTo(0);
    t.boolean('active').notNullable().defaultTo(true);
  });
  await knex.schema.createTable('endpoint_scopes', (t) => {
    t.string('endpoint_id', 100).notNullable().references('id').inTable('endpoints').onDelete('CASCADE');
    t.string('scope_id', 100).notNullable().references('id').inTable('scopes').onDelete('CASCADE');
    t.primary(['endpoint_id', 'scope_id']);
  });
  await knex.schema.createTable('endpoint_checks', (t) => {
    t.bigIncrements('id');
    t.string('endpoint_id', 100).notNullable().references('id').inTable('endpoints').onDelete('CASCADE');
    t.timestamp('checked_at', { useTz: true }).notNullable();
    t.string('state', 10).notNullable();
    t.integer('http_status');
    t.integer('duration_ms').notNullable();
    t.text('detail');
    t.index(['endpoint_id', 'checked_at']);
  });
  await knex.raw(
    "ALTER TABLE endpoint_checks ADD CONSTRAINT endpoint_checks_state CHECK (state IN ('up','slow','down'))",
  );
  await knex.schema.createTable('incidents', (t) => {
    t.bigIncrements('id');
    t.text('title').notNullable();
    t.text('message').notNullable();
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.timestamp('ends_at', { useTz: true });
    t.bigInteger('created_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['starts_at']);
  });
  await knex.schema.createTable('incident_endpoints', (t) => {
    t.bigInteger('incident_id').notNullable().references('id').inTable('incidents').onDelete('CASCADE');
    t.string('endpoint_id', 100).notNullable().references('id').inTable('endpoints').onDelete('CASCADE');
    t.primary(['incident_id', 'endpoint_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('incident_endpoints');
  await knex.schema.dropTable('incidents');
  await knex.schema.dropTable('endpoint_checks');
  await knex.schema.dropTable('endpoint_scopes');
  await knex.schema.dropTable('endpoints');
}
