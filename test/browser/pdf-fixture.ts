/**
 * Files for the upload tests: a small but complete PDF (header, catalog, page tree, one page with a text stream, a
 * font, a cross-reference table with exact byte offsets, trailer), and an executable renamed `.pdf`.
 */

/** A one-page PDF 1.4 that readers open, showing `text` (ASCII). */
export function minimalPdf(text: string): Buffer {
  const content = `BT /F1 18 Tf 72 770 Td (${text.replace(/[()\\]/g, '\\$&')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n'; // the binary comment line tells transfer tools the file is not text
  const offsets: number[] = [];
  for (const [index, body] of objects.entries()) {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
  }
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** The start of a Windows executable: what a PDF name can hide. */
export function executable(): Buffer {
  const header = Buffer.alloc(256, 0);
  header.write('MZ', 0, 'latin1');
  header.writeUInt32LE(0x80, 0x3c); // offset of the PE header
  header.write('This program cannot be run in DOS mode.', 0x40, 'latin1');
  header.write('PE\0\0', 0x80, 'latin1');
  return header;
}
