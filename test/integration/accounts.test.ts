import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, FIXTURE_PASSWORD } from '../helpers/fixtures.ts';
import { emailsTo, linkIn } from '../helpers/mailbox.ts';
import { errorSummaryTargets, PageClient } from '../helpers/page-client.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());
beforeEach(() => app.reset());

const PASSWORD = 'quatre chevaux mangent du foin';
const person = {
  givenName: 'Marie',
  familyName: 'Durand',
  email: 'marie.durand@clamart.fr',
  password: PASSWORD,
  siret: '21920023500014',
  confirmation: 'oui',
};

async function signUp(values: Record<string, string> = {}) {
  const client = new PageClient(app.app);
  await client.get('/inscription');
  return { client, page: await client.submit({ ...person, action: 'creer', ...values }) };
}

async function activate(email: string) {
  const client = new PageClient(app.app);
  const landing = await client.get(await linkIn(app.db, email, 'activation'));
  assert.equal(landing.status, 303);
  assert.equal(landing.location, '/activation', 'le jeton quitte l’URL dès le premier passage');
  assert.equal(landing.headers['referrer-policy'], 'no-referrer');
  await client.get('/activation');
  return { client, page: await client.submit({}) };
}

async function signIn(email: string, password: string, client = new PageClient(app.app)) {
  await client.get('/connexion');
  return { client, page: await client.submit({ email, password }) };
}

