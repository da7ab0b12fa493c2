import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import { isReadablePdf } from '../../src/storage/pdf-check.ts';
import { pdf } from '../helpers/multipart.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'signup-pdf-check-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: Buffer): string {
  const full = path.join(dir, name);
  writeFileSync(full, content);
  return full;
}

/**
 * A PDF whose cross-reference stream inflates 20 KB into 20 MB of entries: PDF.js spends seconds and hundreds of
 * megabytes on it (the probe's file of 200 KB took 53 s and 3 GB on the server's own thread).
 */
function xrefBomb(inflated: number): Buffer {
  const zeros = deflateSync(Buffer.alloc(inflated));
  const head =
    '%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n';
  const xref = Buffer.concat([
    Buffer.from(
      `4 0 obj\n<< /Type /XRef /Size ${Math.floor(inflated / 7)} /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length ${zeros.length} >>\nstream\n`,
    ),
    zeros,
    Buffer.from('\nendstream\nendobj\n'),
  ]);
  return Buffer.concat([Buffer.from(head), xref, Buffer.from(`startxref\n${Buffer.byteLength(head)}\n%%EOF\n`)]);
}

describe('PDF check in a worker thread', () => {
  it('reads a PDF, refuses what is none', async () => {
    assert.equal(await isReadablePdf(file('ok.pdf', pdf())), true);
    assert.equal(
      await isReadablePdf(file('html.pdf', Buffer.from('%PDF-1.4\n<html><script>alert(1)</script></html>'))),
      false,
    );
    assert.equal(await isReadablePdf(path.join(dir, 'absent.pdf')), false);
  });

  it('never blocks the server while a hostile file is parsed: the server’s timers keep running', async () => {
    const bomb = file('bomb.pdf', xrefBomb(40_000_000));
    const ticks: number[] = [];
    const interval = setInterval(() => ticks.push(1), 10);
    try {
      await isReadablePdf(bomb);
    } finally {
      clearInterval(interval);
    }
    // Ordering, not timing: on the server's own thread, the parse would have run to its end with no tick in between.
    assert.ok(ticks.length > 1, `${ticks.length} tick(s) pendant l’analyse`);
    assert.equal(await isReadablePdf(file('after.pdf', pdf())), true, 'a reader stopped by a hostile file is replaced');
  });
});
