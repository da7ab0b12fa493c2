import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, FIXTURE_PASSWORD } from '../helpers/fixtures.ts';
import { emailsTo, linkIn } from '../helpers/mailbox.ts';
import { PageClient } from '../helpers/page-client.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp({ BASE_URL: 'http://signup.example.gouv.fr' });
});
after(() => app.stop());
beforeEach(() => app.reset());

const NEW_PASSWORD = 'un autre mot de passe bien long';
const PROFILE_FORM = 'form[action="/compte"]';

async function signIn(email: string, password = FIXTURE_PASSWORD) {
  const client = new PageClient(app.app);
  const headers = { 'X-Forwarded-Proto': 'https' };
  await client.get('/connexion');
  const page = await client.submit({ email, password }, { headers });
  return { client, page };
}

describe('password reset', () => {
  it('sends a single-use link built from BASE_URL, ends every session, does not sign in, and notifies', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    const other = await createAccount(app.db, { email: 'autre@clamart.fr' });
    const { client: elsewhere } = await signIn(account.email);
    assert.equal((await elsewhere.get('/compte')).status, 200);
    await signIn(other.email);

    const client = new PageClient(app.app);
    await client.get('/mot-de-passe-oublie');
    const sent = await client.submit({ email: 'Agent@Clamart.fr' }, { headers: { Host: 'evil.example' } });
    assert.equal(sent.location, '/mot-de-passe-oublie/envoye');
    await app.runJobs();
    const mail = (await emailsTo(app.db, account.email)).at(-1)!;
    assert.match(
      mail.text,
      /http:\/\/signup\.example\.gouv\.fr\/mot-de-passe\/nouveau\?jeton=/,
      'le lien vient de BASE_URL, pas de l’en-tête Host',
    );
    const link = await linkIn(app.db, account.email, 'reinitialisation');

    await client.get(link);
    const form = await client.get('/mot-de-passe/nouveau');
    assert.equal(
      form.headers['referrer-policy'],
      'same-origin',
      'the form page: no referrer to other sites, and the browser still sends its Origin with the POST',
    );
    assert.equal((await client.submit({ password: 'motdepasse123' })).status, 422);
    await client.get('/mot-de-passe/nouveau');
    const done = await client.submit({ password: NEW_PASSWORD });
    assert.equal(done.location, '/connexion', 'pas de connexion automatique');
    assert.equal((await elsewhere.get('/compte')).status, 303, 'les autres sessions sont fermées');
    assert.equal((await signIn(other.email)).page.status, 303, 'les sessions des autres comptes ne sont pas touchées');
    assert.equal((await signIn(account.email)).page.status, 422);
    assert.equal((await signIn(account.email, NEW_PASSWORD)).page.status, 303);
    assert.equal((await emailsTo(app.db, account.email)).at(-1)!.template, 'mot-de-passe-modifie');

    const replay = new PageClient(app.app);
    await replay.get(link);
    assert.match((await replay.get('/mot-de-passe/nouveau')).$('h1').text(), /expiré ou déjà utilisé/);
  });

  it('answers the same page for an unknown address and sends nothing', async () => {
    const client = new PageClient(app.app);
    await client.get('/mot-de-passe-oublie');
    assert.equal((await client.submit({ email: 'inconnu@clamart.fr' })).location, '/mot-de-passe-oublie/envoye');
    await app.runJobs();
    assert.equal((await app.db('emails')).length, 0);
  });

  it('stops working after one hour, and when a newer link is asked for', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    const ask = async () => {
      const client = new PageClient(app.app);
      await client.get('/mot-de-passe-oublie');
      await client.submit({ email: account.email });
      await app.runJobs();
      return linkIn(app.db, account.email, 'reinitialisation');
    };
    const first = await ask();
    await ask();
    const client = new PageClient(app.app);
    await client.get(first);
    assert.match(
      (await client.get('/mot-de-passe/nouveau')).$('h1').text(),
      /expiré ou déjà utilisé/,
      'remplacé par un lien plus récent',
    );
    const latest = await ask();
    await app.db('email_tokens').update({ expires_at: app.db.raw("now() - interval '1 second'") });
    await client.get(latest);
    assert.match((await client.get('/mot-de-passe/nouveau')).$('h1').text(), /expiré ou déjà utilisé/, 'expiré');
  });

  it('limits reset emails to 5 per address per 15 minutes (429)', async () => {
    const client = new PageClient(app.app);
    for (let i = 0; i < 5; i += 1) {
      await client.get('/mot-de-passe-oublie');
      assert.equal((await client.submit({ email: 'agent@clamart.fr' })).status, 303);
    }
    await client.get('/mot-de-passe-oublie');
    const blocked = await client.submit({ email: 'agent@clamart.fr' });
    assert.equal(blocked.status, 429);
    assert.match(blocked.$('main').text(), /agent@clamart\.fr/, 'la saisie est rendue');
  });
});

