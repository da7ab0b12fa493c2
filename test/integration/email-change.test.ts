import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, FIXTURE_PASSWORD } from '../helpers/fixtures.ts';
import { emailsTo, linkIn } from '../helpers/mailbox.ts';
import { PageClient } from '../helpers/page-client.ts';
import { signedInClient } from '../helpers/sign-in.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp({ BASE_URL: 'http://signup.example.gouv.fr' });
});
after(() => app.stop());
beforeEach(() => app.reset());

const CONFIRM = '/compte/confirmer-mot-de-passe';
const PAGE = '/compte/adresse-electronique';

/** Signed in 20 minutes ago: the password must be typed again. */
async function ageSessions(userId: string, minutes = 20): Promise<void> {
  await app.db.raw(
    "UPDATE session SET sess = jsonb_set(sess::jsonb, '{authAt}', to_jsonb(?::bigint))::json WHERE sess ->> 'userId' = ?",
    [Date.now() - minutes * 60_000, String(userId)],
  );
}

async function askChange(client: PageClient, email: string) {
  const form = await client.get(PAGE);
  assert.equal(form.status, 200);
  return client.submit({ email });
}

async function confirmWith(client: PageClient, link: string) {
  const landed = await client.get(link);
  assert.equal(landed.location, '/adresse-electronique/confirmer');
  assert.equal(landed.headers['referrer-policy'], 'no-referrer');
  const page = await client.get('/adresse-electronique/confirmer');
  if (page.$('form[action="/adresse-electronique/confirmer"]').length === 0) return page;
  return client.submit({});
}

describe('recent re-authentication', () => {
  it('sends an old session to the password prompt, refuses a wrong password (422), then comes back after the right one', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    const client = await signedInClient(app.app, account.email);
    assert.equal((await client.get(PAGE)).status, 200, 'connexion récente : pas de nouvelle saisie');
    await ageSessions(account.id);

    const redirected = await client.get(PAGE);
    assert.equal(redirected.status, 303);
    assert.equal(redirected.location, `${CONFIRM}?retour=${encodeURIComponent(PAGE)}`);
    const prompt = await client.get(redirected.location!);
    assert.equal(prompt.status, 200);
    assert.equal(prompt.$('#password').attr('autocomplete'), 'current-password');
    assert.equal(prompt.$('label[for="password"]').length, 1);

    const wrong = await client.submit({ password: 'pas le bon mot de passe' });
    assert.equal(wrong.status, 422);
    assert.match(wrong.$('#resume-erreurs').text(), /incorrect/);
    assert.equal((await client.get(PAGE)).status, 303, 'toujours pas confirmé');
    const posted = await client.post(PAGE, {
      _csrf: prompt.$('input[name="_csrf"]').attr('value') ?? '',
      email: 'nouvelle@clamart.fr',
    });
    assert.equal(posted.status, 303, 'le POST aussi demande le mot de passe');
    assert.match(posted.location ?? '', /^\/compte\/confirmer-mot-de-passe/);
    assert.equal((await app.db('email_tokens').where({ purpose: 'email_change' })).length, 0, 'rien n’a été demandé');

    await client.get(redirected.location!);
    const right = await client.submit({ password: FIXTURE_PASSWORD });
    assert.equal(right.status, 303);
    assert.equal(right.location, PAGE);
    assert.equal((await client.get(PAGE)).status, 200);
    const user = await app.db('users').where({ id: account.id }).first();
    assert.equal(user.email, 'agent@clamart.fr');
  });

  it('never returns to another site', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    const client = await signedInClient(app.app, account.email);
    await client.get(`${CONFIRM}?retour=//evil.example/x`);
    assert.equal((await client.submit({ password: FIXTURE_PASSWORD })).location, '/compte');
  });

  it('counts wrong passwords with the sign-in limiter of the account (429)', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    const client = await signedInClient(app.app, account.email);
    for (let i = 0; i < 10; i += 1) {
      await client.get(CONFIRM);
      assert.equal((await client.submit({ password: `faux ${i}` })).status, 422);
    }
    await client.get(CONFIRM);
    assert.equal((await client.submit({ password: FIXTURE_PASSWORD })).status, 429);
  });
});

