import type { ReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import { displayName, MAX_ATTACHMENTS, PDF, startsAsPdf } from '../domain/attachments.ts';
import { isReadablePdf } from '../storage/pdf-check.ts';
import { isEditable } from '../domain/request-states.ts';
import type { Logger } from '../logger.ts';
import {
  attachmentsOf,
  countAttachments,
  countUsableAttachments,
  deleteAttachment,
  findAttachment,
  insertAttachment,
  lockRequestStatus,
  queueScan,
  type Attachment,
} from '../repositories/attachments.ts';
import { recordRequestEvent, type AccessRequest } from '../repositories/requests.ts';
import type { AttachmentFiles, ReceivedFile } from '../storage/attachment-files.ts';
import type { AddOutcome } from '../forms/attachments.ts';

export type { AddOutcome };

/** What a download gets: the file, or why not (still being scanned, or refused for a virus). */
export type Download =
  { kind: 'file'; content: ReadStream } | { kind: 'pending' } | { kind: 'infected'; virus: string };

/**
 * The PDF attachments of a request. Callers have already checked, through `requests.find`, that the user may see
 * the request. A file is kept only once it is complete and checked; its row is written after it, in a transaction
 * that holds the request row, so the limit of files holds even for concurrent uploads.
 *
 * With `scanning` (CLAMD_URL set), a kept file is `pending` and its scan job is queued in the same transaction as
 * its row (jobs/scan-attachment); it is served once `safe`. Without it (never in production), it is `unscanned`.
 */
export function attachmentService(db: Knex, files: AttachmentFiles, logger: Logger, options: { scanning: boolean }) {
  async function store(
    request: AccessRequest,
    received: ReceivedFile,
    name: string,
    userId: string,
  ): Promise<AddOutcome> {
    let key: string | undefined;
    try {
      return await db.transaction(async (trx): Promise<AddOutcome> => {
        const status = await lockRequestStatus(trx, request.id);
        if (!status || !isEditable(status)) return { kind: 'rejected', reason: 'locked', name };
        if ((await countAttachments(trx, request.id)) >= MAX_ATTACHMENTS)
          return { kind: 'rejected', reason: 'too-many', name };
        key = await files.keep(received.tempPath);
        const scanStatus = options.scanning ? 'pending' : 'unscanned';
        const attachment = {
          requestId: request.id,
          storageKey: key,
          originalName: name,
          size: received.size,
          mediaType: PDF,
          sha256: received.sha256,
          uploadedBy: userId,
          scanStatus,
        } as const;
        const id = await insertAttachment(trx, attachment);
        if (scanStatus === 'pending') await queueScan(trx, id);
        await recordRequestEvent(trx, {
          requestId: request.id,
          userId,
          kind: 'attachment_added',
          version: request.version,
          details: { attachment: id, name },
        });
        return {
          kind: 'added',
          attachment: { ...attachment, id, createdAt: new Date(), scannedAt: null, scanDetail: null },
        };
      });
    } catch (error) {
      if (key) await files.remove(key); // the row was not written: the file must not stay
      throw error;
    } finally {
      await files.discard(received.tempPath); // no-op once renamed
    }
  }

  return {
    list: (requestId: string) => attachmentsOf(db, requestId),
    /** The attachments that stand for the legal text (« URL and/or PDF »): pending and safe ones, not infected ones. */
    count: (requestId: string) => countUsableAttachments(db, requestId),
    find: (requestId: string, id: string) => findAttachment(db, requestId, id),

    /** Writes an uploaded file to a temporary name (removed if the upload breaks); `add` then keeps or refuses it. */
    receive: (stream: Readable & { truncated?: boolean }) => files.receive(stream),
    discard: (received: ReceivedFile) => files.discard(received.tempPath),

    /** Checks a received file by its content and size, then keeps it; a refused file is removed at once. */
    async add(request: AccessRequest, received: ReceivedFile, rawName: string, userId: string): Promise<AddOutcome> {
      const name = displayName(rawName);
      if (received.truncated) {
        await files.discard(received.tempPath);
        return { kind: 'rejected', reason: 'too-large', name };
      }
      if (!(await startsAsPdf(received.head)) || !(await isReadablePdf(received.tempPath))) {
        await files.discard(received.tempPath);
        return { kind: 'rejected', reason: 'not-pdf', name };
      }
      return store(request, received, name, userId);
    },

    /** Removes an attachment while the request is editable: undefined when not found, 'locked' after submission. */
    async remove(request: AccessRequest, id: string, userId: string): Promise<Attachment | 'locked' | undefined> {
      const removed = await db.transaction(async (trx) => {
        const status = await lockRequestStatus(trx, request.id);
        if (!status || !isEditable(status)) return 'locked' as const;
        const row = await deleteAttachment(trx, request.id, id);
        // The scan's outcome goes into the event: the audit keeps a virus found even once its row is removed.
        const details = {
          attachment: id,
          name: row?.originalName,
          scan: row?.scanStatus,
          ...(row?.scanDetail ? { virus: row.scanDetail } : {}),
        };
        if (row)
          await recordRequestEvent(trx, {
            requestId: request.id,
            userId,
            kind: 'attachment_deleted',
            version: request.version,
            details,
          });
        return row;
      });
      if (removed && removed !== 'locked') await files.remove(removed.storageKey);
      return removed;
    },

    /**
     * The file's content when it may be served (scanned clean, or no scanner configured); `pending` while the scan
     * has not told, `infected` for good; undefined when the file is missing on disk (logged: row and disk disagree).
     */
    async download(attachment: Attachment): Promise<Download | undefined> {
      if (attachment.scanStatus === 'pending') return { kind: 'pending' };
      if (attachment.scanStatus === 'infected') return { kind: 'infected', virus: attachment.scanDetail ?? '' };
      if (await files.exists(attachment.storageKey))
        return { kind: 'file', content: files.open(attachment.storageKey) };
      logger.error({ attachment: attachment.id }, 'attachment file missing');
      return undefined;
    },
  };
}

export type AttachmentService = ReturnType<typeof attachmentService>;
