/**
 * After approval: the authorization frozen by « Valider », the contacts' invitations (new and existing accounts), the
 * dashboard, tokens (shown once, hashed, renewed with an overlap, revoked), and what another organisation's user gets.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CLAMART, COMPLETE_ANSWERS, createAccount, createRequest, FIXTURE_PASSWORD } from '../helpers/fixtures.ts';
import { emailsTo, linkIn } from '../helpers/mailbox.ts';
import { errorSummaryTargets, PageClient } from '../helpers/page-client.ts';
import { signedInClient } from '../helpers/sign-in.ts';

let app: TestApp;
let applicant: PageClient;
let instructor: PageClient;
let applicantId: string;
const NEW_PASSWORD = 'une phrase de passe assez longue pour le contact';

before(async () => {
  app = await startTestApp();
  applicantId = (await createAccount(app.db, { email: 'agent@clamart.fr', siret: CLAMART, givenName: 'Hélène' })).id;
  await createAccount(app.db, { email: 'irene@api-entreprise.gouv.fr', roles: ['instructor'], givenName: 'Irène' });
  applicant = await signedInClient(app.app, 'agent@clamart.fr');
  instructor = await signedInClient(app.app, 'irene@api-entreprise.gouv.fr');
});
after(() => app.stop());

/** A request submitted by the applicant and validated by the instructor, through their forms. */
async function validated(answers: Record<string, Record<string, unknown>> = COMPLETE_ANSWERS): Promise<string> {
  const id = await createRequest(app.db, applicantId, CLAMART);
  await app
    .db('access_requests')
    .where({ id })
    .update({ answers: JSON.stringify(answers), title: String(answers.demarche!.title) });
  await applicant.get(`/demandes/${id}/recapitulatif`);
  const sent = await applicant.submit(
    { certification: 'oui' },
    { selector: `form[action="/demandes/${id}/soumettre"]` },
  );
  assert.equal(sent.status, 303);
  await instructor.get(`/instruction/demandes/${id}/valider`);
  const done = await instructor.submit({}, { selector: 'main form' });
  assert.equal(done.status, 303, done.$('#resume-erreurs').text());
  return id;
}

const authorizationOf = async (requestId: string) =>
  (await app.db('authorizations').where({ request_id: requestId }).first()) as {
    id: string;
    status: string;
    answers: Record<string, Record<string, unknown>>;
    scopes: string[];
  };

/** Contacts of their own (`role.prefix@clamart.fr`), so that each test's addresses are new. */
function answersWith(prefix: string, overrides: Record<string, string> = {}) {
  const contacts = Object.fromEntries(
    Object.entries(COMPLETE_ANSWERS.contacts).map(([k, v]) => [
      k,
      k.endsWith('Email') ? `${k.replace('Email', '')}.${prefix}@clamart.fr` : v,
    ]),
  );
  return {
    ...COMPLETE_ANSWERS,
    demarche: { ...COMPLETE_ANSWERS.demarche, title: `Démarche ${prefix}` },
    contacts: { ...contacts, ...overrides },
  };
}

/** The invited contact follows the emailed link, accepts the terms, chooses a password, then signs in. */
async function acceptInvitation(email: string): Promise<PageClient> {
  const contact = new PageClient(app.app);
  const landing = await contact.get(await linkIn(app.db, email, 'invitation-contact'));
  assert.equal(landing.status, 303);
  assert.equal(landing.location, '/invitation', 'le jeton quitte l’adresse');
  await contact.get('/invitation');
  const done = await contact.submit({ cgu: 'oui', password: NEW_PASSWORD });
  assert.equal(done.status, 303, done.$('#resume-erreurs').text());
  assert.equal(done.location, '/connexion');
  await contact.get('/connexion');
  const signedIn = await contact.submit({ email, password: NEW_PASSWORD });
  assert.equal(signedIn.status, 303);
  assert.equal(signedIn.location, '/tableau-de-bord', 'le tableau de bord d’abord');
  return contact;
}

