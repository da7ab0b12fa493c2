import type { Knex } from 'knex';

// Antivirus status of each attachment (ADR 0013): `pending` until clamd has read it, then `safe` or `infected` (the
// file is deleted, the row keeps the virus name); `unscanned` when no scanner is configured (never in production).
// Files kept before this migration were never scanned: they become `unscanned`, new rows start `pending`.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('attachments', (t) => {
    t.string('scan_status', 20).notNullable().defaultTo('unscanned');
    t.timestamp('scanned_at', { useTz: true });
    t.text('scan_detail');
  });
  await knex.raw("ALTER TABLE attachments ALTER COLUMN scan_status SET DEFAULT 'pending'");
  await knex.raw(
    "ALTER TABLE attachments ADD CONSTRAINT attachments_scan_status CHECK (scan_status IN ('pending','safe','infected','unscanned'))",
  );
  await knex.raw("CREATE INDEX attachments_pending_scan ON attachments (created_at) WHERE scan_status = 'pending'");
}

export async function down(knex: Knex): Promise<void> {
  // Dropping the columns drops their constraint and index.
  await knex.schema.alterTable('attachments', (t) => t.dropColumns('scan_status', 'scanned_at', 'scan_detail'));
}
