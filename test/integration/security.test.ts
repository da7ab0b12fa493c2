import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { PageClient } from '../helpers/page-client.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());

describe('security headers', () => {
  it('sends a strict CSP with a per-request nonce, and the other headers', async () => {
    const first = await request(app.app).get('/');
    const second = await request(app.app).get('/');
    const csp = first.headers['content-security-policy'] as string;
    for (const directive of [
      "default-src 'self'",
      "style-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "img-src 'self' data:",
    ]) {
      assert.ok(csp.includes(directive), `CSP sans « ${directive} » : ${csp}`);
    }
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce && nonce.length >= 20);
    assert.notEqual(nonce, /'nonce-([^']+)'/.exec(second.headers['content-security-policy'] as string)?.[1]);
    assert.match(
      first.text,
      new RegExp(`<script src="/assets/htmx\\.min\\.[0-9a-f]+\\.js" nonce="${nonce!.replace(/[+/]/g, '\\$&')}"`),
    );
    assert.equal(first.headers['x-content-type-options'], 'nosniff');
    assert.equal(first.headers['referrer-policy'], 'strict-origin-when-cross-origin');
    assert.equal(first.headers['x-powered-by'], undefined);
    assert.ok(first.headers['x-request-id']);
  });

  it('serves HSTS for one year when the service is on HTTPS', async () => {
    const secure = await startTestApp({ BASE_URL: 'https://signup.example.gouv.fr', TRUST_PROXY: '1' });
    try {
      const res = await request(secure.app).get('/').set('X-Forwarded-Proto', 'https');
      assert.match(res.headers['strict-transport-security'] as string, /max-age=31536000; includeSubDomains/);
    } finally {
      await secure.stop();
    }
  });

  it('serves assets from its own origin with a one-year immutable cache, compressed', async () => {
    const page = await request(app.app).get('/');
    const assets = [...page.text.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string);
    assert.ok(assets.length >= 4);
    for (const asset of assets) {
      const res = await request(app.app).get(asset).set('Accept-Encoding', 'gzip');
      assert.equal(res.status, 200, asset);
      if (/\.[0-9a-f]{12}\.(css|js)$/.test(asset)) {
        assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
        // compression starts at 1 KB: the print stylesheet is smaller
        if (Number(res.headers['content-length'] ?? Infinity) > 1024)
          assert.equal(res.headers['content-encoding'], 'gzip', asset);
      }
    }
    assert.doesNotMatch(page.text, /<script[^>]+src="https?:/);
  });

  it('answers 404 for files that must never be served', async () => {
    for (const path of [
      '/.git/HEAD',
      '/.env',
      '/node_modules/express/package.json',
      '/package.json',
      '/src/app.ts',
      '/assets/',
    ]) {
      assert.equal((await request(app.app).get(path)).status, 404, path);
    }
  });
});

