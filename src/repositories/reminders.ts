import type { Knex } from 'knex';
import type { ReminderRule } from '../domain/reminders.ts';

export type WaitingRequest = { id: string; version: number; updatedAt: Date };

/**
 * Requests in `rule`'s state whose last change is in the window and that were not reminded in this version, oldest
 * first (the partial index on waiting requests).
 */
export async function dueReminders(
  db: Knex,
  rule: ReminderRule,
  window: { from: Date; before: Date },
  limit: number,
): Promise<WaitingRequest[]> {
  return (await db('access_requests as r')
    .where('r.status', rule.status)
    .where('r.updated_at', '>=', window.from)
    .where('r.updated_at', '<', window.before)
    .whereNotExists(
      db('request_reminders as m')
        .whereRaw('m.request_id = r.id')
        .where('m.kind', rule.kind)
        .whereRaw('m.version = r.version'),
    )
    .orderBy('r.updated_at')
    .limit(limit)
    .select('r.id', 'r.version', 'r.updated_at as updatedAt')) as WaitingRequest[];
}

/**
 * Records the reminder of a request still in `status` at `version` (else it changed since it was found: nothing).
 * True only for the one call that wrote it: the caller sends the email in the same transaction.
 */
export async function recordReminder(
  trx: Knex,
  input: { requestId: string; rule: ReminderRule; version: number; sentAt: Date },
): Promise<boolean> {
  const result = await trx.raw(
    `INSERT INTO request_reminders (request_id, kind, version, sent_at)
     SELECT r.id, ?, r.version, ? FROM access_requests r WHERE r.id = ? AND r.status = ? AND r.version = ?
     ON CONFLICT DO NOTHING RETURNING request_id`,
    [input.rule.kind, input.sentAt, input.requestId, input.rule.status, input.version],
  );
  return (result as { rows: unknown[] }).rows.length > 0;
}

/** Requests sent back for changes whose last change is before `before`, oldest first. */
export async function requestsToArchive(db: Knex, before: Date, limit: number): Promise<WaitingRequest[]> {
  return (await db('access_requests')
    .where('status', 'changes_requested')
    .where('updated_at', '<', before)
    .orderBy('updated_at')
    .limit(limit)
    .select('id', 'version', 'updated_at as updatedAt')) as WaitingRequest[];
}
