import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CLAMART, COMPLETE_ANSWERS, createAccount, createRequest } from '../helpers/fixtures.ts';
import { errorSummaryTargets, PageClient } from '../helpers/page-client.ts';
import { signedInClient } from '../helpers/sign-in.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());
beforeEach(() => app.reset());

const STEP_FORM = 'form[action^="/demandes/"]';

const signIn = (email: string) => signedInClient(app.app, email);

async function member(email = 'agent@clamart.fr') {
  const account = await createAccount(app.db, { email, siret: CLAMART });
  return { account, client: await signIn(email) };
}

const demarche = {
  title: 'Aides au commerce de proximité',
  description: 'Instruction des demandes d’aide par le service économique.',
  goLiveDate: '2027-03-01',
  volume: 'faible',
};

describe('starting a request', () => {
  it('asks for a use case and creates a draft of the member’s organisation', async () => {
    const { client } = await member();
    await client.get('/demandes/nouvelle');
    const missing = await client.submit({}, { selector: 'form[action="/demandes/nouvelle"]' });
    assert.equal(missing.status, 422);
    assert.ok(errorSummaryTargets(missing).every((t) => t.exists));
    const created = await client.submit(
      { useCase: 'marches_publics' },
      { selector: 'form[action="/demandes/nouvelle"]' },
    );
    assert.equal(created.status, 303);
    assert.match(created.location ?? '', /^\/demandes\/\d+\/demarche$/);
    const list = await client.get('/demandes');
    assert.match(list.$('.signup-request-list').text(), /Brouillon.*Marchés publics.*COMMUNE DE CLAMART/s);
  });
});

