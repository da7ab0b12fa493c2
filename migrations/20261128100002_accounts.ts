import type { Knex } from 'knex';

// Accounts, organisations and their memberships, email tokens, moderation, audit log and rate limits.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.string('job_title', 100);
    t.string('phone', 20);
    t.integer('session_idle_minutes');
    t.string('signup_siret', 14);
    t.text('signup_mission_justification');
    t.timestamp('password_changed_at', { useTz: true });
    t.timestamp('last_sign_in_at', { useTz: true });
  });
  await knex.schema.createTable('email_tokens', (t) => {
    t.bigIncrements('id');
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('purpose', 20).notNullable();
    t.string('token_hash', 64).notNullable().unique();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['user_id', 'purpose']);
  });
  await knex.raw(
    "ALTER TABLE email_tokens ADD CONSTRAINT email_tokens_purpose CHECK (purpose IN ('activation','reset'))",
  );
  await knex.schema.createTable('organisations', (t) => {
    t.bigIncrements('id');
    t.string('siret', 14).notNullable().unique();
    t.text('name').notNullable();
    t.string('domain', 254);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('memberships', (t) => {
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.bigInteger('organisation_id').notNullable().references('id').inTable('organisations').onDelete('CASCADE');
    t.string('status', 10).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('decided_at', { useTz: true });
    t.primary(['user_id', 'organisation_id']);
    t.index(['organisation_id', 'status']);
  });
  await knex.raw(
    "ALTER TABLE memberships ADD CONSTRAINT memberships_status CHECK (status IN ('active','pending','refused'))",
  );
  await knex.schema.createTable('moderation_cases', (t) => {
    t.bigIncrements('id');
    t.string('kind', 30).notNullable();
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.bigInteger('organisation_id').notNullable().references('id').inTable('organisations').onDelete('CASCADE');
    t.text('justification');
    t.string('status', 10).notNullable().defaultTo('open');
    t.bigInteger('decided_by').references('id').inTable('users');
    t.timestamp('decided_at', { useTz: true });
    t.text('decision_note');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['status', 'created_at']);
  });
  await knex.raw(
    "ALTER TABLE moderation_cases ADD CONSTRAINT moderation_cases_status CHECK (status IN ('open','approved','refused'))",
  );
  await knex.raw(
    "ALTER TABLE moderation_cases ADD CONSTRAINT moderation_cases_kind CHECK (kind IN ('other_domain','free_mail','public_service_mission'))",
  );
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.bigInteger('actor_id').references('id').inTable('users');
    t.string('action', 60).notNullable();
    t.string('subject_type', 30).notNullable();
    t.string('subject_id', 40).notNullable();
    t.jsonb('details').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['created_at']);
  });
  // The table rate-limiter-flexible's RateLimiterPostgres expects (created here, never at request time).
  await knex.schema.createTable('rate_limits', (t) => {
    t.string('key', 255).primary();
    t.integer('points').notNullable().defaultTo(0);
    t.bigInteger('expire');
  });
  // Sessions are found by user (sign out everywhere after a password change).
  await knex.raw("CREATE INDEX session_user_id ON session (((sess ->> 'userId')))");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS session_user_id');
  for (const table of [
    'rate_limits',
    'audit_log',
    'moderation_cases',
    'memberships',
    'organisations',
    'email_tokens',
  ]) {
    await knex.schema.dropTable(table);
  }
  await knex.schema.alterTable('users', (t) => {
    t.dropColumns(
      'job_title',
      'phone',
      'session_idle_minutes',
      'signup_siret',
      'signup_mission_justification',
      'password_changed_at',
      'last_sign_in_at',
    );
  });
}