/** Creates a token from the dashboard's form; returns it as shown once. */
async function createToken(client: PageClient, authorizationId: string, name: string): Promise<string> {
  const form = await client.get(`/tableau-de-bord/jetons/nouveau?habilitation=${authorizationId}`);
  assert.equal(form.status, 200);
  const made = await client.submit({ nom: name });
  assert.equal(made.status, 303, made.$('#resume-erreurs').text());
  const shown = await client.get(made.location!);
  assert.equal(shown.headers['cache-control'], 'no-store');
  const token = shown.$('#jeton-valeur').attr('value');
  assert.ok(token, 'le jeton est affiché');
  return token;
}

const gateway =
  'Basic ' + Buffer.from('passerelle:dev-only-introspection-secret-not-for-production').toString('base64');
async function introspect(token: string, authorization = gateway) {
  return new PageClient(app.app).agent
    .post('/api/v1/introspection')
    .set('Authorization', authorization)
    .type('form')
    .send({ token });
}

/** Whether the token's introspection turns inactive within ten seconds (asked again every 20 ms until then). */
async function becomesInactive(token: string): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if ((await introspect(token)).body.active === false) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

describe('on « Valider »', () => {
  it('freezes the accepted answers, invites the contacts without an account, informs the DPO and the controller, once each', async () => {
    const id = await validated(answersWith('gel'));
    const authorization = await authorizationOf(id);
    assert.equal(authorization.status, 'active');
    assert.deepEqual(authorization.scopes, COMPLETE_ANSWERS.donnees.scopes);
    // Later edits of the request never change it.
    await app
      .db('access_requests')
      .where({ id })
      .update({ answers: JSON.stringify({ ...COMPLETE_ANSWERS, donnees: { scopes: [] } }) });
    assert.deepEqual((await authorizationOf(id)).scopes, COMPLETE_ANSWERS.donnees.scopes);
    assert.equal((await authorizationOf(id)).answers.demarche!.title, 'Démarche gel');

    for (const role of ['technical', 'business']) {
      const address = `${role}.gel@clamart.fr`;
      assert.deepEqual(
        (await emailsTo(app.db, address)).map((m) => m.template),
        ['invitation-contact'],
      );
      const mail = (await emailsTo(app.db, address))[0]!;
      assert.match(mail.text, /\/cgu/);
      assert.match(mail.text, /valable 7 jours/);
      const user = (await app.db('users').where({ email: address }).first()) as { id: string; activated_at: Date };
      assert.equal(user.activated_at, null, 'pas encore de mot de passe');
    }
    for (const role of ['dpo', 'controller'])
      assert.deepEqual(
        (await emailsTo(app.db, `${role}.gel@clamart.fr`)).map((m) => m.template),
        ['habilitation-information'],
      );
    const told = (await emailsTo(app.db, 'agent@clamart.fr')).filter((m) => m.template === 'demande-validee');
    assert.ok(told.length >= 1);
  });

  it('gives an existing account the access and a notice instead of an invitation; one person in two roles gets one email', async () => {
    await createAccount(app.db, { email: 'technical.deja@clamart.fr', givenName: 'Théo' });
    const answers = answersWith('deja', { businessEmail: 'technical.deja@clamart.fr' });
    const id = await validated(answers);
    assert.deepEqual(
      (await emailsTo(app.db, 'technical.deja@clamart.fr')).map((m) => m.template),
      ['acces-habilitation'],
    );
    const authorization = await authorizationOf(id);
    const member = (await app
      .db('authorization_members as m')
      .join('users as u', 'u.id', 'm.user_id')
      .where({ 'm.authorization_id': authorization.id, 'u.email': 'technical.deja@clamart.fr' })
      .first('m.roles')) as { roles: string[] };
    assert.deepEqual([...member.roles].sort(), ['business', 'technical']);
    const theo = await signedInClient(app.app, 'technical.deja@clamart.fr');
    const dashboard = await theo.get('/tableau-de-bord');
    assert.match(dashboard.$('main').text(), /Démarche deja/);
  });
});

