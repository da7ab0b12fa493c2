import QRCode from 'qrcode';

/** A QR code's drawing for an inline SVG: its size with the quiet zone, and one path of its dark modules. */
export type QrDrawing = { size: number; path: string };

const QUIET_ZONE = 4;

/**
 * A QR code drawn on the server (no script, no image request; the strict CSP allows inline SVG), as data the template
 * writes out with autoescaping on: one horizontal stroke per run of dark modules (`M x y h n`), numbers only. The
 * `qrcode` library encodes; the template labels the drawing and shows the same text beside it for people who cannot
 * scan.
 */
export function qrDrawing(text: string): QrDrawing {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const parts: string[] = [];
  for (let y = 0; y < modules.size; y += 1) {
    let x = 0;
    while (x < modules.size) {
      if (!modules.get(y, x)) {
        x += 1;
        continue;
      }
      const start = x;
      while (x < modules.size && modules.get(y, x)) x += 1;
      parts.push(`M${start + QUIET_ZONE} ${y + QUIET_ZONE + 0.5}h${x - start}`);
    }
  }
  return { size: modules.size + 2 * QUIET_ZONE, path: parts.join('') };
}
