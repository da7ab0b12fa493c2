import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CLAMART, createAccount, createModerationCase, organisationFor } from '../helpers/fixtures.ts';
import { emailsTo, linkIn } from '../helpers/mailbox.ts';
import { PageClient } from '../helpers/page-client.ts';
import { signedInClient } from '../helpers/sign-in.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());
beforeEach(() => app.reset());

const JOIN_FORM = 'form[action="/organisations/rejoindre"]';

/** Signs up and activates through the pages, as a person would; returns the activation result page. */
async function joinBySignUp(email: string, siret = CLAMART) {
  const client = new PageClient(app.app);
  await client.get('/inscription');
  const created = await client.submit({
    givenName: 'Léa',
    familyName: 'Petit',
    email,
    password: 'quatre chevaux mangent du foin',
    siret,
    confirmation: 'oui',
    action: 'creer',
  });
  assert.equal(created.status, 303);
  await client.get(await linkIn(app.db, email, 'activation'));
  await client.get('/activation');
  return client.submit({});
}

async function membership(email: string) {
  return app
    .db('memberships as m')
    .join('users as u', 'u.id', 'm.user_id')
    .whereRaw('lower(u.email) = ?', [email.toLowerCase()])
    .first('m.status', 'm.organisation_id');
}

const signIn = (email: string) => signedInClient(app.app, email);