describe('the contact’s invitation', () => {
  it('asks for the terms and a password (422 keeps the box), works once, then the dashboard shows the authorization', async () => {
    await validated(answersWith('invite'));
    const email = 'technical.invite@clamart.fr';
    const contact = new PageClient(app.app);
    await contact.get(await linkIn(app.db, email, 'invitation-contact'));
    const page = await contact.get('/invitation');
    assert.equal(page.status, 200);
    assert.equal(page.$('input[autocomplete="username"]').attr('value'), email);
    const refused = await contact.submit({ cgu: '', password: 'court' });
    assert.equal(refused.status, 422);
    assert.match(refused.$('title').text(), /^Erreur\u00a0: /);
    assert.deepEqual(
      errorSummaryTargets(refused).map((t) => [t.href, t.exists]),
      [
        ['#cgu', true],
        ['#password', true],
      ],
    );
    const kept = await contact.submit({ cgu: 'oui', password: 'court' });
    assert.equal(kept.status, 422);
    assert.equal(kept.$('input[name="cgu"][checked]').length, 1, 'la case cochée reste cochée');
    const done = await contact.submit({ cgu: 'oui', password: NEW_PASSWORD });
    assert.equal(done.status, 303);
    const user = (await app.db('users').where({ email }).first()) as { terms_accepted_at: Date | null };
    assert.ok(user.terms_accepted_at);
    // The link works once.
    const again = new PageClient(app.app);
    await again.get(await linkIn(app.db, email, 'invitation-contact'));
    assert.match((await again.get('/invitation')).$('h1').text(), /Lien d’invitation expiré ou déjà utilisé/);
    await contact.get('/connexion');
    const signedIn = await contact.submit({ email, password: NEW_PASSWORD });
    assert.equal(signedIn.location, '/tableau-de-bord');
    const dashboard = await contact.get('/tableau-de-bord');
    assert.match(dashboard.$('main').text(), /Démarche invite/);
    assert.match(dashboard.$('main').text(), /CLAMART \(SIRET 21920023500014\)/);
  });
});