describe('a step of the wizard', () => {
  it('saves a partial draft, refuses a malformed value even then, and keeps every value typed', async () => {
    const { account, client } = await member();
    const id = await createRequest(app.db, account.id, CLAMART);
    const page = await client.get(`/demandes/${id}/demarche`);
    assert.equal(
      page.$('title').text(),
      'Étape 1 sur 6 : Votre démarche – Demande n° 1 – SignUp'.replace('n° 1', `n° ${id}`),
    );
    assert.match(page.$('.fr-stepper__state').text(), /Étape 1 sur 6/);
    const draft = await client.submit({ title: 'Aides', action: 'enregistrer' }, { selector: STEP_FORM });
    assert.equal(draft.status, 303);
    const saved = await client.get(`/demandes/${id}/demarche`);
    assert.match(saved.$('.fr-alert--success').text(), /Brouillon enregistré à \d+ h \d{2}/);
    assert.equal(saved.$('#title').attr('value'), 'Aides');
    const bad = await client.submit({ goLiveDate: '1er mars', action: 'enregistrer' }, { selector: STEP_FORM });
    assert.equal(bad.status, 422);
    assert.match(bad.$('#goLiveDate-erreur').text(), /JJ\/MM\/AAAA/);
    assert.equal(bad.$('#goLiveDate').attr('value'), '1er mars');
    assert.equal(bad.$('#title').attr('value'), 'Aides');
  });

  it('checks the whole step on « Continuer » and moves to the next step', async () => {
    const { account, client } = await member();
    const id = await createRequest(app.db, account.id, CLAMART);
    await client.get(`/demandes/${id}/demarche`);
    const incomplete = await client.submit({ title: 'Aides', action: 'continuer' }, { selector: STEP_FORM });
    assert.equal(incomplete.status, 422);
    assert.match(incomplete.$('title').text(), /^Erreur : Étape 1 sur 6/);
    assert.deepEqual(
      errorSummaryTargets(incomplete)
        .map((t) => t.href)
        .sort(),
      ['#description', '#goLiveDate', '#volume'],
    );
    assert.ok(errorSummaryTargets(incomplete).every((t) => t.exists));
    const done = await client.submit({ ...demarche, action: 'continuer' }, { selector: STEP_FORM });
    assert.equal(done.location, `/demandes/${id}/donnees`);
    await client.get(`/demandes/${id}/donnees-personnelles`);
    const long = await client.submit(
      { recipients: 'Service des aides', retentionMonths: '48', action: 'continuer' },
      { selector: STEP_FORM },
    );
    assert.equal(long.status, 422);
    assert.match(long.$('#retentionJustification-erreur').text(), /36 mois/);
    const row = await app.db('access_requests').where({ id }).first();
    assert.equal(row.title, demarche.title);
    assert.deepEqual(row.answers.demarche, demarche);
    const events = await app.db('request_events').where({ request_id: id }).orderBy('id');
    assert.deepEqual(
      events.map((e: { kind: string }) => e.kind),
      ['saved'],
    );
    assert.equal(row.version, 2);
  });

  it('ignores fields that are not the step’s own (mass assignment)', async () => {
    const { account, client } = await member();
    const id = await createRequest(app.db, account.id, CLAMART);
    await client.get(`/demandes/${id}/demarche`);
    await client.submit(
      {
        ...demarche,
        status: 'validated',
        organisation_id: '999',
        version: '1',
        action: 'enregistrer',
        submitted_at: '2026-01-01',
      },
      { selector: STEP_FORM },
    );
    const row = await app.db('access_requests').where({ id }).first();
    assert.equal(row.status, 'draft');
    assert.equal(row.submitted_at, null);
    assert.deepEqual(Object.keys(row.answers.demarche).sort(), ['description', 'goLiveDate', 'title', 'volume']);
  });

  it('two tabs, same field: a 409 page with a choice per field, nothing written until the user chooses', async () => {
    const { account, client: tabA } = await member();
    const tabB = await signIn(account.email);
    const id = await createRequest(app.db, account.id, CLAMART);
    await tabA.get(`/demandes/${id}/demarche`);
    await tabB.get(`/demandes/${id}/demarche`);
    assert.equal(
      (await tabB.submit({ title: 'Version de B', action: 'enregistrer' }, { selector: STEP_FORM })).status,
      303,
    );
    const conflict = await tabA.submit(
      { title: 'Version de A', description: 'Décrite par A', action: 'enregistrer' },
      { selector: STEP_FORM },
    );
    assert.equal(conflict.status, 409);
    assert.match(conflict.$('title').text(), /^Erreur : Conflit de modification – Étape 1 sur 6/);
    const choices = conflict.$('main fieldset');
    assert.equal(choices.length, 1, 'only the field both changed asks for a choice');
    assert.match(choices.find('legend').text(), /Intitulé de la démarche/);
    assert.match(choices.find('label').eq(0).text(), /Version enregistrée par .+ à \d+ h \d{2} : « Version de B »/);
    assert.match(choices.find('label').eq(1).text(), /Votre saisie : « Version de A »/);
    assert.equal(choices.find('input:checked').length, 0, 'no choice made for the user');
    assert.equal((await app.db('access_requests').where({ id }).first()).answers.demarche.title, 'Version de B');

    const undecided = await tabA.submit({}, { selector: 'main form[action^="/demandes/"]' });
    assert.equal(undecided.status, 409);
    assert.deepEqual(
      errorSummaryTargets(undecided).map((t) => [t.href, t.exists]),
      [['#title__choix', true]],
    );
    assert.match(undecided.$('label').text(), /Votre saisie : « Version de A »/);
    assert.equal((await app.db('access_requests').where({ id }).first()).answers.demarche.title, 'Version de B');

    const applied = await tabA.submit({ title__choix: 'saisie' }, { selector: 'main form[action^="/demandes/"]' });
    assert.equal(applied.status, 303);
    const row = await app.db('access_requests').where({ id }).first();
    assert.equal(row.answers.demarche.title, 'Version de A');
    assert.equal(
      row.answers.demarche.description,
      'Décrite par A',
      'the field only A changed is saved with the choice',
    );
  });

  it('the conflict page shows values as people read them: labels for choices, characters escaped once', async () => {
    const { account, client: tabA } = await member();
    const tabB = await signIn(account.email);
    const id = await createRequest(app.db, account.id, CLAMART);
    await tabA.get(`/demandes/${id}/demarche`);
    await tabB.get(`/demandes/${id}/demarche`);
    await tabB.submit(
      { title: `Aides & « prêts » <i>x</i> l'agent`, volume: 'moyen', action: 'enregistrer' },
      { selector: STEP_FORM },
    );
    const conflict = await tabA.submit(
      { title: 'Titre de A', volume: 'fort', action: 'enregistrer' },
      { selector: STEP_FORM },
    );
    assert.equal(conflict.status, 409);
    const labels = conflict
      .$('main fieldset label')
      .toArray()
      .map((l) =>
        conflict
          .$(l)
          .text()
          .replace(/[ \t\r\n]+/g, ' ')
          .trim(),
      ); // no-break spaces kept
    assert.ok(
      labels.some((l) => l.endsWith(`« Aides & « prêts » <i>x</i> l'agent »`)),
      labels.join(' | '),
    );
    assert.ok(
      labels.some((l) => l.endsWith('« De 1 000 à 10 000 appels par jour »')),
      labels.join(' | '),
    );
    assert.ok(labels.includes('Votre saisie : « Plus de 10 000 appels par jour »'), labels.join(' | '));
    assert.equal(conflict.$('main fieldset i').length, 0, 'no markup from the values');
  });

  it('two tabs, different fields: both changes are kept (merge), then a stale change of the same field is a conflict', async () => {
    const { account, client: tabA } = await member();
    const tabB = await signIn(account.email);
    const id = await createRequest(app.db, account.id, CLAMART);
    await app
      .db('access_requests')
      .where({ id })
      .update({ answers: JSON.stringify({ demarche }), version: 7 });
    assert.equal((await tabA.get(`/demandes/${id}/demarche`)).$('#version').attr('value'), '7');
    await tabB.get(`/demandes/${id}/demarche`);
    assert.equal(
      (await tabB.submit({ title: 'Titre de B', action: 'enregistrer' }, { selector: STEP_FORM })).status,
      303,
    );
    const merged = await tabA.submit({ volume: 'fort', action: 'enregistrer' }, { selector: STEP_FORM });
    assert.equal(merged.status, 303);
    let row = await app.db('access_requests').where({ id }).first();
    assert.equal(row.version, 9);
    assert.deepEqual(row.answers.demarche, { ...demarche, title: 'Titre de B', volume: 'fort' });
    const stale = await tabA.submit(
      { title: 'Titre de A', volume: 'fort', action: 'enregistrer' },
      { selector: STEP_FORM },
    );
    assert.equal(stale.status, 409);
    row = await app.db('access_requests').where({ id }).first();
    assert.equal(row.answers.demarche.title, 'Titre de B', 'never A’s title without an explicit choice');
    const events = await app.db('request_events').where({ request_id: id, kind: 'saved' }).orderBy('id');
    assert.deepEqual(
      events.map((e: { details: { merged?: boolean } }) => e.details.merged ?? false),
      [false, true],
    );
  });

  it('keeps the saved version on purpose, and a request locked meanwhile is never written', async () => {
    const { account, client: tabA } = await member();
    const tabB = await signIn(account.email);
    const id = await createRequest(app.db, account.id, CLAMART);
    await tabA.get(`/demandes/${id}/demarche`);
    await tabB.get(`/demandes/${id}/demarche`);
    await tabB.submit({ title: 'Version de B', action: 'enregistrer' }, { selector: STEP_FORM });
    await tabA.submit({ title: 'Version de A', action: 'enregistrer' }, { selector: STEP_FORM });
    const kept = await tabA.submit({ title__choix: 'enregistree' }, { selector: 'main form[action^="/demandes/"]' });
    assert.equal(kept.status, 303);
    assert.equal((await app.db('access_requests').where({ id }).first()).answers.demarche.title, 'Version de B');
  });

  it('refuses to write a request that is no longer a draft (409) and shows the input back', async () => {
    const { account, client } = await member();
    const id = await createRequest(app.db, account.id, CLAMART);
    await client.get(`/demandes/${id}/demarche`);
    await app.db('access_requests').where({ id }).update({ status: 'submitted' });
    const locked = await client.submit({ title: 'Ma saisie', action: 'enregistrer' }, { selector: STEP_FORM });
    assert.equal(locked.status, 409);
    assert.match(locked.$('main').text(), /Ma saisie/);
    assert.match(locked.$('main').text(), /En cours d’instruction/);
  });

  it('answers 404 to another organisation’s member, to a pending member and for an unknown step', async () => {
    const { account } = await member();
    const id = await createRequest(app.db, account.id, CLAMART);
    await createAccount(app.db, { email: 'agent@rhone.fr', siret: '22690001700014' });
    const stranger = await signIn('agent@rhone.fr');
    assert.equal((await stranger.get(`/demandes/${id}/demarche`)).status, 404);
    assert.equal((await stranger.get(`/demandes/${id}`)).status, 404);
    assert.equal(
      (
        await stranger.post(`/demandes/${id}/demarche`, {
          _csrf: stranger.csrfToken(),
          title: 'x',
          action: 'enregistrer',
          version: '1',
        })
      ).status,
      404,
    );
    await createAccount(app.db, { email: 'attente@clamart.fr', siret: CLAMART, membership: 'pending' });
    const waiting = await signIn('attente@clamart.fr');
    assert.equal((await waiting.get(`/demandes/${id}/demarche`)).status, 404);
    assert.equal(
      (await signIn(account.email)).agent &&
        (await (await signIn(account.email)).get(`/demandes/${id}/inconnue`)).status,
      404,
    );
    assert.equal((await new PageClient(app.app).get(`/demandes/${id}/demarche`)).location, '/connexion');
  });
});

