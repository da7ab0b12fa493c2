import type { Task, TaskList } from 'graphile-worker';
import type { Db } from '../db/knex.ts';
import type { Logger } from '../logger.ts';
import { attachmentById, queueScan, recordScan, stalePendingAttachments } from '../repositories/attachments.ts';
import type { AttachmentFiles } from '../storage/attachment-files.ts';
import type { Scanner } from '../storage/clamd.ts';

/** A file still `pending` this long after its upload gets its scan queued again by the sweep. */
export const STALE_PENDING_MS = 15 * 60 * 1000;
/** graphile-worker's crontab: the sweep, every quarter of an hour (no file left pending after a clamd outage). */
export const SCAN_CRONTAB = '*/15 * * * * rescan_pending_attachments';

/**
 * Scans one attachment with clamd. Idempotent: a row that is no longer `pending` is left as it is (an
 * infected one only has its file removed again, in case a crash came between the two). clamd unreachable, slow or
 * in error: the task throws, the file stays `pending` (never served), and graphile-worker retries with backoff.
 * Infected: the row keeps the virus name for the audit, the file is deleted from disk.
 */
export function scanAttachmentTask(db: Db, files: AttachmentFiles, scanner: Scanner | undefined, logger: Logger): Task {
  return async (payload) => {
    const id = String((payload as { attachmentId?: unknown }).attachmentId ?? '');
    const attachment = await attachmentById(db, id);
    if (!attachment || attachment.scanStatus !== 'pending') {
      if (attachment?.scanStatus === 'infected') await files.remove(attachment.storageKey);
      return;
    }
    if (!scanner) {
      // Only outside production (CLAMD_URL is required there): a file queued while a scanner was configured.
      logger.warn({ attachment: id }, 'no antivirus configured: attachment marked unscanned');
      await recordScan(db, id, { status: 'unscanned' });
      return;
    }
    if (!(await files.exists(attachment.storageKey))) {
      logger.error({ attachment: id }, 'attachment file missing: cannot scan it');
      return;
    }
    const result = await scanner.scan(files.open(attachment.storageKey));
    if (!result.infected) {
      await recordScan(db, id, { status: 'safe' });
      return;
    }
    if (await recordScan(db, id, { status: 'infected', detail: result.virus })) {
      logger.warn(
        { attachment: id, request: attachment.requestId, virus: result.virus },
        'virus found in attachment: file deleted',
      );
    }
    await files.remove(attachment.storageKey);
  };
}

/**
 * Queues again the scan of every file still `pending` a while after its upload: graphile-worker's backoff grows to
 * hours and stops after MAX_SCAN_ATTEMPTS, a worker killed mid-scan holds its job for hours; this caps the wait
 * after clamd is back to one sweep interval. Queueing replaces a waiting job (one job per attachment).
 */
export function rescanPendingTask(db: Db, logger: Logger): Task {
  return async () => {
    const ids = await stalePendingAttachments(db, new Date(Date.now() - STALE_PENDING_MS));
    for (const id of ids) await queueScan(db, id);
    if (ids.length) logger.info({ count: ids.length }, 'antivirus scans queued again');
  };
}

export function scanTasks(db: Db, files: AttachmentFiles, scanner: Scanner | undefined, logger: Logger): TaskList {
  return {
    scan_attachment: scanAttachmentTask(db, files, scanner, logger),
    rescan_pending_attachments: rescanPendingTask(db, logger),
  };
}