describe('tokens', () => {
  it('are shown once, stored as a hash only, and everyone with access is told', async () => {
    const id = await validated(answersWith('jeton'));
    const authorization = await authorizationOf(id);
    const contact = await acceptInvitation('technical.jeton@clamart.fr');
    const token = await createToken(contact, authorization.id, 'Production');
    assert.match(token, /^sgu_[0-9A-Za-z]{36}$/);
    const again = await contact.get('/tableau-de-bord/jetons/nouveau-jeton');
    assert.equal(again.$('#jeton-valeur').length, 0, 'jamais réaffiché');
    assert.equal(again.$('h1').text().trim(), 'Jeton déjà affiché');
    const row = (await app.db('api_tokens').where({ authorization_id: authorization.id }).first()) as Record<
      string,
      unknown
    >;
    assert.deepEqual(row.secret_hash, createHash('sha256').update(token).digest());
    for (const value of Object.values(row)) assert.ok(!String(value).includes(token.slice(4, 20)), 'aucun secret');
    const list = await contact.get('/tableau-de-bord/jetons');
    assert.match(list.$('main table').text(), /Production/);
    assert.ok(!list.html.includes(token), 'la liste ne montre pas le jeton');
    for (const address of ['agent@clamart.fr', 'technical.jeton@clamart.fr'])
      assert.ok(
        (await emailsTo(app.db, address)).some((m) => m.template === 'jeton-cree' && m.text.includes('Production')),
        address,
      );
    const audit = await app.db('audit_log').where({ action: 'token.created', subject_id: authorization.id });
    assert.equal(audit.length, 1);
  });

  it('refuse a missing name, an unknown authorization and an overlap out of range in French (422, what was typed kept)', async () => {
    const id = await validated(answersWith('saisie'));
    const authorization = await authorizationOf(id);
    await applicant.get(`/tableau-de-bord/jetons/nouveau?habilitation=${authorization.id}`);
    const empty = await applicant.submit({ nom: '   ' });
    assert.equal(empty.status, 422);
    assert.match(empty.$('#nom-messages').text(), /Donnez un nom au jeton/);
    const unknown = await applicant.submit({ habilitation: '999999', nom: 'Test' });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.$('#nom').attr('value'), 'Test');
    const token = await createToken(applicant, authorization.id, 'À renouveler');
    assert.ok(token);
    const tokenId = (
      (await app.db('api_tokens').where({ authorization_id: authorization.id }).first('id')) as { id: string }
    ).id;
    await applicant.get(`/tableau-de-bord/jetons/${tokenId}/renouveler`);
    const tooLong = await applicant.submit({ recouvrement: '31' });
    assert.equal(tooLong.status, 422);
    assert.equal(tooLong.$('#recouvrement').attr('value'), '31');
    assert.match(tooLong.$('#recouvrement-messages').text(), /30 jours au plus/);
    const notNumber = await applicant.submit({ recouvrement: 'sept' });
    assert.equal(notNumber.status, 422);
  });

  it('answer 404 to a user of another organisation, and are not theirs to create', async () => {
    const id = await validated(answersWith('autre'));
    const authorization = await authorizationOf(id);
    await createToken(applicant, authorization.id, 'Secret de Clamart');
    const tokenId = (
      (await app.db('api_tokens').where({ authorization_id: authorization.id }).first('id')) as { id: string }
    ).id;
    await createAccount(app.db, { email: 'agent@evry.fr', siret: '21910228800016', givenName: 'Eve' });
    const other = await signedInClient(app.app, 'agent@evry.fr');
    for (const path of [
      `/tableau-de-bord/habilitations/${authorization.id}`,
      `/tableau-de-bord/jetons/${tokenId}/renouveler`,
      `/tableau-de-bord/jetons/${tokenId}/revoquer`,
      '/tableau-de-bord/habilitations/abc',
    ])
      assert.equal((await other.get(path)).status, 404, path);
    assert.doesNotMatch((await other.get('/tableau-de-bord')).$('main').text(), /Démarche autre/);
    await other.get('/tableau-de-bord/jetons/nouveau');
    const stolen = await other.post('/tableau-de-bord/jetons', {
      _csrf: other.csrfToken(),
      habilitation: authorization.id,
      nom: 'Volé',
    });
    assert.equal(stolen.status, 422);
    const revoke = await other.post(`/tableau-de-bord/jetons/${tokenId}/revoquer`, { _csrf: other.csrfToken() });
    assert.equal(revoke.status, 404);
    assert.equal((await app.db('api_tokens').where({ authorization_id: authorization.id })).length, 1);
  });
});