describe('email change', () => {
  it('mails a link to the new address and a notice to the old one; the address changes only when the link is used, once', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr', siret: '21920023500014' });
    const membershipsBefore = await app
      .db('memberships')
      .where({ user_id: account.id })
      .select('organisation_id', 'status');
    const other = await signedInClient(app.app, account.email);
    const client = await signedInClient(app.app, account.email);
    const page = await client.get(PAGE);
    assert.match(page.$('main').text(), /Votre rattachement à vos organisations ne change pas/);

    const invalid = await client.submit({ email: 'pas-une-adresse' });
    assert.equal(invalid.status, 422);
    assert.equal((await askChange(client, 'Agent@Clamart.fr')).status, 422, 'même adresse');

    const sent = await askChange(client, 'Marie.Durand@Exemple.gouv.fr');
    assert.equal(sent.location, '/compte');
    assert.match(
      (await client.get('/compte')).$('main').text(),
      /Un lien de confirmation a été envoyé à marie\.durand@exemple\.gouv\.fr/,
    );
    assert.equal(
      (await app.db('users').where({ id: account.id }).first()).email,
      'agent@clamart.fr',
      'pas encore changée',
    );

    await app.runJobs();
    const toNew = (await emailsTo(app.db, 'marie.durand@exemple.gouv.fr')).at(-1)!;
    assert.equal(toNew.template, 'changement-adresse');
    assert.match(toNew.text, /http:\/\/signup\.example\.gouv\.fr\/adresse-electronique\/confirmer\?jeton=/);
    const notice = (await emailsTo(app.db, account.email)).at(-1)!;
    assert.equal(notice.template, 'changement-adresse-demande');
    assert.doesNotMatch(notice.text, /jeton/, 'pas de lien de confirmation dans l’avis');
    const stored = await app.db('email_tokens').where({ purpose: 'email_change' }).first();
    const link = await linkIn(app.db, 'marie.durand@exemple.gouv.fr', 'changement-adresse');
    assert.ok(!link.includes(stored.token_hash) && stored.token_hash.length === 64, 'seule l’empreinte est gardée');

    const done = await confirmWith(client, link);
    assert.equal(done.status, 200);
    assert.match(done.$('h1').text(), /adresse électronique est modifiée/);
    assert.equal((await app.db('users').where({ id: account.id }).first()).email, 'marie.durand@exemple.gouv.fr');
    assert.equal((await client.get('/compte')).status, 200, 'la session courante reste ouverte');
    assert.equal((await other.get('/compte')).status, 303, 'les autres sessions sont fermées');
    assert.deepEqual(
      await app.db('memberships').where({ user_id: account.id }).select('organisation_id', 'status'),
      membershipsBefore,
      'rattachements inchangés',
    );

    const audit = await app.db('audit_log').where({ action: 'email_changed' });
    assert.equal(audit.length, 1);
    assert.equal(String(audit[0].actor_id), String(account.id));
    assert.deepEqual(audit[0].details, { from: 'agent@clamart.fr', to: 'marie.durand@exemple.gouv.fr' });

    const replay = await confirmWith(new PageClient(app.app), link);
    assert.match(replay.$('h1').text(), /expiré ou déjà utilisé/);
    assert.equal((await app.db('audit_log').where({ action: 'email_changed' })).length, 1);
    await signedInClient(app.app, 'marie.durand@exemple.gouv.fr'); // fails the test unless the new address signs in
  });

  it('ends every session of the user when the link is opened in another browser', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    const client = await signedInClient(app.app, account.email);
    await askChange(client, 'nouvelle@clamart.fr');
    await app.runJobs();
    const done = await confirmWith(
      new PageClient(app.app),
      await linkIn(app.db, 'nouvelle@clamart.fr', 'changement-adresse'),
    );
    assert.equal(done.status, 200);
    assert.equal((await client.get('/compte')).status, 303);
  });

  it('refuses an expired link', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    const client = await signedInClient(app.app, account.email);
    await askChange(client, 'nouvelle@clamart.fr');
    await app.runJobs();
    const link = await linkIn(app.db, 'nouvelle@clamart.fr', 'changement-adresse');
    await app.db('email_tokens').update({ expires_at: app.db.raw("now() - interval '1 second'") });
    const page = await confirmWith(client, link);
    assert.match(page.$('h1').text(), /expiré ou déjà utilisé/);
    await client.get('/adresse-electronique/confirmer');
    assert.equal((await client.post('/adresse-electronique/confirmer', { _csrf: client.csrfToken() })).status, 200);
    assert.equal((await app.db('users').where({ id: account.id }).first()).email, 'agent@clamart.fr');
  });

  it('answers the same for an address already used by another account, which changes nothing', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    const owner = await createAccount(app.db, { email: 'pris@clamart.fr', givenName: 'Paul' });
    const client = await signedInClient(app.app, account.email);

    const free = await askChange(client, 'libre@clamart.fr');
    const freeNotice = (await client.get('/compte')).$('.fr-alert').text().replace('libre@clamart.fr', 'X');
    const taken = await askChange(client, 'PRIS@clamart.fr');
    assert.equal(taken.status, free.status);
    assert.equal(taken.location, free.location);
    const takenNotice = (await client.get('/compte')).$('.fr-alert').text().replace('pris@clamart.fr', 'X');
    assert.equal(takenNotice, freeNotice, 'même réponse');

    await app.runJobs();
    const toRequester = await emailsTo(app.db, account.email);
    assert.deepEqual(
      toRequester.map((m) => m.template),
      ['changement-adresse-demande', 'changement-adresse-demande'],
      'même courriel au demandeur',
    );
    const toOwner = await emailsTo(app.db, owner.email);
    assert.deepEqual(
      toOwner.map((m) => m.template),
      ['adresse-deja-utilisee'],
    );
    assert.doesNotMatch(toOwner[0]!.text, /jeton|agent@clamart\.fr/);
    assert.equal(
      (await app.db('email_tokens').where({ purpose: 'email_change' }).whereNull('used_at')).length,
      1,
      'seul le lien vers l’adresse libre',
    );
    assert.equal((await app.db('users').where({ id: account.id }).first()).email, 'agent@clamart.fr');
    assert.equal((await app.db('users').where({ id: owner.id }).first()).email, 'pris@clamart.fr');
  });

  it('refuses the link when the address was taken in the meantime', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    const client = await signedInClient(app.app, account.email);
    await askChange(client, 'nouvelle@clamart.fr');
    await app.runJobs();
    const link = await linkIn(app.db, 'nouvelle@clamart.fr', 'changement-adresse');
    await createAccount(app.db, { email: 'nouvelle@clamart.fr' });
    const page = await confirmWith(client, link);
    assert.match(page.$('h1').text(), /expiré ou déjà utilisé/);
    assert.equal((await app.db('users').where({ id: account.id }).first()).email, 'agent@clamart.fr');
  });
});
