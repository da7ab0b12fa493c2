import type { Knex } from 'knex';
import type { ScanStatus } from '../domain/attachments.ts';
import type { RequestStatus } from '../domain/request-states.ts';
import { enqueue } from '../db/job-queue.ts';

export type Attachment = {
  id: string;
  requestId: string;
  storageKey: string;
  originalName: string;
  size: number;
  mediaType: string;
  sha256: string;
  uploadedBy: string | null;
  createdAt: Date;
  /** Antivirus: `pending` until scanned, then `safe` or `infected` (`scanDetail`: the virus); `unscanned` without clamd. */
  scanStatus: ScanStatus;
  scannedAt: Date | null;
  scanDetail: string | null;
};

const COLUMNS = [
  'id',
  'request_id as requestId',
  'storage_key as storageKey',
  'original_name as originalName',
  'size',
  'media_type as mediaType',
  'sha256',
  'uploaded_by as uploadedBy',
  'created_at as createdAt',
  'scan_status as scanStatus',
  'scanned_at as scannedAt',
  'scan_detail as scanDetail',
];

/** Attempts of one scan before graphile-worker gives up; the periodic sweep queues it again (no file left pending after a clamd outage). */
export const MAX_SCAN_ATTEMPTS = 10;

export async function attachmentsOf(db: Knex, requestId: string): Promise<Attachment[]> {
  return db('attachments').where({ request_id: requestId }).orderBy('id').select(COLUMNS);
}

/** Every attachment row of the request, infected ones included (they hold one of the six places until removed). */
export async function countAttachments(db: Knex, requestId: string): Promise<number> {
  const row = (await db('attachments').where({ request_id: requestId }).count({ n: '*' }).first()) as {
    n: string | number;
  };
  return Number(row.n);
}

/** The attachments that can stand for the legal text: all but those found infected. */
export async function countUsableAttachments(db: Knex, requestId: string): Promise<number> {
  const row = (await db('attachments')
    .where({ request_id: requestId })
    .whereNot({ scan_status: 'infected' })
    .count({ n: '*' })
    .first()) as { n: string | number };
  return Number(row.n);
}

/** One attachment, only when it belongs to `requestId` (an id from another request is not found). */
export async function findAttachment(db: Knex, requestId: string, id: string): Promise<Attachment | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return db('attachments').where({ id, request_id: requestId }).first(COLUMNS);
}

/** The request's status, its row locked until the end of the transaction: attachments are added one at a time. */
export async function lockRequestStatus(db: Knex, requestId: string): Promise<RequestStatus | undefined> {
  const row = (await db('access_requests').where({ id: requestId }).forUpdate().first('status')) as
    { status: RequestStatus } | undefined;
  return row?.status;
}

export type NewAttachment = Omit<Attachment, 'id' | 'createdAt' | 'scannedAt' | 'scanDetail' | 'scanStatus'> & {
  scanStatus: 'pending' | 'unscanned';
};

export async function insertAttachment(db: Knex, input: NewAttachment): Promise<string> {
  const [row] = (await db('attachments')
    .insert({
      request_id: input.requestId,
      storage_key: input.storageKey,
      original_name: input.originalName,
      size: input.size,
      media_type: input.mediaType,
      sha256: input.sha256,
      uploaded_by: input.uploadedBy,
      scan_status: input.scanStatus,
    })
    .returning('id')) as { id: string }[];
  return (row as { id: string }).id;
}

export async function deleteAttachment(db: Knex, requestId: string, id: string): Promise<Attachment | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const [row] = (await db('attachments')
    .where({ id, request_id: requestId })
    .delete()
    .returning(COLUMNS)) as Attachment[];
  return row;
}

/**
 * Queues the antivirus scan of an attachment, in `trx`: the job exists if and only if the row does. One job per
 * attachment (`job_key`): queueing again replaces a waiting job (its attempts start over) rather than adding one.
 */
export async function queueScan(trx: Knex, id: string): Promise<void> {
  await enqueue(trx, 'scan_attachment', { attachmentId: id }, { jobKey: `scan:${id}`, maxAttempts: MAX_SCAN_ATTEMPTS });
}

/** An attachment by its id alone (the scan job), whatever its request. */
export async function attachmentById(db: Knex, id: string): Promise<Attachment | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return db('attachments').where({ id }).first(COLUMNS);
}

/** Records a scan's outcome, once: only a `pending` row changes. Returns whether it did. */
export async function recordScan(
  db: Knex,
  id: string,
  outcome: { status: 'safe' | 'infected' | 'unscanned'; detail?: string },
): Promise<boolean> {
  const changed = await db('attachments')
    .where({ id, scan_status: 'pending' })
    .update({
      scan_status: outcome.status,
      scan_detail: outcome.detail ?? null,
      scanned_at: outcome.status === 'unscanned' ? null : db.fn.now(),
    });
  return changed > 0;
}

/** Attachments still `pending` although uploaded before `before`: their scan failed for too long, or was lost. */
export async function stalePendingAttachments(db: Knex, before: Date, limit = 500): Promise<string[]> {
  const rows = (await db('attachments')
    .where({ scan_status: 'pending' })
    .where('created_at', '<', before)
    .orderBy('id')
    .limit(limit)
    .select('id')) as { id: string }[];
  return rows.map((r) => r.id);
}