describe('joining an organisation: the three cases', () => {
  it('1. no member yet: the organisation is created with the user’s domain, the user is its first member', async () => {
    const page = await joinBySignUp('lea.petit@clamart.fr');
    assert.match(page.$('.fr-alert__title').text(), /Vous avez rejoint COMMUNE DE CLAMART/);
    assert.match(page.$('.fr-alert p').text(), /premier membre/);
    const organisation = await app.db('organisations').where({ siret: CLAMART }).first();
    assert.equal(organisation.domain, 'clamart.fr');
    assert.equal((await membership('lea.petit@clamart.fr')).status, 'active');
  });

  it('1. with a free mail address: created, but the membership waits for support and no domain is set', async () => {
    const page = await joinBySignUp('lea.petit@gmail.com');
    assert.match(page.$('.fr-alert__title').text(), /en attente/);
    assert.equal((await app.db('organisations').where({ siret: CLAMART }).first()).domain, null);
    assert.equal((await membership('lea.petit@gmail.com')).status, 'pending');
    assert.equal((await app.db('moderation_cases').first()).kind, 'free_mail');
  });

  it('2. members with the same domain: the user joins and every member is told by email', async () => {
    await createAccount(app.db, { email: 'paul@clamart.fr', siret: CLAMART });
    await createAccount(app.db, { email: 'anne@clamart.fr', siret: CLAMART });
    const page = await joinBySignUp('lea.petit@clamart.fr');
    assert.match(page.$('.fr-alert__title').text(), /Vous avez rejoint/);
    assert.equal((await membership('lea.petit@clamart.fr')).status, 'active');
    for (const member of ['paul@clamart.fr', 'anne@clamart.fr']) {
      const mails = await emailsTo(app.db, member);
      assert.equal(mails.length, 1, member);
      assert.match(mails[0]!.subject, /Léa Petit a rejoint COMMUNE DE CLAMART/);
    }
  });

  it('3. members with another domain: suspended, support decides in the moderation queue, the user is told', async () => {
    await createAccount(app.db, { email: 'paul@ville-clamart.fr', siret: CLAMART });
    const admin = await createAccount(app.db, { email: 'support@signup.localhost', roles: ['admin'] });
    const page = await joinBySignUp('lea.petit@prestataire.fr');
    assert.match(page.$('.fr-alert__title').text(), /en attente/);
    assert.match(page.$('.fr-alert p').text(), /support/);
    assert.equal((await membership('lea.petit@prestataire.fr')).status, 'pending');
    assert.equal(
      (await emailsTo(app.db, 'paul@ville-clamart.fr')).length,
      0,
      'les membres ne sont pas prévenus d’une demande suspendue',
    );
    assert.deepEqual(
      (await emailsTo(app.db, 'lea.petit@prestataire.fr')).map((m) => m.template),
      ['activation', 'adhesion-en-attente'],
    );

    const support = await signIn(admin.email);
    const queue = await support.get('/admin/moderation');
    const link = queue.$('main table a').attr('href') as string;
    assert.match(link, /^\/admin\/moderation\/\d+$/);
    const dossier = await support.get(link);
    assert.match(dossier.$('main').text(), /lea\.petit@prestataire\.fr/);
    assert.equal((await support.submit({})).status, 422, 'une décision est obligatoire');
    await support.get(link);
    const decided = await support.submit({ decision: 'accepter', note: 'Justificatif reçu' });
    assert.equal(decided.status, 303);
    assert.equal((await membership('lea.petit@prestataire.fr')).status, 'active');
    const mails = await emailsTo(app.db, 'lea.petit@prestataire.fr');
    assert.equal(mails.at(-1)!.template, 'adhesion-acceptee');
    assert.match(mails.at(-1)!.text, /Justificatif reçu/);
    const audit = await app.db('audit_log').first();
    assert.equal(audit.action, 'moderation.approved');
    assert.equal(String(audit.actor_id), admin.id);
    await support.get(link);
    assert.equal(support.last!.$('main form').length, 0, 'un dossier traité ne se redécide pas');
  });

  it('a pending member cannot act for the organisation (404), and a second decision on the same case is refused', async () => {
    const pending = await createAccount(app.db, { email: 'lea@prestataire.fr' });
    const caseId = await createModerationCase(app.db, pending.id, CLAMART);
    const organisationId = await organisationFor(app.db, CLAMART);
    const client = await signIn(pending.email);
    await client.get('/organisations');
    const res = await client.post('/organisations/courante', {
      _csrf: client.csrfToken(),
      organisation: organisationId,
    });
    assert.equal(res.status, 404);
    const first = await app.services.moderation.decide(caseId, pending.id, false, null);
    const second = await app.services.moderation.decide(caseId, pending.id, true, null);
    assert.deepEqual([first, second], [true, false]);
    assert.equal((await membership('lea@prestataire.fr')).status, 'refused');
  });

  it('already a member: a clear message, nothing changes', async () => {
    const member = await createAccount(app.db, { email: 'paul@clamart.fr', siret: CLAMART });
    const client = await signIn(member.email);
    await client.get('/organisations/rejoindre');
    const page = await client.submit({ siret: CLAMART, confirmation: 'oui' }, { selector: JOIN_FORM });
    assert.equal(page.status, 303);
    assert.match((await client.get('/organisations')).$('.fr-alert').text(), /déjà membre/);
  });

  it('a user belongs to several organisations and chooses the current one', async () => {
    const member = await createAccount(app.db, { email: 'paul@clamart.fr', siret: CLAMART });
    const client = await signIn(member.email);
    await client.get('/organisations/rejoindre');
    await client.submit({ siret: '22690001700014' }, { selector: JOIN_FORM });
    assert.match(client.last!.$('.signup-organisation-card').text(), /RHONE/);
    await client.submit({ siret: '22690001700014', confirmation: 'oui' }, { selector: JOIN_FORM });
    const list = await client.get('/organisations');
    assert.equal(list.$('main ul li').length, 2);
    const rhone = await organisationFor(app.db, '22690001700014');
    const switched = await client.submit(
      { organisation: rhone },
      { selector: 'form[action="/organisations/courante"]' },
    );
    assert.equal(switched.status, 303);
    assert.match((await client.get('/organisations')).$('.fr-alert').text(), /RHONE/);
  });

  it('the admin pages answer 404 to non-admins and send anonymous visitors to sign in', async () => {
    const member = await createAccount(app.db, { email: 'paul@clamart.fr', siret: CLAMART });
    const client = await signIn(member.email);
    assert.equal((await client.get('/admin/moderation')).status, 404);
    assert.equal((await new PageClient(app.app).get('/admin/moderation')).location, '/connexion');
  });
});
