/**
 * A link sent before a change of password or of address, or before a reset, no longer works afterwards: it may sit in
 * a mailbox that is no longer the person's (an attacker who changed the address, a shared mailbox).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, FIXTURE_PASSWORD } from '../helpers/fixtures.ts';
import { linkIn } from '../helpers/mailbox.ts';
import { PageClient } from '../helpers/page-client.ts';
import { signedInClient } from '../helpers/sign-in.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());
beforeEach(() => app.reset());

const NEW_PASSWORD = 'un autre mot de passe bien long';

async function requestReset(email: string): Promise<string> {
  const client = new PageClient(app.app);
  await client.get('/mot-de-passe-oublie');
  await client.submit({ email });
  await app.runJobs();
  return linkIn(app.db, email, 'reinitialisation');
}

/** Whether an emailed reset link still sets a password. */
async function resetWorks(link: string): Promise<boolean> {
  const client = new PageClient(app.app);
  await client.get(link);
  const form = await client.get('/mot-de-passe/nouveau');
  if (form.$('form[action="/mot-de-passe/nouveau"]').length === 0) return false;
  return (await client.submit({ password: 'le mot de passe de l’intrus bien long' })).location === '/connexion';
}

async function requestEmailChange(client: PageClient, email: string, to: string): Promise<string> {
  await client.get('/compte/adresse-electronique');
  assert.equal((await client.submit({ email: to })).status, 303);
  return linkIn(app.db, to, 'changement-adresse');
}

describe('sessions waiting for the second factor', () => {
  it('end with the others when the password is reset: a stolen password typed earlier cannot be followed by a code', async () => {
    const admin = await createAccount(app.db, { email: 'admin@signup.localhost', roles: ['admin'] });
    const thief = new PageClient(app.app);
    await thief.get('/connexion');
    assert.equal(
      (await thief.submit({ email: admin.email, password: FIXTURE_PASSWORD })).location,
      '/compte/double-authentification',
    );
    const link = await requestReset(admin.email);
    assert.equal(await resetWorks(link), true, 'the owner resets the password');
    assert.equal(
      (await thief.get('/compte/double-authentification')).location,
      '/connexion',
      'the pending session has ended',
    );
  });
});

describe('outstanding emailed links', () => {
  it('a change of password ends the reset link sent before', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    const link = await requestReset(account.email);
    const client = await signedInClient(app.app, account.email);
    await client.get('/compte/mot-de-passe');
    assert.equal((await client.submit({ current: FIXTURE_PASSWORD, password: NEW_PASSWORD })).location, '/compte');
    assert.equal(await resetWorks(link), false);
  });

  it('a change of address ends the reset link sent to the old address', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    const link = await requestReset(account.email);
    const client = await signedInClient(app.app, account.email);
    const confirm = await requestEmailChange(client, account.email, 'marie.durand@clamart.fr');
    await client.get(confirm);
    await client.get('/adresse-electronique/confirmer');
    assert.equal((await client.submit({})).status, 200);
    assert.equal((await app.db('users').where({ id: account.id }).first()).email, 'marie.durand@clamart.fr');
    assert.equal(await resetWorks(link), false);
  });

  it('using a reset link ends the other links: an email change waiting for confirmation, another reset', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    const client = await signedInClient(app.app, account.email);
    const confirm = await requestEmailChange(client, account.email, 'intrus@exemple.fr');
    const link = await requestReset(account.email);
    assert.equal(await resetWorks(link), true);
    const other = new PageClient(app.app);
    await other.get(confirm);
    const page = await other.get('/adresse-electronique/confirmer');
    assert.match(page.$('h1').text(), /expiré ou déjà utilisé/, 'the address change waiting for confirmation is void');
    assert.equal((await app.db('users').where({ id: account.id }).first()).email, 'agent@clamart.fr');
    assert.equal(
      await app
        .db('email_tokens')
        .where({ user_id: account.id })
        .whereNull('used_at')
        .count('* as n')
        .first()
        .then((r) => Number((r as { n: string }).n)),
      0,
    );
  });
});
