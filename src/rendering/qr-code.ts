import QRCode from 'qrcode';

/**
 * A QR code as an inline SVG drawn on the server (no script, no image request; the strict CSP allows it), labelled by
 * the element whose id is `labelledBy`, for people who scan; the same text is always shown beside it for those who
 * cannot. Black on white with its quiet zone, as scanners expect.
 */
export async function qrCodeSvg(text: string, labelledBy: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, width: 200 });
  return svg.replace('<svg ', `<svg role="img" aria-labelledby="${labelledBy}" focusable="false" `);
}
