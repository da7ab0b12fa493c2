import type { Knex } from 'knex';

// The API Entreprise catalogue: scopes (data that can be requested) and use cases (cas d'usage) that preset them.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('scope_groups', (t) => {
    t.string('label', 100).primary();
    t.integer('position').notNullable();
  });
  await knex.schema.createTable('scopes', (t) => {
    t.string('id', 100).primary();
    t.text('label').notNullable();
    t.text('description');
    t.string('provider', 100).notNullable();
    t.string('group_label', 100).notNullable().references('label').inTable('scope_groups');
    t.boolean('open_data').notNullable();
    t.boolean('included_by_default').notNullable();
    t.boolean('personal_data');
    t.text('catalogue_link');
    t.string('status', 20).notNullable().defaultTo('current');
    t.integer('position').notNullable();
  });
  await knex.schema.createTable('use_cases', (t) => {
    t.string('id', 100).primary();
    t.text('label').notNullable();
    t.text('description').notNullable();
    t.boolean('startable_by_applicant').notNullable();
    t.text('legal_basis_title');
    t.text('legal_basis_url');
    t.integer('position').notNullable();
  });
  await knex.schema.createTable('use_case_scopes', (t) => {
    t.string('use_case_id', 100).notNullable().references('id').inTable('use_cases').onDelete('CASCADE');
    t.string('scope_id', 100).notNullable().references('id').inTable('scopes').onDelete('CASCADE');
    // preticked: ticked and editable; included: open data ticked and locked; disabled: shown, locked off; hidden: not shown
    t.string('mode', 20).notNullable();
    t.primary(['use_case_id', 'scope_id']);
  });
  await knex.raw(
    "ALTER TABLE use_case_scopes ADD CONSTRAINT use_case_scopes_mode CHECK (mode IN ('preticked','included','disabled','hidden'))",
  );
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['use_case_scopes', 'use_cases', 'scopes', 'scope_groups']) await knex.schema.dropTable(table);
}
