import type { Knex } from 'knex';

// Email change (after a recent re-authentication): a confirmation link emailed to the new address; the token row keeps that address until used.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('email_tokens', (t) => {
    t.string('new_email', 254);
  });
  await knex.raw('ALTER TABLE email_tokens DROP CONSTRAINT email_tokens_purpose');
  await knex.raw(
    "ALTER TABLE email_tokens ADD CONSTRAINT email_tokens_purpose CHECK (purpose IN ('activation','reset','email_change'))",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex('email_tokens').where({ purpose: 'email_change' }).delete();
  await knex.raw('ALTER TABLE email_tokens DROP CONSTRAINT email_tokens_purpose');
  await knex.raw(
    "ALTER TABLE email_tokens ADD CONSTRAINT email_tokens_purpose CHECK (purpose IN ('activation','reset'))",
  );
  await knex.schema.alterTable('email_tokens', (t) => {
    t.dropColumn('new_email');
  });
}
