import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createLogger } from '../../src/logger.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CLAMART, createAccount, createApiToken, createAuthorization, createRequest } from '../helpers/fixtures.ts';

const lines: string[] = [];
const capture = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    callback();
  },
});

let app: TestApp;
before(async () => {
  app = await startTestApp({}, createLogger('debug', capture));
});
after(() => app.stop());

describe('structured logs', () => {
  it('write one JSON line per request with its id, and never secrets, cookies or query strings', async () => {
    const secret = 'SECRET-jeton-1234567890';
    await request(app.app)
      .post(`/eligibilite?token=${secret}`)
      .set('Cookie', `signup=${secret}`)
      .set('Authorization', `Bearer ${secret}`)
      .set('X-Request-Id', 'demande-test-0001')
      .type('form')
      .send({ siret: '13002526500013', password: secret, _csrf: secret });
    const entries = lines.map((line) => JSON.parse(line) as { req?: { id: string; url: string }; msg: string });
    const request_ = entries.find((e) => e.req?.id === 'demande-test-0001' && e.msg === 'request completed');
    assert.ok(request_, 'une ligne par requête, avec l’identifiant transmis');
    assert.equal(request_.req?.url, '/eligibilite');
    assert.ok(!lines.some((line) => line.includes(secret)), 'aucun secret dans les journaux');
  });

  it('never hold an API token, whatever the gateway sends and however it is answered', async () => {
    const user = await createAccount(app.db, { email: 'journal@clamart.fr', siret: CLAMART });
    const authorization = await createAuthorization(app.db, await createRequest(app.db, user.id, CLAMART), user.id);
    const token = await createApiToken(app.db, authorization, user.id, 'Journal');
    const gateway = `Basic ${Buffer.from('passerelle:dev-only-introspection-secret-not-for-production').toString('base64')}`;
    const before_ = lines.length;
    const active = await request(app.app)
      .post('/api/v1/introspection')
      .set('Authorization', gateway)
      .type('form')
      .send({ token });
    assert.equal(active.body.active, true);
    await request(app.app).post('/api/v1/introspection').set('Authorization', 'Bearer faux').send({ token });
    await request(app.app)
      .post('/api/v1/introspection')
      .set('Authorization', gateway)
      .send({ token: `${token}x` });
    const inQuery = await request(app.app)
      .post(`/api/v1/introspection?token=${token}`)
      .set('Authorization', gateway)
      .type('form')
      .send({ token });
    assert.equal(inQuery.status, 400, 'un jeton dans l’adresse est refusé');
    const written = lines.slice(before_);
    assert.ok(written.length >= 4, `${written.length} lignes`);
    assert.ok(!written.some((line) => line.includes(token.slice(4, 24))), 'aucun jeton dans les journaux');
  });

  it('cannot be forged by a line break in a field', async () => {
    const before_ = lines.length;
    await request(app.app).get('/eligibilite/1300252650001%0A%7B%22level%22%3A30%7D');
    for (const line of lines.slice(before_)) assert.doesNotThrow(() => JSON.parse(line));
  });
});
