/**
 * What a first visit downloads before the page can show: the home page's HTML and the style sheets and scripts it
 * links to, as a browser receives them (gzip). An old phone on a slow line pays for every kilobyte, and parses every
 * rule of the CSS.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startTestApp, type TestApp } from '../helpers/app.ts';

const FIRST_VISIT_LIMIT = 60 * 1024;

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());

async function gzipBytes(path: string): Promise<number> {
  const res = await request(app.app).get(path).set('Accept-Encoding', 'gzip, deflate, br');
  assert.equal(res.status, 200, path);
  assert.equal(res.headers['content-encoding'], 'gzip', `${path} : compressé`);
  return Number(res.headers['content-length']);
}

describe('page weight', () => {
  it('a first visit of the home page weighs less than 60 KB gzipped (HTML, style sheets, scripts)', async () => {
    const page = await request(app.app).get('/');
    const assets = [
      ...page.text.matchAll(/<link rel="stylesheet" href="([^"]+)"(?![^>]*media="print")|<script[^>]* src="([^"]+)"/g),
    ].map((m) => (m[1] ?? m[2]) as string);
    assert.ok(assets.some((a) => a.includes('/dsfr.')) && assets.some((a) => a.includes('/htmx.')), assets.join(' '));
    const sizes: [string, number][] = [['/', await gzipBytes('/')]];
    for (const asset of assets) sizes.push([asset, await gzipBytes(asset)]);
    const total = sizes.reduce((sum, [, bytes]) => sum + bytes, 0);
    const detail = sizes.map(([path, bytes]) => `${path} ${(bytes / 1024).toFixed(1)} Ko`).join(', ');
    assert.ok(total < FIRST_VISIT_LIMIT, `première visite : ${(total / 1024).toFixed(1)} Ko compressés (${detail})`);
  });

  it('a public page answered again and again is, once decoded, the page with that answer’s own nonce', async () => {
    const texts = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const res = await request(app.app).get('/').set('Accept-Encoding', 'gzip');
      assert.equal(res.headers['content-encoding'], 'gzip');
      const nonce = /'nonce-([^']+)'/.exec(res.headers['content-security-policy'] as string)?.[1];
      assert.ok(nonce && res.text.includes(`nonce="${nonce}"`), `réponse ${i + 1} : le nonce de sa politique`);
      texts.add(res.text.split(nonce).join('·'));
    }
    assert.equal(texts.size, 1, 'le reste de la page est le même à chaque réponse');
  });

  it('serves the DSFR rules our pages use, not the whole of its components', async () => {
    const page = await request(app.app).get('/');
    const dsfr = /href="(\/assets\/dsfr\.[0-9a-f]{12}\.css)"/.exec(page.text)?.[1];
    assert.ok(dsfr);
    const css = (await request(app.app).get(dsfr)).text;
    for (const used of ['.fr-btn', '.fr-header', '.fr-input', '.fr-alert--success', '.fr-badge--new', '.fr-stepper'])
      assert.ok(css.includes(used), `${used} est servi`);
    for (const unused of ['[data-fr-theme=dark]', '.fr-raw-link', '.fr-btn--fullscreen', '.fr-btns-group--equisized'])
      assert.ok(!css.includes(unused), `${unused} n’est pas servi`);
  });
});
