import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CLAMART, createAccount } from '../helpers/fixtures.ts';
import { signedInClient } from '../helpers/sign-in.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());

describe('the JSON API app', () => {
  it('answers every address with a JSON 404 in French, without a session, a cookie or a page', async () => {
    for (const path of ['/api/v1', '/api/v1/jetons/introspection', '/api/inconnu']) {
      const res = await request(app.app).get(path);
      assert.equal(res.status, 404, path);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.deepEqual(res.body, { erreur: { code: 'introuvable', message: 'Aucune ressource à cette adresse.' } });
      assert.equal(res.headers['set-cookie'], undefined, `${path} : aucun cookie`);
      assert.equal(res.headers['cache-control'], 'no-store');
    }
    assert.equal((await app.db('session')).length, 0, 'aucune session créée');
  });

  it('takes a JSON POST without a CSRF token (callers are programs), and answers bad JSON with a JSON 400', async () => {
    const posted = await request(app.app)
      .post('/api/v1/jetons/introspection')
      .set('Content-Type', 'application/json')
      .send('{"jeton":"x"}');
    assert.equal(posted.status, 404, 'pas de 403 CSRF : l’API n’a pas de formulaire');
    const broken = await request(app.app)
      .post('/api/v1/jetons/introspection')
      .set('Content-Type', 'application/json')
      .send('{"jeton":');
    assert.equal(broken.status, 400);
    assert.deepEqual(broken.body, { erreur: { code: 'requete_invalide', message: 'Requête invalide.' } });
  });

  it('leaves the pages as they were: an unknown page outside /api is still the French HTML 404', async () => {
    const res = await request(app.app).get('/apiculture');
    assert.equal(res.status, 404);
    assert.match(String(res.headers['content-type']), /^text\/html/);
  });
});

describe('the areas behind a sign-in', () => {
  it('send visitors to sign in; instruction is a 404 for an applicant, the dashboard theirs (empty at first)', async () => {
    assert.equal((await request(app.app).get('/instruction')).status, 303);
    assert.equal((await request(app.app).get('/tableau-de-bord')).status, 303);
    await createAccount(app.db, { email: 'agent@clamart.fr', siret: CLAMART });
    const applicant = await signedInClient(app.app, 'agent@clamart.fr');
    assert.equal((await applicant.get('/instruction')).status, 404);
    const dashboard = await applicant.get('/tableau-de-bord');
    assert.equal(dashboard.status, 200);
    assert.match(dashboard.$('main').text(), /Aucune habilitation pour le moment/);
  });
});
