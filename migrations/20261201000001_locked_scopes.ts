import type { Knex } from 'knex';

// A use case's scope can be locked ticked (`locked`: in the use case's scopes and disabled in the form, as DataPass's
// « Socle de base » does), besides locked off (`disabled`).
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE use_case_scopes DROP CONSTRAINT use_case_scopes_mode');
  await knex.raw(
    "ALTER TABLE use_case_scopes ADD CONSTRAINT use_case_scopes_mode CHECK (mode IN ('preticked','included','locked','disabled','hidden'))",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex('use_case_scopes').where({ mode: 'locked' }).update({ mode: 'disabled' });
  await knex.raw('ALTER TABLE use_case_scopes DROP CONSTRAINT use_case_scopes_mode');
  await knex.raw(
    "ALTER TABLE use_case_scopes ADD CONSTRAINT use_case_scopes_mode CHECK (mode IN ('preticked','included','disabled','hidden'))",
  );
}