describe('account page', () => {
  it('changes the password only with the current one, ends the other sessions and notifies', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    const { client: other } = await signIn(account.email);
    const { client } = await signIn(account.email);
    await client.get('/compte/mot-de-passe');
    const wrong = await client.submit(
      { current: 'pas le bon', password: NEW_PASSWORD },
      { headers: { 'X-Forwarded-Proto': 'https' } },
    );
    assert.equal(wrong.status, 422);
    assert.match(wrong.$('#current-erreur').text(), /incorrect/);
    await client.get('/compte/mot-de-passe');
    const missing = await client.submit(
      { current: '', password: NEW_PASSWORD },
      { headers: { 'X-Forwarded-Proto': 'https' } },
    );
    assert.equal(missing.status, 422);
    await client.get('/compte/mot-de-passe');
    const done = await client.submit(
      { current: FIXTURE_PASSWORD, password: NEW_PASSWORD },
      { headers: { 'X-Forwarded-Proto': 'https' } },
    );
    assert.equal(done.location, '/compte');
    assert.equal(
      (await client.get('/compte', { 'X-Forwarded-Proto': 'https' })).status,
      200,
      'la session courante reste ouverte',
    );
    assert.equal((await other.get('/compte', { 'X-Forwarded-Proto': 'https' })).status, 303, 'les autres sont fermées');
    const mail = (await emailsTo(app.db, account.email)).at(-1)!;
    assert.equal(mail.template, 'mot-de-passe-modifie');
    assert.ok(!mail.text.includes(NEW_PASSWORD));
  });

  it('updates the profile, normalises French phone numbers, and refuses bad ones in French', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    const { client } = await signIn(account.email);
    const https = { 'X-Forwarded-Proto': 'https' };
    const page = await client.get('/compte', https);
    assert.equal(page.$('#jobTitle').attr('autocomplete'), 'organization-title');
    assert.equal(page.$('#phone').attr('autocomplete'), 'tel');
    const saved = await client.submit(
      { givenName: 'Marie', familyName: 'Durand', jobTitle: 'Cheffe de projet', phone: '0692 12 34 56', idle: '120' },
      { selector: PROFILE_FORM, headers: https },
    );
    assert.equal(saved.status, 303);
    const user = await app.db('users').where({ id: account.id }).first();
    assert.equal(user.phone, '+33692123456');
    assert.equal(user.session_idle_minutes, 120);
    await client.get('/compte', https);
    const bad = await client.submit(
      { givenName: '', familyName: 'Durand', phone: '12 34', idle: '999', jobTitle: 'x'.repeat(101) },
      { selector: PROFILE_FORM, headers: https },
    );
    assert.equal(bad.status, 422);
    assert.match(bad.$('#phone-erreur').text(), /01 23 45 67 89/);
    assert.match(bad.$('#givenName-erreur').text(), /prénom/);
    assert.match(bad.$('#idle-erreur').text(), /durée/);
    assert.match(bad.$('#jobTitle-erreur').text(), /100 caractères/);
    assert.equal(bad.$('#phone').attr('value'), '12 34');
  });

  it('lengthens the idle timeout to the user’s choice and shows when the session ends, with a button to extend it', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    await app.db('users').where({ id: account.id }).update({ session_idle_minutes: 300 });
    const { client } = await signIn(account.email);
    const page = await client.get('/compte', { 'X-Forwarded-Proto': 'https' });
    const cookie = String(page.headers['set-cookie']);
    const expires = new Date(/Expires=([^;]+)/.exec(cookie)![1] as string).getTime();
    assert.ok(expires - Date.now() > 290 * 60_000, 'cookie valable environ 5 heures');
    assert.match(page.$('form[action="/compte"] #session-delai').text(), /vous serez déconnecté à \d+ h \d{2}/);
    const extended = await client.submit(
      { action: 'prolonger' },
      { selector: 'form[action="/compte"]', headers: { 'X-Forwarded-Proto': 'https' } },
    );
    assert.equal(extended.status, 200);
    assert.match(extended.$('main .fr-alert--success').text(), /Votre session est prolongée/);
  });

  it('lists the sessions and closes the others', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    const { client: other } = await signIn(account.email);
    const { client } = await signIn(account.email);
    const https = { 'X-Forwarded-Proto': 'https' };
    const list = await client.get('/compte/sessions', https);
    assert.equal(list.$('.signup-request').length, 2);
    assert.equal(list.$('#liste-sessions').text(), 'Sessions ouvertes avec votre compte (2)');
    assert.equal(
      list.$('.signup-request h3').filter((_i, h) => list.$(h).text().includes('(cette session)')).length,
      1,
    );
    assert.doesNotMatch(list.$('main').text(), /Mozilla|AppleWebKit/, 'the browser is named, not its raw User-Agent');
    await client.submit({}, { headers: https });
    assert.equal((await other.get('/compte', https)).status, 303);
    assert.equal((await client.get('/compte', https)).status, 200);
  });
});
