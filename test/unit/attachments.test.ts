import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { contentDisposition, displayName, formatSize, readsAsPdf, startsAsPdf } from '../../src/domain/attachments.ts';
import { minimalPdf } from '../browser/pdf-fixture.ts';
import { pdf } from '../helpers/multipart.ts';

describe('attachments: rules without I/O', () => {
  it('sieves a PDF by its first bytes only', async () => {
    assert.equal(await startsAsPdf(Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n')), true);
    assert.equal(await startsAsPdf(Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1')), false);
    assert.equal(await startsAsPdf(Buffer.from('<html><body>%PDF-1.7</body></html>')), false);
    assert.equal(await startsAsPdf(Buffer.from(' %PDF-1.7')), false, 'l’en-tête doit être au tout début');
    assert.equal(await startsAsPdf(Buffer.alloc(0)), false);
  });

  it('accepts as a PDF only what a PDF parser reads, with at least one page', async () => {
    assert.equal(await readsAsPdf(pdf()), true);
    assert.equal(await readsAsPdf(minimalPdf('Délibération')), true);
    assert.equal(await readsAsPdf(Buffer.from('%PDF-')), false, 'five bytes');
    assert.equal(
      await readsAsPdf(
        Buffer.concat([
          Buffer.from('%PDF-'),
          Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
          Buffer.alloc(500, 0x41),
        ]),
      ),
      false,
      'a PNG behind %PDF-',
    );
    assert.equal(
      await readsAsPdf(Buffer.from('%PDF-1.4\n<html><body><script>alert(1)</script></body></html>')),
      false,
      'an HTML polyglot',
    );
    assert.equal(
      await readsAsPdf(
        Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n'),
      ),
      false,
      'a catalog without pages',
    );
    const bytes = pdf();
    const copy = Buffer.from(bytes);
    await readsAsPdf(bytes);
    assert.deepEqual(bytes, copy, 'the caller’s bytes are left whole');
  });

  it('keeps only a harmless display name', () => {
    assert.equal(displayName('../../etc/passwd\0.pdf'), 'passwd.pdf');
    assert.equal(displayName('C:\\Users\\agent\\Délibération.pdf'), 'Délibération.pdf');
    assert.equal(
      displayName('facture\u202Efdp.exe'),
      'facturefdp.exe',
      'pas de caractère de direction qui déguise l’extension',
    );
    assert.equal(displayName('..'), 'document.pdf');
    assert.equal(displayName('   '), 'document.pdf');
    assert.equal(displayName(`${'a'.repeat(300)}.pdf`).length, 200);
  });

  it('encodes the download name for every browser (RFC 6266, RFC 5987)', () => {
    assert.equal(
      contentDisposition('Délibération n°12.pdf'),
      'attachment; filename="Deliberation n_12.pdf"; filename*=UTF-8\'\'D%C3%A9lib%C3%A9ration%20n%C2%B012.pdf',
    );
    assert.equal(
      contentDisposition('a"b\\c;d%.pdf'),
      'attachment; filename="a_b_c_d_.pdf"; filename*=UTF-8\'\'a%22b%5Cc%3Bd%25.pdf',
    );
    assert.equal(
      contentDisposition("l'arrêté (v2).pdf"),
      "attachment; filename=\"l'arrete (v2).pdf\"; filename*=UTF-8''l%27arr%C3%AAt%C3%A9%20%28v2%29.pdf",
    );
  });

  it('writes sizes as French users read them', () => {
    assert.equal(formatSize(200 * 1024), '200 ko');
    assert.equal(formatSize(2.45 * 1024 * 1024), '2,5 Mo');
    assert.equal(formatSize(10), '1 ko');
  });

  it('refuses an upload directory inside the web root', () => {
    assert.throws(
      () => loadConfig({ UPLOAD_DIR: path.resolve(import.meta.dirname, '../../public/pieces') }),
      ConfigError,
    );
    assert.equal(loadConfig({}).uploadDir, path.resolve('.data/uploads'));
  });
});