describe('sign-up and activation', () => {
  it('creates an inactive account, emails a single-use link, activates it and joins the organisation', async () => {
    const { page } = await signUp();
    assert.equal(page.status, 303);
    assert.equal(page.location, '/inscription/confirmation');
    const user = await app.db('users').where({ email: person.email }).first();
    assert.equal(user.activated_at, null);
    assert.match(user.password_hash, /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=1\$/);
    const [, m, t] = /m=(\d+),t=(\d+)/.exec(user.password_hash) as RegExpExecArray;
    assert.ok(Number(m) >= 19456 && Number(t) >= 2);
    const early = (await signIn(person.email, PASSWORD)).page;
    assert.equal(early.status, 422, 'inutilisable avant activation');
    assert.ok(early.$('main h1, main h2, main h3').first().is('h1'), 'the « not activated » alert comes after the h1');

    const link = await linkIn(app.db, person.email, 'activation');
    const token = new URL(link, 'http://x').searchParams.get('jeton') as string;
    assert.ok(token.length >= 43);
    const tokens = await app.db('email_tokens').select('token_hash');
    assert.ok(
      tokens.every((row: { token_hash: string }) => row.token_hash !== token),
      'seul le hachage est stocké',
    );

    const { page: result } = await activate(person.email);
    assert.equal(result.status, 200);
    assert.match(result.$('h1').text(), /Votre compte est activé/);
    assert.match(result.$('.fr-alert__title').text(), /Vous avez rejoint COMMUNE DE CLAMART/);
    const again = await new PageClient(app.app).get(link);
    assert.equal(again.status, 303);
    const reused = await new PageClient(app.app).get(link).then(async () => {
      const c = new PageClient(app.app);
      await c.get(link);
      return c.get('/activation');
    });
    assert.match(reused.$('h1').text(), /expiré ou déjà utilisé/);
    assert.equal((await signIn(person.email, PASSWORD)).page.status, 303);
  });

  it('refuses an expired activation link', async () => {
    await signUp();
    await app.db('email_tokens').update({ expires_at: app.db.raw("now() - interval '1 second'") });
    const client = new PageClient(app.app);
    await client.get(await linkIn(app.db, person.email, 'activation'));
    assert.match((await client.get('/activation')).$('h1').text(), /expiré ou déjà utilisé/);
  });

  it('answers an existing email exactly as a new one, and tells the owner by email instead', async () => {
    await createAccount(app.db, { email: person.email });
    const existing = await signUp();
    await app.reset();
    const fresh = await signUp();
    assert.equal(existing.page.status, fresh.page.status);
    assert.equal(existing.page.location, fresh.page.location);
    await app.reset();
    await createAccount(app.db, { email: person.email });
    await signUp({ email: 'MARIE.DURAND@clamart.fr' });
    const mails = await emailsTo(app.db, person.email);
    assert.deepEqual(
      mails.map((m) => m.template),
      ['compte-existant'],
    );
    assert.equal(
      await app
        .db('users')
        .count('* as n')
        .first()
        .then((r) => Number((r as { n: string }).n)),
      1,
    );
  });

  it('keeps what was typed (except the password) and links every error on a 422', async () => {
    const { page } = await signUp({
      givenName: '',
      email: 'pas-une-adresse',
      password: 'court',
      siret: '21920023500015',
    });
    assert.equal(page.status, 422);
    assert.match(page.$('title').text(), /^Erreur : Créer un compte/);
    assert.ok(errorSummaryTargets(page).every((t) => t.exists));
    assert.deepEqual(
      errorSummaryTargets(page)
        .map((t) => t.href)
        .sort(),
      ['#email', '#givenName', '#password', '#siret'],
    );
    assert.equal(page.$('#email').attr('value'), 'pas-une-adresse');
    assert.equal(page.$('#familyName').attr('value'), 'Durand');
    assert.equal(page.$('#password').attr('value'), undefined);
    assert.equal(page.$('#email').attr('autocomplete'), 'email');
    assert.equal(page.$('#password').attr('autocomplete'), 'new-password');
    assert.equal(page.$('#givenName').attr('autocomplete'), 'given-name');
  });

  it('shows the organisation and asks for confirmation before creating anything', async () => {
    const { page } = await signUp({ confirmation: '' });
    assert.equal(page.status, 422);
    assert.match(page.$('.signup-organisation-card').text(), /COMMUNE DE CLAMART/);
    assert.match(page.$('#confirmation-erreur').text(), /Confirmez/);
    assert.equal(
      await app
        .db('users')
        .count('* as n')
        .first()
        .then((r) => Number((r as { n: string }).n)),
      0,
    );
    const lookup = new PageClient(app.app);
    await lookup.get('/inscription');
    const found = await lookup.submit({ siret: '219 200 235 00014', action: 'rechercher' });
    assert.equal(found.status, 200);
    assert.match(found.$('.signup-organisation-card').text(), /COMMUNE DE CLAMART/);
    const fragment = await lookup.submit(
      { siret: '21920023500014', action: 'rechercher' },
      { headers: { 'HX-Request': 'true' } },
    );
    assert.equal(fragment.$('title').length, 0);
    assert.match(fragment.$('#statut-formulaire').text(), /Organisation trouvée : COMMUNE DE CLAMART/);
  });

  const refusals: [string, Record<string, string>, string, RegExp][] = [
    ['closed establishment', { siret: '21920023500022' }, '#siret-erreur', /fermé/],
    ['unknown SIRET', { siret: '73282932000074' }, '#siret-erreur', /ne figure pas/],
    [
      'private company without declared mission',
      { siret: '55203253400703' },
      '#mission-erreur',
      /pas une administration/,
    ],
    [
      'declared mission without justification',
      { siret: '55203253400703', mission: 'oui', justification: 'court' },
      '#justification-erreur',
      /20 caractères/,
    ],
    ['common password', { password: 'motdepasse123' }, '#password-erreur', /trop courant/],
    ['password of 11 characters', { password: 'abcdefghijk' }, '#password-erreur', /au moins 12/],
    ['password of 129 characters', { password: 'x'.repeat(129) }, '#password-erreur', /128/],
    ['name too long', { familyName: 'D'.repeat(101) }, '#familyName-erreur', /100 caractères/],
    ['email with a line break', { email: 'marie@clamart.fr\r\nBcc: x@y.fr' }, '#email-erreur', /ni retour à la ligne/],
    [
      'first name with a line break and a link',
      { givenName: 'Marie,\n\nConnectez-vous ici :\nhttps://evil.example' },
      '#givenName-erreur',
      /ni retour à la ligne, ni tabulation, ni caractère de contrôle/,
    ],
    ['family name with a NUL byte', { familyName: 'Dur\u0000and' }, '#familyName-erreur', /caractère nul/],
    [
      'first name carrying an address',
      { givenName: 'Marie, connectez-vous sur https://evil.example/connexion' },
      '#givenName-erreur',
      /ne peut contenir que des lettres, des espaces, des apostrophes, des points et des traits d’union/,
    ],
    ['SIRET of letters', { siret: 'ABCDEFGHIJKLMN' }, '#siret-erreur', /que des chiffres/],
  ];
  for (const [name, values, selector, message] of refusals) {
    it(`refuses a sign-up with a ${name}, in French, without a 500`, async () => {
      const { page } = await signUp(values);
      assert.equal(page.status, 422);
      assert.match(page.$(selector).text(), message);
    });
  }

  it('accepts the names people have: accents, apostrophes, hyphens, other scripts', async () => {
    for (const [i, [givenName, familyName]] of [
      ['Marie-Hélène', 'd’Artagnan'],
      ['Siân', "O'Connor"],
      ['Ngọc Ánh', 'Nguyễn'],
      ['Zoë', 'van der Berg Jr.'],
      ['Αλέξης', 'Παπαδόπουλος'],
    ].entries()) {
      const { page } = await signUp({
        givenName: givenName!,
        familyName: familyName!,
        email: `personne${i}@clamart.fr`,
      });
      assert.equal(page.status, 303, `${givenName} ${familyName} : ${page.$('#resume-erreurs').text()}`);
    }
  });

  it('accepts a long Unicode password without truncating it', async () => {
    const emojis = '🦊'.repeat(32) + '🐝'.repeat(32);
    await signUp({ password: emojis });
    await activate(person.email);
    assert.equal((await signIn(person.email, emojis)).page.status, 303);
    assert.equal((await signIn(person.email, [...emojis].slice(0, 63).join(''))).page.status, 422);
  });

  it('sends a private company that declares a public-service mission to moderation', async () => {
    await signUp({
      siret: '55203253400703',
      mission: 'oui',
      justification: 'Délégation de service public de restauration scolaire, 2024',
    });
    const { page } = await activate(person.email);
    assert.match(page.$('.fr-alert__title').text(), /en attente/);
    const moderation = await app.db('moderation_cases').first();
    assert.equal(moderation.kind, 'public_service_mission');
    assert.match(moderation.justification, /Délégation/);
  });
});

