import { fileTypeFromBuffer } from 'file-type';

/** « PDF, 10 Mo maximum, 6 fichiers au plus » (issue 4, step 3). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS = 6;
export const PDF = 'application/pdf';

/**
 * A PDF's first bytes: the magic bytes as `file-type` reads them, and the `%PDF-` header at the very start (an HTML
 * page or an executable renamed `.pdf` is neither). Only a first sieve: a PNG or an HTML page prefixed with `%PDF-`
 * passes it, `readsAsPdf` does not.
 */
export async function startsAsPdf(head: Buffer): Promise<boolean> {
  if (head.subarray(0, 5).toString('latin1') !== '%PDF-') return false;
  return (await fileTypeFromBuffer(head))?.mime === PDF;
}

/**
 * A PDF by its structure, whatever its name: Mozilla's PDF.js (the reader of Firefox) opens the whole file and
 * finds at least one page, as a reader would. Nothing in it runs: no script, no eval, no fonts loaded. Loaded on
 * first use only (it is large), so that the server starts as fast.
 */
export async function readsAsPdf(bytes: Uint8Array): Promise<boolean> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // PDF.js takes the array it is given: a copy, so that the caller's stays whole
  const task = getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    enableXfa: false,
    verbosity: 0,
    stopAtErrors: true,
  });
  try {
    const document = await task.promise;
    return document.numPages > 0 && (await document.getPage(1)) !== undefined;
  } catch {
    return false;
  } finally {
    await task.destroy();
  }
}

/** Control characters (C0, DEL, C1) and the bidirectional overrides that can disguise an extension. */
function unsafe(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * The name the user's file had, as metadata only (it never becomes a path): last path segment, no control or
 * direction characters, at most 200 characters, never empty.
 */
export function displayName(raw: string): string {
  const last = raw.split(/[/\\]/).pop() ?? '';
  const cleaned = [...last.normalize('NFC')]
    .filter((c) => !unsafe(c.codePointAt(0) ?? 0))
    .join('')
    .trim()
    .slice(0, 200);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'document.pdf' : cleaned;
}

/** RFC 6266 / RFC 5987: an ASCII fallback name and the exact UTF-8 one. */
export function contentDisposition(name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** « 2,4 Mo », « 830 ko »: sizes as French users read them. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024)
    return `${(bytes / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
  return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('fr-FR')} ko`;
}

/** The antivirus status of an attachment (ADR 0011). */
export type ScanStatus = 'pending' | 'safe' | 'infected' | 'unscanned';

/** Served only once scanned clean, or when no scanner is configured (outside production); never pending or infected. */
export function isServable(status: ScanStatus): boolean {
  return status === 'safe' || status === 'unscanned';
}

/** An infected file no longer exists: it cannot stand for the legal text. A pending one can (it is most likely clean). */
export function countsForLegalText(status: ScanStatus): boolean {
  return status !== 'infected';
}

/** The badge of each status: text first, the colour only repeats it. */
export const SCAN_BADGES: Record<ScanStatus, { text: string; badge: string }> = {
  pending: { text: 'Analyse en cours', badge: 'info' },
  safe: { text: 'Vérifié', badge: 'success' },
  infected: { text: 'Refusé : virus détecté', badge: 'error' },
  unscanned: { text: 'Non analysé', badge: 'warning' },
};
