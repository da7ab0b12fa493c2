import type { Knex } from 'knex';
import type { RequestStatus } from '../domain/request-states.ts';

export type Attachment = {
  id: string; requestId: string; storageKey: string; originalName: string; size: number; mediaType: string; sha256: string;
  uploadedBy: string | null; createdAt: Date;
};

const COLUMNS = [
  'id', 'request_id as requestId', 'storage_key as storageKey', 'original_name as originalName', 'size', 'media_type as mediaType',
  'sha256', 'uploaded_by as uploadedBy', 'created_at as createdAt',
];

export async function attachmentsOf(db: Knex, requestId: string): Promise<Attachment[]> {
  return db('attachments').where({ request_id: requestId }).orderBy('id').select(COLUMNS);
}

export async function countAttachments(db: Knex, requestId: string): Promise<number> {
  const row = (await db('attachments').where({ request_id: requestId }).count({ n: '*' }).first()) as { n: string | number };
  return Number(row.n);
}

/** One attachment, only when it belongs to `requestId` (an id from another request is not found). */
export async function findAttachment(db: Knex, requestId: string, id: string): Promise<Attachment | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return db('attachments').where({ id, request_id: requestId }).first(COLUMNS);
}

/** The request's status, its row locked until the end of the transaction: attachments are added one at a time. */
export async function lockRequestStatus(db: Knex, requestId: string): Promise<RequestStatus | undefined> {
  const row = (await db('access_requests').where({ id: requestId }).forUpdate().first('status')) as { status: RequestStatus } | undefined;
  return row?.status;
}

export async function insertAttachment(db: Knex, input: Omit<Attachment, 'id' | 'createdAt'>): Promise<string> {
  const [row] = (await db('attachments')
    .insert({
      request_id: input.requestId, storage_key: input.storageKey, original_name: input.originalName, size: input.size,
      media_type: input.mediaType, sha256: input.sha256, uploaded_by: input.uploadedBy,
    })
    .returning('id')) as { id: string }[];
  return (row as { id: string }).id;
}

export async function deleteAttachment(db: Knex, requestId: string, id: string): Promise<Attachment | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const [row] = (await db('attachments').where({ id, request_id: requestId }).delete().returning(COLUMNS)) as Attachment[];
  return row;
}
