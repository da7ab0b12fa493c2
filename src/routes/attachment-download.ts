import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { contentDisposition } from '../domain/attachments.ts';
import type { Attachment } from '../repositories/attachments.ts';
import type { Download } from '../services/attachments.ts';

/** Where the page of a file that cannot be served leads back to (the applicant's step, or the instruction page). */
export type BackLink = { href: string; label: string; applicant?: boolean };

/**
 * Sends an attachment as a download that a browser never renders in the service's origin (sandboxed, no sniffing,
 * never cached); or the page that says why not: 409 while its antivirus scan is pending, 410 once refused.
 */
export async function sendAttachment(
  req: Request,
  res: Response,
  attachment: Attachment,
  download: Download,
  back: BackLink,
): Promise<void> {
  if (download.kind !== 'file') {
    const pending = download.kind === 'pending';
    res.status(pending ? 409 : 410).set({ 'Cache-Control': 'no-store', ...(pending ? { 'Retry-After': '10' } : {}) });
    res.render('errors/piece-jointe-indisponible', {
      status: res.statusCode,
      name: attachment.originalName,
      pending,
      virus: download.kind === 'infected' ? download.virus : undefined,
      back,
    });
    return;
  }
  res.set({
    'Content-Type': attachment.mediaType,
    'Content-Length': String(attachment.size),
    'Content-Disposition': contentDisposition(attachment.originalName),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': 'sandbox',
    'Cache-Control': 'private, no-store',
  });
  await pipeline(download.content, res).catch((err: unknown) =>
    req.log?.warn({ err }, 'attachment download interrupted'),
  );
}
