import type { Knex } from 'knex';

/*
 * Webhooks to API Entreprise's systems: the addresses an admin subscribes to events (the signing secret sealed, as
 * the server must read it to sign), one delivery per event and address with its JSON frozen, and every attempt.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhooks', (t) => {
    t.bigIncrements('id');
    t.text('label').notNullable();
    t.text('url').notNullable();
    t.binary('secret_sealed').notNullable();
    t.specificType('events', 'text[]').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.integer('consecutive_failures').notNullable().defaultTo(0);
    t.timestamp('disabled_at', { useTz: true });
    t.bigInteger('created_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.bigIncrements('id');
    t.bigInteger('webhook_id').notNullable().references('id').inTable('webhooks').onDelete('CASCADE');
    t.uuid('event_id').notNullable();
    t.string('event', 40).notNullable();
    t.jsonb('payload').notNullable();
    t.string('status', 12).notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('delivered_at', { useTz: true });
    t.index(['webhook_id', 'created_at']);
  });
  await knex.raw(
    "ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_status CHECK (status IN ('pending','delivered','failed'))",
  );
  await knex.schema.createTable('webhook_attempts', (t) => {
    t.bigIncrements('id');
    t.bigInteger('delivery_id').notNullable().references('id').inTable('webhook_deliveries').onDelete('CASCADE');
    t.timestamp('attempted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('http_status');
    t.integer('duration_ms').notNullable();
    t.text('error');
    t.index(['delivery_id', 'attempted_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('webhook_attempts');
  await knex.schema.dropTable('webhook_deliveries');
  await knex.schema.dropTable('webhooks');
}