describe('CSRF', () => {
  it('refuses a POST without token with a French 403 page and saves nothing', async () => {
    const res = await request(app.app).post('/eligibilite').type('form').send({ siret: '13002526500013' });
    assert.equal(res.status, 403);
    assert.match(res.text, /<title>Action refusée – SignUp<\/title>/);
    assert.match(res.text, /Le formulaire envoyé n’a pas pu être vérifié/);
  });

  it('refuses the token of another session, and a foreign Origin', async () => {
    const alice = new PageClient(app.app);
    const bob = new PageClient(app.app);
    await alice.get('/eligibilite');
    const aliceToken = alice.csrfToken();
    await bob.get('/eligibilite');
    const bobToken = bob.csrfToken();
    assert.equal((await bob.post('/eligibilite', { _csrf: aliceToken, siret: '13002526500013' })).status, 403);
    assert.equal(
      (await bob.post('/eligibilite', { _csrf: bobToken, siret: '13002526500013' }, { Origin: 'https://evil.example' }))
        .status,
      403,
    );
    assert.equal((await bob.post('/eligibilite', { _csrf: bobToken, siret: '13002526500013' })).status, 303);
  });

  it('accepts Origin: null only with the token and same-origin Fetch metadata (a page under no-referrer)', async () => {
    const client = new PageClient(app.app);
    await client.get('/eligibilite');
    const form = { _csrf: client.csrfToken(), siret: '13002526500013' };
    assert.equal(
      (await client.post('/eligibilite', form, { Origin: 'null' })).status,
      403,
      'null without Fetch metadata',
    );
    assert.equal(
      (await client.post('/eligibilite', form, { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' })).status,
      403,
      'null from a sandboxed or foreign document',
    );
    assert.equal(
      (await client.post('/eligibilite', form, { Origin: 'null', 'Sec-Fetch-Site': 'same-site' })).status,
      403,
      'null from a sibling subdomain',
    );
    assert.equal(
      (
        await client.post(
          '/eligibilite',
          { siret: '13002526500013' },
          { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' },
        )
      ).status,
      403,
      'null and same-origin, without the token',
    );
    assert.equal(
      (await client.post('/eligibilite', form, { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' })).status,
      303,
    );
  });

  it('accepts the token in the X-CSRF-Token header (htmx outside a form)', async () => {
    const client = new PageClient(app.app);
    await client.get('/eligibilite');
    const res = await client.post(
      '/eligibilite',
      { siret: '13002526500013' },
      { 'X-CSRF-Token': client.csrfToken(), 'HX-Request': 'true' },
    );
    assert.equal(res.status, 200);
  });
});

describe('sessions', () => {
  it('creates no session for visitors who see no form', async () => {
    const res = await request(app.app).get('/cas-usage');
    assert.equal(res.headers['set-cookie'], undefined);
  });

  it('sets an HttpOnly, SameSite=Lax cookie with a 128-bit or longer id', async () => {
    const res = await request(app.app).get('/eligibilite');
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0] as string;
    assert.match(cookie, /^signup=/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.match(cookie, /Path=\//);
    assert.doesNotMatch(cookie, /Domain=/);
    const sid = decodeURIComponent(cookie.split(';')[0]!.slice('signup='.length)).slice(2).split('.')[0]!;
    assert.ok(sid.length >= 32, `identifiant de session trop court : ${sid.length}`);
    const rows = await app.db('session').count<{ count: string }[]>('* as count');
    assert.ok(Number(rows[0]!.count) >= 1, 'la session est en base');
  });

  it('uses a __Host- Secure cookie behind an HTTPS proxy', async () => {
    const secure = await startTestApp({ BASE_URL: 'https://signup.example.gouv.fr', TRUST_PROXY: '1' });
    try {
      const res = await request(secure.app).get('/eligibilite').set('X-Forwarded-Proto', 'https');
      const cookie = (res.headers['set-cookie'] as unknown as string[])[0] as string;
      assert.match(cookie, /^__Host-signup=/);
      assert.match(cookie, /Secure/);
      assert.match(cookie, /Path=\//);
      assert.doesNotMatch(cookie, /Domain=/);
    } finally {
      await secure.stop();
    }
  });
});

describe('limits and errors', () => {
  it('answers a French 413 page when the body is too large', async () => {
    const client = new PageClient(app.app);
    await client.get('/eligibilite');
    const res = await client.post('/eligibilite', { _csrf: client.csrfToken(), siret: 'x'.repeat(200_000) });
    assert.equal(res.status, 413);
    assert.equal(res.$('title').text(), 'Envoi trop volumineux – SignUp');
    assert.equal(res.$('h1').text(), 'Envoi trop volumineux');
  });

  it('answers a French 404 page', async () => {
    const res = await new PageClient(app.app).get('/nexiste-pas');
    assert.equal(res.status, 404);
    assert.equal(res.$('title').text(), 'Page non trouvée – SignUp');
    assert.equal(res.$('html').attr('lang'), 'fr');
  });

  it('shows no stack trace, SQL or path on a server error, only an incident reference', async () => {
    const production = await startTestApp({
      NODE_ENV: 'production',
      SMTP_URL: 'smtp://127.0.0.1:2525',
      CLAMD_URL: 'tcp://127.0.0.1:3310',
      BASE_URL: 'http://127.0.0.1',
      LOG_LEVEL: 'silent',
    });
    try {
      await production.db.schema.renameTable('use_cases', 'use_cases_moved');
      const res = await request(production.app).get('/cas-usage');
      assert.equal(res.status, 500);
      assert.match(res.text, /<title>Erreur inattendue – SignUp<\/title>/);
      assert.doesNotMatch(res.text, /use_cases|select |at .*\.ts:|node_modules|Error:/i);
      const incident = res.headers['x-request-id'] as string;
      assert.ok(res.text.includes(incident), 'la référence de l’incident est affichée');
      assert.equal(res.headers['cache-control'], 'no-store');
    } finally {
      await production.stop();
    }
  });
});

describe('nothing typed is lost on a refused form', () => {
  it('shows the submitted values, but never secrets, on the 403 page', async () => {
    const res = await request(app.app)
      .post('/eligibilite')
      .type('form')
      .send({ siret: '130 025 265 00013', motDePasse: 'secret-à-ne-pas-montrer', _csrf: 'faux' });
    assert.equal(res.status, 403);
    assert.match(res.text, /Ce que vous aviez saisi/);
    assert.match(res.text, /130 025 265 00013/);
    assert.doesNotMatch(res.text, /secret-à-ne-pas-montrer|faux/);
  });
});
