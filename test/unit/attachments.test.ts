import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { contentDisposition, displayName, formatSize, isPdf } from '../../src/domain/attachments.ts';

describe('attachments: rules without I/O', () => {
  it('recognises a PDF by its content only', async () => {
    assert.equal(await isPdf(Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n')), true);
    assert.equal(await isPdf(Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1')), false);
    assert.equal(await isPdf(Buffer.from('<html><body>%PDF-1.7</body></html>')), false);
    assert.equal(await isPdf(Buffer.from(' %PDF-1.7')), false, 'l’en-tête doit être au tout début');
    assert.equal(await isPdf(Buffer.alloc(0)), false);
  });

  it('keeps only a harmless display name', () => {
    assert.equal(displayName('../../etc/passwd\0.pdf'), 'passwd.pdf');
    assert.equal(displayName('C:\\Users\\agent\\Délibération.pdf'), 'Délibération.pdf');
    assert.equal(displayName('facture\u202Efdp.exe'), 'facturefdp.exe', 'pas de caractère de direction qui déguise l’extension');
    assert.equal(displayName('..'), 'document.pdf');
    assert.equal(displayName('   '), 'document.pdf');
    assert.equal(displayName(`${'a'.repeat(300)}.pdf`).length, 200);
  });

  it('encodes the download name for every browser (RFC 6266, RFC 5987)', () => {
    assert.equal(contentDisposition('Délibération n°12.pdf'), 'attachment; filename="Deliberation n_12.pdf"; filename*=UTF-8\'\'D%C3%A9lib%C3%A9ration%20n%C2%B012.pdf');
    assert.equal(contentDisposition('a"b\\c;d%.pdf'), 'attachment; filename="a_b_c_d_.pdf"; filename*=UTF-8\'\'a%22b%5Cc%3Bd%25.pdf');
    assert.equal(contentDisposition("l'arrêté (v2).pdf"), 'attachment; filename="l\'arrete (v2).pdf"; filename*=UTF-8\'\'l%27arr%C3%AAt%C3%A9%20%28v2%29.pdf');
  });

  it('writes sizes as French users read them', () => {
    assert.equal(formatSize(200 * 1024), '200 ko');
    assert.equal(formatSize(2.45 * 1024 * 1024), '2,5 Mo');
    assert.equal(formatSize(10), '1 ko');
  });

  it('refuses an upload directory inside the web root', () => {
    assert.throws(() => loadConfig({ UPLOAD_DIR: path.resolve(import.meta.dirname, '../../public/pieces') }), ConfigError);
    assert.equal(loadConfig({}).uploadDir, path.resolve('.data/uploads'));
  });
});
