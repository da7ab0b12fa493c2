import type { Knex } from 'knex';

/*
 * After approval. An authorization freezes what was accepted (answers, scopes, documents) when a request is validated:
 * nothing edited later changes it. Its members are the users who may read it and hold its tokens (the applicant and
 * the contacts). Tokens are stored as their SHA-256 only (they carry 190 random bits: a slow hash would add nothing
 * but time on the gateway's hot path); a renewed token keeps working until `expires_at`, brought forward to the end
 * of the overlap the user chose. Invitations to contacts without an account are email links of their own purpose.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('authorizations', (t) => {
    t.bigIncrements('id');
    t.bigInteger('request_id').notNullable().unique().references('id').inTable('access_requests');
    t.bigInteger('organisation_id').notNullable().references('id').inTable('organisations');
    t.string('use_case_id', 100).notNullable().references('id').inTable('use_cases');
    t.text('title').notNullable();
    t.string('status', 20).notNullable().defaultTo('active');
    t.specificType('scopes', 'text[]').notNullable();
    t.jsonb('answers').notNullable();
    t.jsonb('documents').notNullable().defaultTo('[]');
    t.bigInteger('validated_by').references('id').inTable('users');
    t.timestamp('validated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('ended_at', { useTz: true });
    t.bigInteger('superseded_by').references('id').inTable('authorizations');
    t.index(['organisation_id', 'status']);
  });
  await knex.raw(
    "ALTER TABLE authorizations ADD CONSTRAINT authorizations_status CHECK (status IN ('active','superseded','revoked'))",
  );
  await knex.schema.createTable('authorization_members', (t) => {
    t.bigInteger('authorization_id').notNullable().references('id').inTable('authorizations').onDelete('CASCADE');
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.specificType('roles', 'text[]').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['authorization_id', 'user_id']);
    t.index(['user_id']);
  });
  await knex.schema.createTable('api_tokens', (t) => {
    t.bigIncrements('id');
    t.bigInteger('authorization_id').notNullable().references('id').inTable('authorizations').onDelete('CASCADE');
    t.text('name').notNullable();
    t.binary('secret_hash').notNullable().unique();
    t.string('hint', 12).notNullable();
    t.bigInteger('created_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.bigInteger('revoked_by').references('id').inTable('users');
    t.bigInteger('replaced_by').references('id').inTable('api_tokens');
    t.index(['authorization_id', 'created_at']);
  });
  await knex.schema.createTable('token_reminders', (t) => {
    t.bigInteger('token_id').notNullable().references('id').inTable('api_tokens').onDelete('CASCADE');
    t.integer('days_before').notNullable();
    t.timestamp('sent_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['token_id', 'days_before']);
  });
  await knex.raw('ALTER TABLE email_tokens DROP CONSTRAINT email_tokens_purpose');
  await knex.raw(
    "ALTER TABLE email_tokens ADD CONSTRAINT email_tokens_purpose CHECK (purpose IN ('activation','reset','email_change','invitation'))",
  );
  await knex.schema.alterTable('users', (t) => {
    t.timestamp('terms_accepted_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => t.dropColumn('terms_accepted_at'));
  await knex('email_tokens').where({ purpose: 'invitation' }).delete();
  await knex.raw('ALTER TABLE email_tokens DROP CONSTRAINT email_tokens_purpose');
  await knex.raw(
    "ALTER TABLE email_tokens ADD CONSTRAINT email_tokens_purpose CHECK (purpose IN ('activation','reset','email_change'))",
  );
  await knex.schema.dropTable('token_reminders');
  await knex.schema.dropTable('api_tokens');
  await knex.schema.dropTable('authorization_members');
  await knex.schema.dropTable('authorizations');
}