describe('sign-up limits', () => {
  it('limits sign-ups for one address (no email bombing): 429 after 5 in 15 minutes', async () => {
    for (let i = 0; i < 5; i += 1) assert.equal((await signUp()).page.status, 303);
    const blocked = await signUp();
    assert.equal(blocked.page.status, 429);
    assert.equal((await emailsTo(app.db, person.email)).length, 5);
  });
});

describe('sign-in, sessions and sign-out', () => {
  it('regenerates the session id at sign-in and destroys the session at sign-out', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    const client = new PageClient(app.app);
    const form = await client.get('/connexion');
    const before = String(form.headers['set-cookie']).split(';')[0];
    const { page } = await signIn(account.email, FIXTURE_PASSWORD, client);
    assert.equal(page.status, 303);
    assert.equal(page.location, '/demandes', 'an applicant lands on « Mes demandes »');
    const afterCookie = String(page.headers['set-cookie']).split(';')[0];
    assert.notEqual(before, afterCookie);
    const replay = await request(app.app)
      .get('/compte')
      .set('Cookie', before as string);
    assert.equal(replay.status, 303, 'l’ancien cookie ne donne pas accès au compte');
    const profile = await client.get('/compte');
    assert.equal(profile.status, 200);
    assert.equal(profile.headers['cache-control'], 'no-store');
    const sessionsBefore = Number(((await app.db('session').count('* as n').first()) as { n: string }).n);
    await client.submit({}, { selector: 'form[action="/deconnexion"]' });
    const sessionsAfter = Number(((await app.db('session').count('* as n').first()) as { n: string }).n);
    assert.equal(sessionsAfter, sessionsBefore - 1);
    const replayed = await request(app.app)
      .get('/compte')
      .set('Cookie', afterCookie as string);
    assert.equal(replayed.status, 303);
    assert.equal(replayed.headers.location, '/connexion');
  });

  it('returns to the page asked for after signing in, and ignores foreign destinations', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    const client = new PageClient(app.app);
    assert.equal((await client.get('/compte/sessions')).location, '/connexion');
    const { page } = await signIn(account.email, FIXTURE_PASSWORD, client);
    assert.equal(page.location, '/compte/sessions');
    const other = new PageClient(app.app);
    await other.get('//evil.example/compte');
    assert.equal((await signIn(account.email, FIXTURE_PASSWORD, other)).page.location, '/demandes');
  });

  it('ends the session after the idle timeout, and the user comes back to the page after signing in again', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    const { client } = await signIn(account.email, FIXTURE_PASSWORD);
    await app.db('session').update({ expire: app.db.raw("now() - interval '1 second'") });
    const page = await client.get('/compte/sessions');
    assert.equal(page.location, '/connexion');
    assert.equal((await signIn(account.email, FIXTURE_PASSWORD, client)).page.location, '/compte/sessions');
  });

  it('limits sign-in attempts per address to 60 a minute, whatever the account', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 61; i += 1) {
      const client = new PageClient(app.app);
      await client.get('/connexion');
      statuses.push(
        (await client.submit({ email: `personne${i}@clamart.fr`, password: 'un mauvais mot de passe' })).status,
      );
    }
    assert.deepEqual([...new Set(statuses.slice(0, 60))], [422]);
    assert.equal(statuses[60], 429);
  });

  it('ends the session after 12 hours whatever the activity', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    const { client } = await signIn(account.email, FIXTURE_PASSWORD);
    await app.db('session').update({
      sess: app.db.raw(
        `jsonb_set(sess::jsonb, '{authAt}', to_jsonb((extract(epoch from now()) * 1000 - 12 * 3600 * 1000 - 1000)::bigint))::json`,
      ),
    });
    const page = await client.get('/compte');
    assert.equal(page.status, 303);
    assert.match((await client.get('/connexion')).$('.fr-alert').text(), /session a expiré/);
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    await createAccount(app.db, { email: 'agent@clamart.fr' });
    const strip = (html: string) => html.replace(/value="[^"]*"/g, '').replace(/nonce="[^"]*"/g, '');
    const unknown = await signIn('inconnu@clamart.fr', 'un mauvais mot de passe');
    const wrong = await signIn('agent@clamart.fr', 'un mauvais mot de passe');
    assert.equal(unknown.page.status, wrong.page.status);
    assert.equal(unknown.page.$('title').text(), wrong.page.$('title').text());
    assert.equal(strip(unknown.page.$('main').html() ?? ''), strip(wrong.page.$('main').html() ?? ''));
  });

  it('limits failed sign-ins per account (429 with Retry-After), without touching other accounts', async () => {
    const target = await createAccount(app.db, { email: 'cible@clamart.fr' });
    const other = await createAccount(app.db, { email: 'autre@clamart.fr' });
    for (let i = 0; i < 10; i += 1)
      assert.equal((await signIn(target.email, `mauvais mot de passe ${i}`)).page.status, 422);
    const blocked = await signIn(target.email, FIXTURE_PASSWORD);
    assert.equal(blocked.page.status, 429);
    assert.ok(Number(blocked.page.headers['retry-after']) > 0);
    assert.equal(blocked.page.$('title').text(), 'Trop de tentatives – SignUp');
    assert.equal(blocked.page.$('h1').text(), 'Trop de tentatives');
    assert.equal(
      (await signIn(other.email, FIXTURE_PASSWORD)).page.status,
      303,
      'les autres comptes ne sont pas touchés',
    );
    await app.db('rate_limits').update({ expire: Date.now() - 1 }); // the window has passed
    assert.equal(
      (await signIn(target.email, FIXTURE_PASSWORD)).page.status,
      303,
      'le bon mot de passe fonctionne après la fenêtre',
    );
  });
});
