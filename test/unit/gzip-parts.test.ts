import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { pageGzip } from '../../src/middleware/gzip-parts.ts';

const nonce = () => randomBytes(16).toString('base64');
const page = (n: string) =>
  `<!doctype html><html lang="fr"><head><script src="/a.js" nonce="${n}"></script>` +
  `<script src="/b.js" nonce="${n}"></script></head><body><p>Démarche « été » ${'Données ouvertes — '.repeat(400)}</p>` +
  `<script nonce="${n}"></script></body></html>`;

describe('gzip of pages in parts', () => {
  it('every answer decodes to the page with its own nonce, the first and every repeat after it', () => {
    const gzip = pageGzip({ level: 3 });
    for (let i = 0; i < 5; i++) {
      const n = nonce();
      const body = page(n);
      const answer = gzip.gzip('/', body, n);
      assert.equal(gunzipSync(answer).toString(), body, `réponse ${i + 1}`);
    }
  });

  it('repeats are made from the kept parts (not a deflate of the whole page), and weigh about the same', () => {
    const gzip = pageGzip({ level: 3 });
    const seen = nonce();
    assert.deepEqual(gzip.gzip('/', page(seen), seen), gzipSync(page(seen), { level: 3 }), 'vue une fois : compressée');
    const n = nonce();
    const first = gzip.gzip('/', page(n), n);
    const whole = gzipSync(page(n), { level: 3 });
    assert.notDeepEqual(first, whole, 'une réponse répétée vient des parties gardées');
    // Per nonce: its stored block (5 + 24 bytes), a sync flush (5 bytes) and what cannot refer across it; a little
    // more for the last part's flush and final block. The parts hold no nonce: their size does not vary.
    assert.ok(first.length <= whole.length + 3 * 64 + 64, `${first.length} octets contre ${whole.length}`);
  });

  it('a page whose text changed is never answered from the parts of its former text', () => {
    const gzip = pageGzip({ level: 3 });
    const n = nonce();
    gzip.gzip('/', page(n), n);
    gzip.gzip('/', page(n), n);
    const changed = page(n).replace('été', 'hiver');
    assert.equal(gunzipSync(gzip.gzip('/', changed, n)).toString(), changed);
    assert.equal(gunzipSync(gzip.gzip('/', changed, n)).toString(), changed);
    assert.equal(gunzipSync(gzip.gzip('/', page(n), n)).toString(), page(n));
  });

  it('a nonce at either end, alone, twice in a row; text beyond the Basic Multilingual Plane; pages without one', () => {
    const gzip = pageGzip({ level: 3 });
    const shapes = [
      (n: string) => `${n}<p>début</p>`,
      (n: string) => `<p>fin</p>${n}`,
      (n: string) => n,
      (n: string) => `${n}${n}`,
      (n: string) => `<p>${n}${n}</p>${n}`,
      (n: string) => `<p>« 𝔘𝔫 » ${n} — ’</p>`,
      () => '<p>sans nonce</p>',
    ];
    for (let round = 0; round < 4; round++)
      // the third sight of a page and after: from its parts
      for (const [k, shape] of shapes.entries()) {
        const n = nonce();
        assert.equal(gunzipSync(gzip.gzip(`/${k}`, shape(n), n)).toString(), shape(n), `forme ${k}, fois ${round + 1}`);
      }
  });

  it('a nonce of another length than the one the parts were made with: still the page, with that nonce', () => {
    const gzip = pageGzip({ level: 3 });
    for (const n of [nonce(), nonce(), nonce(), 'court', nonce(), `${nonce()}${nonce()}`, nonce()])
      assert.equal(gunzipSync(gzip.gzip('/', page(n), n)).toString(), page(n), n);
  });

  it('more pages than it keeps: the least asked are forgotten, each answer still right', () => {
    const gzip = pageGzip({ level: 3 });
    for (let round = 0; round < 3; round++)
      for (let i = 0; i < 300; i++) {
        const n = nonce();
        const key = i % 3 === 0 ? '/souvent' : `/${i}`;
        const body = `<p>${key}</p>${n}<p>${i % 3 === 0 ? '' : i}</p>`;
        assert.equal(gunzipSync(gzip.gzip(key, body, n)).toString(), body, `${key}, tour ${round + 1}`);
      }
  });
});
