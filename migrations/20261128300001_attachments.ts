import type { Knex } from 'knex';

// Attachments of a request (PDF of the legal framework). The file lives on disk under `storage_key` (a random UUID,
// in UPLOAD_DIR, outside the web root); the name the user gave it is metadata only, never a path.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('attachments', (t) => {
    t.bigIncrements('id');
    t.bigInteger('request_id').notNullable().references('id').inTable('access_requests').onDelete('CASCADE');
    t.uuid('storage_key').notNullable().unique();
    t.text('original_name').notNullable();
    t.integer('size').notNullable();
    t.string('media_type', 100).notNullable();
    t.string('sha256', 64).notNullable();
    t.bigInteger('uploaded_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['request_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('attachments');
}