describe('token introspection', () => {
  it('answers RFC 7662 for an active token, and `active: false` alike for every token that does not work', async () => {
    const id = await validated(answersWith('api'));
    const authorization = await authorizationOf(id);
    const token = await createToken(applicant, authorization.id, 'Passerelle');
    const active = await introspect(token);
    assert.equal(active.status, 200);
    assert.equal(active.headers['cache-control'], 'no-store');
    assert.equal(active.body.active, true);
    assert.equal(active.body.sub, CLAMART);
    assert.equal(active.body.client_id, authorization.id);
    assert.equal(active.body.scope, COMPLETE_ANSWERS.donnees.scopes.join(' '));
    assert.ok(active.body.exp > Date.now() / 1000 + 500 * 86_400);
    assert.ok(Math.abs(active.body.iat - Date.now() / 1000) < 600);
    // A bearer secret works too; JSON bodies as well.
    const bearer = await new PageClient(app.app).agent
      .post('/api/v1/introspection')
      .set('Authorization', 'Bearer dev-only-introspection-secret-not-for-production')
      .send({ token });
    assert.equal(bearer.body.active, true);

    const mistyped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const unknown = 'sgu_' + 'A'.repeat(30);
    for (const bad of ['n’importe quoi', mistyped, unknown + token.slice(-6), 'x'.repeat(5000)]) {
      const answer = await introspect(bad);
      assert.equal(answer.status, 200, bad.slice(0, 20));
      assert.deepEqual(answer.body, { active: false });
    }
    const tokenId = (
      (await app.db('api_tokens').where({ authorization_id: authorization.id }).first('id')) as {
        id: string;
      }
    ).id;
    await app
      .db('api_tokens')
      .where({ id: tokenId })
      .update({ expires_at: new Date(Date.now() - 1000) });
    // Changed straight in the database (as another process would): the kept answer goes with the notice.
    assert.equal(await becomesInactive(token), true, 'expiré');
    assert.deepEqual((await introspect(token)).body, { active: false });
  });

  it('refuses a gateway without its credentials (401, JSON), a missing token (400) and other methods (405)', async () => {
    for (const authorization of [
      '',
      'Bearer mauvais-secret-mauvais-secret-mauvais',
      'Basic ' + Buffer.from('autre:dev-only-introspection-secret-not-for-production').toString('base64'),
      'Basic %%%',
    ]) {
      const refused = await introspect('sgu_x', authorization);
      assert.equal(refused.status, 401, authorization);
      assert.equal(refused.body.error, 'invalid_client');
      assert.match(refused.body.erreur.message, /passerelle/);
      assert.match(String(refused.headers['www-authenticate']), /^Basic/);
    }
    const missing = await new PageClient(app.app).agent.post('/api/v1/introspection').set('Authorization', gateway);
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error, 'invalid_request');
    const broken = await new PageClient(app.app).agent
      .post('/api/v1/introspection')
      .set('Authorization', gateway)
      .set('Content-Type', 'application/json')
      .send('{"token": ');
    assert.equal(broken.status, 400);
    assert.ok(broken.body.erreur);
    const get = await new PageClient(app.app).agent.get('/api/v1/introspection');
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'POST');
  });

  it('keeps a renewed token working for the overlap chosen, then stops it; a revoked token and a revoked authorization stop at once', async () => {
    const id = await validated(answersWith('rotation'));
    const authorization = await authorizationOf(id);
    const old = await createToken(applicant, authorization.id, 'Rotation');
    const oldId = (
      (await app.db('api_tokens').where({ authorization_id: authorization.id }).first('id')) as {
        id: string;
      }
    ).id;
    await applicant.get(`/tableau-de-bord/jetons/${oldId}/renouveler`);
    const renewed = await applicant.submit({ recouvrement: '2' });
    assert.equal(renewed.status, 303);
    const fresh = (await applicant.get(renewed.location!)).$('#jeton-valeur').attr('value')!;
    assert.notEqual(fresh, old);
    assert.equal((await introspect(old)).body.active, true, 'pendant le recouvrement');
    assert.equal((await introspect(fresh)).body.active, true);
    const inThreeDays = new Date(Date.now() + 3 * 86_400_000);
    assert.equal((await app.services.introspection.introspect(old, inThreeDays)).answer.active, false);
    assert.equal((await app.services.introspection.introspect(fresh, inThreeDays)).answer.active, true);
    // Renewing the replaced token again is refused.
    const twice = await applicant.post(`/tableau-de-bord/jetons/${oldId}/renouveler`, {
      _csrf: applicant.csrfToken(),
      recouvrement: '0',
    });
    assert.equal(twice.status, 303);
    assert.equal(twice.location, '/tableau-de-bord/jetons');

    const freshId = (
      (await app.db('api_tokens').where({ replaced_by: null, authorization_id: authorization.id }).first('id')) as {
        id: string;
      }
    ).id;
    await applicant.get(`/tableau-de-bord/jetons/${freshId}/revoquer`);
    const revoked = await applicant.submit({});
    assert.equal(revoked.status, 303);
    assert.equal((await introspect(fresh)).body.active, false);
    assert.ok((await emailsTo(app.db, 'agent@clamart.fr')).some((m) => m.template === 'jeton-revoque'));
    assert.equal(
      (await app.db('audit_log').where({ action: 'token.revoked', subject_id: authorization.id })).length,
      1,
    );

    // The request revoked by instruction: its authorization ends, and the old token in its overlap stops too.
    await instructor.get(`/instruction/demandes/${id}/revoquer`);
    const done = await instructor.submit({ motif: 'Démarche abandonnée.' }, { selector: 'main form' });
    assert.equal(done.status, 303);
    assert.equal((await authorizationOf(id)).status, 'revoked');
    // Answers kept in memory are forgotten on the database's notice of the change, which comes with the commit.
    assert.equal(await becomesInactive(old), true);
  });

  it('keeps an answer in memory until the database says a token changed, whoever changed it', async () => {
    const id = await validated(answersWith('cache'));
    const authorization = await authorizationOf(id);
    const token = await createToken(applicant, authorization.id, 'Cache');
    assert.equal((await introspect(token)).body.active, true);
    // Another process revokes it: straight in the database, as its SQL would.
    await app.db('api_tokens').where({ authorization_id: authorization.id }).update({ revoked_at: app.db.fn.now() });
    assert.equal(await becomesInactive(token), true);
    const reader = await app.db.raw(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'signup-token-notices'`,
    );
    assert.ok(reader.rows[0].n >= 1, 'une connexion écoute les changements');
  });

  it('records the last use without a write per call', async () => {
    const id = await validated(answersWith('usage'));
    const authorization = await authorizationOf(id);
    const token = await createToken(applicant, authorization.id, 'Usage');
    await introspect(token);
    await introspect(token);
    const before = (await app.db('api_tokens').where({ authorization_id: authorization.id }).first()) as {
      last_used_at: Date | null;
    };
    assert.equal(before.last_used_at, null, 'rien d’écrit à chaque appel');
    await app.services.introspection.flush();
    const after_ = (await app.db('api_tokens').where({ authorization_id: authorization.id }).first()) as {
      last_used_at: Date | null;
    };
    assert.ok(after_.last_used_at);
    const list = await applicant.get('/tableau-de-bord/jetons');
    assert.doesNotMatch(list.$(`section:has(h2:contains("Démarche usage")) table`).text(), /Jamais/);
  });
});

describe('renewal of an authorization', () => {
  /** The applicant completes and submits the renewal draft, and the instructor takes `decision` on it. */
  async function decideRenewal(requestId: string, decision: 'valider' | 'refuser'): Promise<void> {
    await app
      .db('access_requests')
      .where({ id: requestId })
      .update({
        answers: JSON.stringify({
          ...COMPLETE_ANSWERS,
          demarche: { ...COMPLETE_ANSWERS.demarche, title: 'Renouvelée' },
        }),
      });
    await applicant.get(`/demandes/${requestId}/recapitulatif`);
    const sent = await applicant.submit(
      { certification: 'oui' },
      { selector: `form[action="/demandes/${requestId}/soumettre"]` },
    );
    assert.equal(sent.status, 303);
    const page = await instructor.get(`/instruction/demandes/${requestId}`);
    assert.match(page.$('#demande-resume').text(), /Renouvellement de l’habilitation n°/);
    await instructor.get(`/instruction/demandes/${requestId}/${decision}`);
    const done = await instructor.submit(decision === 'refuser' ? { motif: 'Cadre juridique expiré.' } : {}, {
      selector: 'main form',
    });
    assert.equal(done.status, 303, done.$('#resume-erreurs').text());
  }

  it('reopens it prefilled; its tokens keep working while instructed and move to the new one on acceptance', async () => {
    const id = await validated(answersWith('renouvellement'));
    const old = await authorizationOf(id);
    const token = await createToken(applicant, old.id, 'Avant renouvellement');
    await applicant.get(`/tableau-de-bord/habilitations/${old.id}`);
    const renewed = await applicant.submit({}, { selector: `form[action$="/renouveler"]` });
    assert.equal(renewed.status, 303);
    const draftId = /^\/demandes\/(\d+)\/demarche$/.exec(renewed.location!)![1]!;
    const draft = (await app.db('access_requests').where({ id: draftId }).first()) as {
      renews_authorization_id: string;
      answers: Record<string, Record<string, unknown>>;
      title: string;
    };
    assert.equal(draft.renews_authorization_id, old.id);
    assert.equal(draft.answers.demarche!.title, 'Démarche renouvellement', 'prérempli avec les réponses acceptées');
    assert.equal(draft.answers.cgu, undefined, 'les CGU sont à accepter de nouveau');
    // Asking again goes back to the same draft.
    await applicant.get(`/tableau-de-bord/habilitations/${old.id}`);
    assert.equal((await applicant.submit({}, { selector: `form[action$="/renouveler"]` })).location, renewed.location);
    assert.match((await applicant.get('/tableau-de-bord')).$('main').text(), /Renouvellement\s*en cours/);

    await decideRenewal(draftId, 'valider');
    const fresh = await authorizationOf(draftId);
    const superseded = (await app.db('authorizations').where({ id: old.id }).first()) as {
      status: string;
      superseded_by: string;
    };
    assert.equal(superseded.status, 'superseded');
    assert.equal(superseded.superseded_by, fresh.id);
    const answer = await introspect(token);
    assert.equal(answer.body.active, true, 'le jeton fonctionne toujours');
    assert.equal(answer.body.client_id, fresh.id, 'et appartient à la nouvelle habilitation');
    assert.equal(fresh.answers.demarche!.title, 'Renouvelée');
  });

  it('changes nothing when refused; a contact who is not a member of the organisation cannot ask for it', async () => {
    const id = await validated(answersWith('refus'));
    const old = await authorizationOf(id);
    const token = await createToken(applicant, old.id, 'Refus');
    await applicant.get(`/tableau-de-bord/habilitations/${old.id}`);
    const renewed = await applicant.submit({}, { selector: `form[action$="/renouveler"]` });
    const draftId = /^\/demandes\/(\d+)\/demarche$/.exec(renewed.location!)![1]!;
    await decideRenewal(draftId, 'refuser');
    assert.equal((await authorizationOf(id)).status, 'active');
    assert.equal((await introspect(token)).body.client_id, old.id);

    await createAccount(app.db, { email: 'technical.externe@exemple.fr', givenName: 'Xavier' });
    await validated(answersWith('externe', { technicalEmail: 'technical.externe@exemple.fr' }));
    const outsider = await signedInClient(app.app, 'technical.externe@exemple.fr');
    const theirs = (await app.db('authorizations').where({ title: 'Démarche externe' }).first('id')) as { id: string };
    await outsider.get(`/tableau-de-bord/habilitations/${theirs.id}`);
    const refused = await outsider.submit({}, { selector: `form[action$="/renouveler"]` });
    assert.equal(refused.location, '/tableau-de-bord');
    assert.match((await outsider.get('/tableau-de-bord')).$('[role="status"]').text(), /Seul un membre/);
    assert.equal(await app.db('access_requests').where({ renews_authorization_id: theirs.id }).first(), undefined);
  });
});

describe('token expiry reminders', () => {
  it('are sent at 90, 30 and 7 days and on the day, once each, to everyone with access', async () => {
    const id = await validated(answersWith('rappel'));
    const authorization = await authorizationOf(id);
    await createToken(applicant, authorization.id, 'Rappels');
    const token = (await app.db('api_tokens').where({ authorization_id: authorization.id }).first()) as {
      id: string;
      expires_at: Date;
    };
    const expiry = token.expires_at.getTime();
    const reminders = async () =>
      (await emailsTo(app.db, 'agent@clamart.fr')).filter(
        (m) => m.template === 'jeton-expiration' && m.text.includes('Rappels'),
      );
    const at = (daysBefore: number) => new Date(expiry - daysBefore * 86_400_000);
    await app.services.tokenReminders.run(at(120));
    assert.equal((await reminders()).length, 0);
    await app.services.tokenReminders.run(at(89.5));
    await app.services.tokenReminders.run(at(89));
    assert.equal((await reminders()).length, 1);
    assert.match((await reminders())[0]!.subject, /expire dans 90 jours/);
    await app.services.tokenReminders.run(at(29.5));
    await app.services.tokenReminders.run(at(6.5));
    await app.services.tokenReminders.run(at(6));
    assert.equal((await reminders()).length, 3);
    await app.services.tokenReminders.run(at(0.2));
    await app.services.tokenReminders.run(at(0.1));
    const all = await reminders();
    assert.equal(all.length, 4);
    assert.match(all.at(-1)!.subject, /expire aujourd’hui/);
    await app.services.tokenReminders.run(at(-2));
    assert.equal((await reminders()).length, 4);
  });
});

describe('renewal reminders', () => {
  it('are sent 90 and 30 days before an authorization expires, once each, and not while a renewal is open', async () => {
    const id = await validated(answersWith('echeance'));
    const authorization = await authorizationOf(id);
    const expiry = new Date('2029-06-30T10:00:00Z');
    await app.db('authorizations').where({ id: authorization.id }).update({ expires_at: expiry });
    const at = (daysBefore: number) => new Date(expiry.getTime() - daysBefore * 86_400_000);
    const reminders = async () =>
      (await emailsTo(app.db, 'agent@clamart.fr')).filter(
        (m) => m.template === 'habilitation-a-renouveler' && m.text.includes('Démarche echeance'),
      );
    await app.services.tokenReminders.run(at(100));
    assert.equal((await reminders()).length, 0);
    await app.services.tokenReminders.run(at(89));
    await app.services.tokenReminders.run(at(88));
    assert.equal((await reminders()).length, 1);
    assert.match((await reminders())[0]!.subject, /expire dans 90 jours/);
    assert.match((await reminders())[0]!.text, new RegExp(`/tableau-de-bord/habilitations/${authorization.id}`));
    // A renewal is open: nothing more.
    await applicant.get(`/tableau-de-bord/habilitations/${authorization.id}`);
    assert.equal((await applicant.submit({}, { selector: `form[action$="/renouveler"]` })).status, 303);
    await app.services.tokenReminders.run(at(29));
    assert.equal((await reminders()).length, 1);
  });
});

describe('the dashboard', () => {
  it('is empty for a user without an authorization, and the first page after sign-in only for those who hold one', async () => {
    await createAccount(app.db, { email: 'nouvelle@clamart.fr', siret: CLAMART, givenName: 'Nina' });
    const client = new PageClient(app.app);
    await client.get('/connexion');
    const signedIn = await client.submit({ email: 'nouvelle@clamart.fr', password: FIXTURE_PASSWORD });
    // A member of Clamart sees Clamart's authorizations: the dashboard comes first.
    assert.equal(signedIn.location, '/tableau-de-bord');
    await createAccount(app.db, { email: 'seul@exemple.fr', givenName: 'Sam' });
    const alone = await signedInClient(app.app, 'seul@exemple.fr');
    const page = await alone.get('/tableau-de-bord');
    assert.equal(page.status, 200);
    assert.match(page.$('main').text(), /Aucune habilitation pour le moment/);
    const first = new PageClient(app.app);
    await first.get('/connexion');
    assert.equal((await first.submit({ email: 'seul@exemple.fr', password: FIXTURE_PASSWORD })).location, '/demandes');
  });
});