describe('the data, legal and contacts steps', () => {
  it('pre-ticks the use case’s scopes, always includes its open data, and refuses disabled ones', async () => {
    const { account, client } = await member();
    const id = await createRequest(app.db, account.id, CLAMART, 'marches_publics');
    const page = await client.get(`/demandes/${id}/donnees`);
    assert.ok(page.$('#scope-attestation_fiscale_dgfip').is('[checked]'), 'précochée par le cas d’usage');
    assert.ok(
      page.$('#scope-open_data_unites_legales_etablissements_insee').is('[checked][disabled]'),
      'donnée publique incluse et verrouillée',
    );
    assert.ok(
      page.$('#scope-beneficiaires_effectifs_inpi').is('[disabled]:not([checked])'),
      'désactivée pour ce cas d’usage',
    );
    assert.equal(page.$('input[name="scopes"]').length > 10, true);
    assert.ok(page.$('fieldset legend').length >= 3, 'groupées comme dans le catalogue');
    const none = await client.submit({ scopes: '', action: 'continuer' }, { selector: STEP_FORM });
    assert.equal(none.status, 422);
    assert.match(none.$('#scopes-erreur').text(), /au moins une donnée/);
    await client.get(`/demandes/${id}/donnees`);
    await client.post(`/demandes/${id}/donnees`, {
      _csrf: client.csrfToken(),
      version: '1',
      action: 'continuer',
      scopes: 'beneficiaires_effectifs_inpi',
    });
    assert.equal(client.last?.status, 422, 'une donnée désactivée seule ne compte pas');
    await client.get(`/demandes/${id}/donnees`);
    const ok = await client.post(`/demandes/${id}/donnees`, {
      _csrf: client.csrfToken(),
      version: '1',
      action: 'continuer',
      scopes: ['attestation_fiscale_dgfip', 'beneficiaires_effectifs_inpi'] as unknown as string,
    });
    assert.equal(ok.status, 303);
    const stored = (await app.db('access_requests').where({ id }).first()).answers.donnees.scopes as string[];
    assert.ok(stored.includes('attestation_fiscale_dgfip'));
    assert.ok(stored.includes('open_data_unites_legales_etablissements_insee'));
    assert.ok(!stored.includes('beneficiaires_effectifs_inpi'));
  });

  it('accepts only https addresses for the legal text', async () => {
    const { account, client } = await member();
    const id = await createRequest(app.db, account.id, CLAMART);
    await client.get(`/demandes/${id}/cadre-juridique`);
    for (const url of ['javascript:alert(1)', 'http://www.legifrance.gouv.fr/x', 'legifrance']) {
      await client.get(`/demandes/${id}/cadre-juridique`);
      const page = await client.submit(
        { nature: 'loi', reference: 'Loi n° 2016-1321', url, action: 'continuer' },
        { selector: STEP_FORM },
      );
      assert.equal(page.status, 422, url);
      assert.match(page.$('#url-erreur').text(), /https:\/\//);
    }
  });

  it('fills a contact with « C’est moi », warns about generic mailboxes and checks phones', async () => {
    const account = await createAccount(app.db, {
      email: 'agent@clamart.fr',
      siret: CLAMART,
      givenName: 'Léa',
      familyName: 'Petit',
    });
    await app.db('users').where({ id: account.id }).update({ phone: '+33123456789', job_title: 'Cheffe de projet' });
    const client = await signIn(account.email);
    const id = await createRequest(app.db, account.id, CLAMART);
    await client.get(`/demandes/${id}/contacts`);
    const me = await client.submit({ moi: 'business' }, { selector: STEP_FORM });
    assert.equal(me.status, 303);
    const filled = await client.get(`/demandes/${id}/contacts`);
    assert.equal(filled.$('#businessGivenName').attr('value'), 'Léa');
    assert.equal(
      filled.$('#businessPhone').attr('value'),
      '01 23 45 67 89',
      'stored in E.164, shown as people write it',
    );
    assert.equal(
      (await app.db('access_requests').where({ id }).first()).answers.contacts.businessPhone,
      '+33123456789',
    );
    assert.equal(filled.$('#businessEmail').attr('autocomplete'), 'section-business email');
    const generic = await client.submit(
      { dpoEmail: 'mairie@clamart.fr', dpoPhone: '12', action: 'continuer' },
      { selector: STEP_FORM },
    );
    assert.equal(generic.status, 422);
    assert.match(generic.$('#contact-dpo .fr-alert').text(), /boîte générique/);
    assert.match(generic.$('#dpoPhone-erreur').text(), /01 23 45 67 89/);
    assert.equal(generic.$('#businessGivenName').attr('value'), 'Léa', 'les autres contacts sont gardés');
  });
});

describe('summary and submission', () => {
  const complete = COMPLETE_ANSWERS;

  it('lists every answer with « Modifier » links that come back to the summary, and refuses an incomplete request', async () => {
    const { account, client } = await member();
    const id = await createRequest(app.db, account.id, CLAMART);
    await app
      .db('access_requests')
      .where({ id })
      .update({ answers: JSON.stringify({ demarche }) });
    const page = await client.get(`/demandes/${id}/recapitulatif`);
    assert.equal(page.status, 200);
    assert.match(page.$('#etape-demarche').text(), /Aides au commerce de proximité/);
    assert.match(page.$('#etape-demarche').text(), /Complète/);
    assert.match(page.$('#etape-contacts').text(), /À compléter/);
    assert.equal(page.$(`#etape-demarche a[href="/demandes/${id}/demarche?retour=recapitulatif"]`).length, 4);
    const refused = await client.submit(
      { certification: 'oui' },
      { selector: `form[action="/demandes/${id}/soumettre"]` },
    );
    assert.equal(refused.status, 422);
    assert.ok(errorSummaryTargets(refused).every((t) => t.exists));
    assert.match(refused.$('#resume-erreurs').text(), /Complétez l’étape « Contacts »/);
    assert.equal((await app.db('access_requests').where({ id }).first()).status, 'draft');
    await client.get(`/demandes/${id}/demarche?retour=recapitulatif`);
    const back = await client.submit({ ...demarche, action: 'continuer' }, { selector: STEP_FORM });
    assert.equal(back.location, `/demandes/${id}/recapitulatif`);
  });

  it('submits once (double click or replay), in one transaction with its event and emails', async () => {
    const { account, client } = await member();
    await createAccount(app.db, { email: 'instructrice@signup.localhost', roles: ['instructor'] });
    const id = await createRequest(app.db, account.id, CLAMART);
    await app
      .db('access_requests')
      .where({ id })
      .update({ answers: JSON.stringify(complete) });
    await client.get(`/demandes/${id}/recapitulatif`);
    const token = client.csrfToken();
    const results = await Promise.all(
      [1, 2, 3].map(() => client.post(`/demandes/${id}/soumettre`, { _csrf: token, certification: 'oui' })),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      [303, 303, 303],
    );
    const row = await app.db('access_requests').where({ id }).first();
    assert.equal(row.status, 'submitted');
    assert.ok(row.submitted_at);
    assert.equal((await app.db('request_events').where({ request_id: id, kind: 'submitted' })).length, 1);
    assert.deepEqual(
      (await app.db('emails').orderBy('to_address')).map(
        (e: { to_address: string; template: string }) => `${e.to_address}:${e.template}`,
      ),
      ['agent@clamart.fr:demande-soumise', 'instructrice@signup.localhost:nouvelle-demande'],
    );
    const after_ = await client.get(`/demandes/${id}/recapitulatif`);
    assert.equal(after_.$(`form[action="/demandes/${id}/soumettre"]`).length, 0, 'lecture seule après soumission');
    assert.equal(after_.$('#etape-demarche a').length, 0);
    await client.get(`/demandes/${id}/demarche`);
    assert.equal(client.last!.$('button[value="continuer"]').length, 0);
  });
});

describe('autosave with htmx', () => {
  const htmx = { 'HX-Request': 'true' };

  it('saves the step, returns the new version and the time out of band, and refuses malformed values without saving', async () => {
    const { account, client } = await member();
    const id = await createRequest(app.db, account.id, CLAMART);
    const page = await client.get(`/demandes/${id}/demarche`);
    assert.equal(
      page.$('form[data-hx-post]').attr('data-hx-swap'),
      'none',
      'le formulaire n’est jamais remplacé (le focus reste en place)',
    );
    assert.equal(page.$('#statut-formulaire').attr('role'), 'status');
    const saved = await client.submit(
      { title: 'Brouillon automatique', action: 'autosave' },
      { selector: STEP_FORM, headers: htmx },
    );
    assert.equal(saved.status, 200);
    assert.match(String(saved.headers.vary), /HX-Request/);
    assert.equal(saved.$('#version').attr('value'), '2');
    assert.equal(saved.$('#version').attr('data-hx-swap-oob'), 'true');
    assert.match(saved.$('#brouillon-etat').text(), /^Brouillon enregistré à \d+ h \d{2}$/);
    assert.equal(
      saved.$('#statut-formulaire').length,
      0,
      'a save is announced by the script, once per quiet period, not by every answer',
    );
    assert.equal(
      (await app.db('access_requests').where({ id }).first()).answers.demarche.title,
      'Brouillon automatique',
    );
    await client.get(`/demandes/${id}/demarche`);
    const bad = await client.submit(
      { goLiveDate: 'demain', action: 'autosave' },
      { selector: STEP_FORM, headers: htmx },
    );
    assert.equal(bad.status, 422);
    assert.match(
      bad.$('#brouillon-etat').text(),
      /^Enregistrement automatique impossible : Écrivez la date au format JJ\/MM\/AAAA/,
    );
    assert.equal(
      bad.$('#statut-formulaire').length,
      0,
      'the error is announced once, by the field’s own message group',
    );
    assert.equal((await app.db('access_requests').where({ id }).first()).version, 2);
    // Inline validation: the field's message group, never the field (what was typed since stays, focus too).
    assert.equal(bad.$('#goLiveDate-messages').attr('data-hx-swap-oob'), 'innerHTML');
    assert.match(bad.$('#goLiveDate-messages #goLiveDate-erreur').text(), /JJ\/MM\/AAAA, par exemple 01\/03\/2027/);
    assert.equal(bad.$('#goLiveDate').length, 0);
    assert.equal(bad.$('#description-messages').length, 0, 'an empty field is not judged while the user types');
    await client.get(`/demandes/${id}/demarche`);
    const fixed = await client.submit(
      { goLiveDate: '2027-03-01', action: 'autosave' },
      { selector: STEP_FORM, headers: htmx },
    );
    assert.equal(fixed.status, 200);
    assert.equal(fixed.$('#goLiveDate-messages').attr('data-hx-swap-oob'), 'innerHTML');
    assert.equal(fixed.$('#goLiveDate-messages').children().length, 0, 'the message goes once the value is right');
  });

  it('answers 409 to a stale autosave of a field someone else changed, and writes nothing', async () => {
    const { account, client } = await member();
    const id = await createRequest(app.db, account.id, CLAMART);
    await client.get(`/demandes/${id}/demarche`);
    await app
      .db('access_requests')
      .where({ id })
      .update({ version: 5, answers: JSON.stringify({ demarche: { title: 'Titre d’un collègue' } }) });
    const stale = await client.submit(
      { title: 'Trop tard', action: 'autosave' },
      { selector: STEP_FORM, headers: htmx },
    );
    assert.equal(stale.status, 409);
    assert.match(stale.$('#brouillon-etat').text(), /Enregistrer le brouillon/);
    assert.equal((await app.db('access_requests').where({ id }).first()).answers.demarche.title, 'Titre d’un collègue');
  });

  it('two members autosaving different fields at the same time: every value kept, no lost update', async () => {
    const { account } = await member();
    await createAccount(app.db, { email: 'collegue@clamart.fr', siret: CLAMART });
    const id = await createRequest(app.db, account.id, CLAMART);
    const editors = await Promise.all(
      ['agent@clamart.fr', 'collegue@clamart.fr'].map(async (email, i) => {
        const client = await signIn(email);
        const page = await client.get(`/demandes/${id}/donnees-personnelles`);
        return {
          client,
          csrf: client.csrfToken(),
          field: i === 0 ? 'recipients' : 'retentionJustification',
          version: page.$('#version').attr('value') ?? '',
          base: page.$('#base').attr('value') ?? '{}',
          dom: { recipients: '', retentionMonths: '48', retentionJustification: '' } as Record<string, string>,
        };
      }),
    );
    const rounds = 60;
    let accepted = 0;
    for (let round = 1; round <= rounds; round += 1) {
      const answers = await Promise.all(
        editors.map(async (editor) => {
          editor.dom[editor.field] = `${editor.field} n° ${round}`;
          const response = await editor.client.post(
            `/demandes/${id}/donnees-personnelles`,
            { ...editor.dom, version: editor.version, base: editor.base, action: 'autosave', _csrf: editor.csrf },
            htmx,
          );
          assert.equal(response.status, 200, response.$('body').text());
          editor.version = response.$('#version').attr('value') ?? '';
          editor.base = response.$('#base').attr('value') ?? '';
          return response;
        }),
      );
      accepted += answers.length;
    }
    const row = await app.db('access_requests').where({ id }).first();
    assert.equal(row.answers['donnees-personnelles'].recipients, `recipients n° ${rounds}`);
    assert.equal(row.answers['donnees-personnelles'].retentionJustification, `retentionJustification n° ${rounds}`);
    const saves = await app.db('request_events').where({ request_id: id, kind: 'saved' });
    assert.equal(saves.length, accepted);
    assert.equal(row.version, 1 + accepted, 'one version per accepted save');
    assert.deepEqual(new Set(saves.map((e: { user_id: string }) => String(e.user_id))).size, 2);
  });
});

describe('stale writes of identical answers', () => {
  it('are not conflicts: an autosave overtaken by the button saves once and moves on', async () => {
    const { account, client } = await member();
    const id = await createRequest(app.db, account.id, CLAMART);
    await client.get(`/demandes/${id}/demarche`);
    await client.submit(
      { ...demarche, action: 'autosave' },
      { selector: STEP_FORM, headers: { 'HX-Request': 'true' } },
    );
    await client.get(`/demandes/${id}/demarche`);
    const staleButSame = await client.post(`/demandes/${id}/demarche`, {
      _csrf: client.csrfToken(),
      version: '1',
      ...demarche,
      action: 'continuer',
    });
    assert.equal(staleButSame.status, 303);
    assert.equal(staleButSame.location, `/demandes/${id}/donnees`);
  });
});

describe('archiving and copying', () => {
  it('« Mes demandes » offers the actions each state allows, each naming its request for screen readers', async () => {
    const { account, client } = await member();
    const draft = await createRequest(app.db, account.id, CLAMART);
    const validated = await createRequest(app.db, account.id, CLAMART);
    await app.db('access_requests').where({ id: validated }).update({ status: 'validated', title: 'Marchés 2026' });
    const list = await client.get('/demandes');
    const actionsOf = (id: string) =>
      list
        .$(`.signup-request:has(a[href="/demandes/${id}"]) .fr-btns-group`)
        .find('a, button')
        .toArray()
        .map((el) => list.$(el).text().trim());
    assert.deepEqual(actionsOf(draft), [
      `Voir Demande n° ${draft}`,
      `Continuer Demande n° ${draft}`,
      `Archiver le brouillon Demande n° ${draft}`,
    ]);
    assert.deepEqual(actionsOf(validated), ['Voir Marchés 2026', 'Copier Marchés 2026 dans un nouveau brouillon']);
    const archived = await client.submit({}, { selector: `form[action="/demandes/${draft}/archiver"]` });
    assert.equal(archived.status, 303);
    assert.equal(
      (await client.get(`/demandes/${draft}/demarche`)).status,
      200,
      'a text notice waiting in the session is not a save time (was a 500)',
    );
    assert.equal((await app.db('access_requests').where({ id: draft }).first()).status, 'archived');
    await client.get('/demandes');
    const copied = await client.submit({}, { selector: `form[action="/demandes/${validated}/copier"]` });
    assert.match(copied.location ?? '', /^\/demandes\/\d+\/demarche$/);
  });

  it('archives a draft (then read-only), and copies a validated request into a new draft without its accepted terms', async () => {
    const { account, client } = await member();
    const draft = await createRequest(app.db, account.id, CLAMART);
    await client.get(`/demandes/${draft}/recapitulatif`);
    assert.equal((await client.submit({}, { selector: `form[action="/demandes/${draft}/archiver"]` })).status, 303);
    assert.equal((await app.db('access_requests').where({ id: draft }).first()).status, 'archived');
    assert.equal(
      (await client.get(`/demandes/${draft}/recapitulatif`)).$(`form[action="/demandes/${draft}/soumettre"]`).length,
      0,
    );

    const validated = await createRequest(app.db, account.id, CLAMART);
    await app
      .db('access_requests')
      .where({ id: validated })
      .update({
        status: 'validated',
        title: 'Marchés 2026',
        answers: JSON.stringify({ demarche, cgu: { accept: 'oui', dpoInformed: 'oui' } }),
      });
    await client.get(`/demandes/${validated}/recapitulatif`);
    const copied = await client.submit({}, { selector: `form[action="/demandes/${validated}/copier"]` });
    const copyId = /\/demandes\/(\d+)\/demarche/.exec(copied.location ?? '')?.[1];
    assert.ok(copyId);
    const copy = await app.db('access_requests').where({ id: copyId }).first();
    assert.equal(copy.status, 'draft');
    assert.equal(copy.title, 'Copie de Marchés 2026');
    assert.deepEqual(copy.answers.demarche, demarche);
    assert.equal(copy.answers.cgu, undefined);
    const refusedCopy = await client.post(`/demandes/${copyId}/copier`, { _csrf: client.csrfToken() });
    assert.equal(refusedCopy.location, `/demandes/${copyId}/recapitulatif`, 'un brouillon ne se copie pas');
  });
});
