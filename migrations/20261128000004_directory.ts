import type { Knex } from 'knex';

// The SIRENE directory (establishments) and INSEE legal categories with their eligibility.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('legal_categories', (t) => {
    t.string('code', 4).primary();
    t.text('label').notNullable();
    t.boolean('eligible').notNullable();
  });
  await knex.schema.createTable('establishments', (t) => {
    t.string('siret', 14).primary();
    t.string('siren', 9).notNullable().index();
    t.text('name').notNullable();
    t.text('sigle');
    t.text('enseigne');
    t.string('legal_category_code', 4);
    t.string('naf', 10);
    t.text('naf_label');
    t.text('street');
    t.string('postal_code', 10);
    t.text('city');
    t.boolean('active').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw("ALTER TABLE establishments ADD CONSTRAINT establishments_siret_digits CHECK (siret ~ '^[0-9]{14}$')");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('establishments');
  await knex.schema.dropTable('legal_categories');
}
