/**
 * « Prolonger ma session » (RGAA 13.1, WCAG 2.2.1): the plain form answers 303 back to the page, scripts (htmx, or the
 * expiry warning's fetch asking for JSON) get 204; either way the session row really moves (touches are otherwise
 * throttled). Pages give scripts the session's end (data attributes, X-Session-Expire); the « déconnecté » page
 * says that saved drafts are kept.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CLAMART, createAccount, createRequest } from '../helpers/fixtures.ts';
import type { PageClient } from '../helpers/page-client.ts';
import { signedInClient } from '../helpers/sign-in.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());
beforeEach(() => app.reset());

const IDLE_MS = 30 * 60_000;

async function onStep(): Promise<{ client: PageClient; path: string }> {
  const account = await createAccount(app.db, { email: 'agent@clamart.fr', siret: CLAMART });
  const client = await signedInClient(app.app, account.email);
  const id = await createRequest(app.db, account.id, CLAMART);
  const path = `/demandes/${id}/demarche`;
  assert.equal((await client.get(path)).status, 200);
  return { client, path };
}

/** Brings the only session row close to its end, as if the last touch were long ago: returns its new expiry. */
async function ageSession(): Promise<number> {
  await app.db('session').update({ expire: app.db.raw("now() + interval '1 minute'") });
  const rows = await app.db('session').select('expire');
  assert.equal(rows.length, 1);
  return new Date(rows[0].expire).getTime();
}

async function sessionExpire(): Promise<number> {
  return new Date((await app.db('session').first('expire')).expire).getTime();
}

describe('POST /session/prolonger', () => {
  it('gives pages the session’s end: data attributes on the partial and an X-Session-Expire header', async () => {
    const { client, path } = await onStep();
    const page = await client.get(path);
    const holder = page.$('#session-delai');
    const expire = Date.parse(holder.attr('data-session-expire') ?? '');
    assert.ok(Math.abs(expire - (Date.now() + IDLE_MS)) < 10_000, 'data-session-expire : dans 30 minutes');
    assert.equal(holder.attr('data-session-idle-ms'), String(IDLE_MS));
    assert.ok(
      Math.abs(Date.parse(page.headers['x-session-expire'] ?? '') - expire) < 10_000,
      'en-tête X-Session-Expire',
    );
    const dialog = page.$('dialog#session-alerte');
    assert.equal(dialog.attr('role'), 'alertdialog');
    assert.equal(dialog.attr('open'), undefined, 'l’avertissement est fermé au chargement (et sans JavaScript)');
    assert.equal(page.$(`#${dialog.attr('aria-labelledby')}`).text(), 'Votre session va expirer dans 2 minutes');
    assert.match(page.$(`#${dialog.attr('aria-describedby')}`).text(), /brouillons enregistrés seront conservés/);
  });

  it('answers 204 to htmx and to fetch asking for JSON, and saves the session row now', async () => {
    const { client } = await onStep();
    for (const headers of [{ 'HX-Request': 'true' }, { Accept: 'application/json' }] as Record<string, string>[]) {
      const aged = await ageSession();
      const answer = await client.post('/session/prolonger', { _csrf: client.csrfToken() }, headers);
      assert.equal(answer.status, 204, JSON.stringify(headers));
      assert.match(String(answer.headers.vary), /HX-Request/);
      assert.ok(answer.headers['x-session-expire'], 'la nouvelle fin de session est dans la réponse');
      const moved = await sessionExpire();
      assert.ok(moved - aged > 25 * 60_000, `${JSON.stringify(headers)} : la session en base est prolongée`);
      assert.ok(Math.abs(moved - (Date.now() + IDLE_MS)) < 10_000);
    }
  });

  it('on a step, without JavaScript, is a button of the step form: what was typed is saved as a draft, the session extended', async () => {
    const { client, path } = await onStep();
    const aged = await ageSession();
    const form = client.last!.$('#formulaire-etape');
    assert.equal(
      form.find('#session-prolonger[name="action"][value="prolonger"]').length,
      1,
      'le bouton appartient au formulaire de l’étape',
    );
    assert.equal(
      form.find('button[type="submit"]').first().attr('value'),
      'continuer',
      'Entrée dans un champ envoie « Continuer », pas « Prolonger »',
    );
    const back = await client.submit(
      { title: 'Saisie tapée juste avant de prolonger', action: 'prolonger' },
      { selector: '#formulaire-etape' },
    );
    assert.deepEqual([back.status, back.location], [303, path]);
    assert.ok((await sessionExpire()) - aged > 25 * 60_000, 'la session en base est prolongée');
    const shown = await client.get(path);
    assert.equal(
      shown.$('#title').attr('value'),
      'Saisie tapée juste avant de prolonger',
      'rien de ce qui était tapé n’est perdu',
    );
    assert.match(
      shown.$('main .fr-alert--success').text(),
      /Votre session est prolongée\. Brouillon enregistré à \d{1,2} h \d{2}\./,
    );
  });

  it('on the account page, shows back what was typed without saving it, and extends the session', async () => {
    const { client } = await onStep();
    await client.get('/compte');
    const aged = await ageSession();
    const page = await client.submit(
      { givenName: 'Prénom pas encore enregistré', action: 'prolonger' },
      { selector: 'form[action="/compte"]' },
    );
    assert.equal(page.status, 200);
    assert.equal(page.$('#givenName').attr('value'), 'Prénom pas encore enregistré');
    assert.match(page.$('main .fr-alert--success').text(), /Votre session est prolongée/);
    assert.ok((await sessionExpire()) - aged > 25 * 60_000, 'la session en base est prolongée');
    assert.notEqual(
      (await app.db('users').where({ email: 'agent@clamart.fr' }).first()).given_name,
      'Prénom pas encore enregistré',
      'rien n’est enregistré sans « Enregistrer »',
    );
  });

  it('answers 303 back to the page given, and only to a path of the site', async () => {
    const { client, path } = await onStep();
    const aged = await ageSession();
    const back = await client.post('/session/prolonger', { _csrf: client.csrfToken(), retour: path });
    assert.equal(back.status, 303);
    assert.equal(back.location, path);
    assert.ok((await sessionExpire()) - aged > 25 * 60_000, 'la session en base est prolongée');
    for (const retour of ['//evil.example/', '/\\evil.example', 'https://evil.example/']) {
      const answer = await client.post('/session/prolonger', { _csrf: client.csrfToken(), retour });
      assert.deepEqual([answer.status, answer.location], [303, '/compte'], retour);
    }
  });

  it('refuses without a CSRF token, and sends the signed-out to the sign-in page', async () => {
    const { client } = await onStep();
    const token = client.csrfToken();
    assert.equal((await client.post('/session/prolonger', {}, { 'HX-Request': 'true' })).status, 403);
    await app.db('session').del();
    const answer = await client.post('/session/prolonger', { _csrf: token }, { 'HX-Request': 'true' });
    assert.notEqual(answer.status, 204, 'pas de 204 sans session');
  });
});

describe('the « déconnecté » page', () => {
  it('says the person was signed out and that saved drafts are kept', async () => {
    const { client } = await onStep();
    const page = await client.get('/connexion/deconnecte');
    assert.equal(page.status, 200);
    assert.match(page.$('main').text(), /Vous avez été déconnecté/);
    assert.match(page.$('main').text(), /Vos brouillons enregistrés sont conservés/);
  });
});
