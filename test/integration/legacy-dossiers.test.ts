/**
 * Dossiers of démarches simplifiées, once imported: « Demandes antérieures au 27/08/2019 » on « Mes demandes » and the
 * dashboard for the members of the dossier's SIRET and the person whose email it carries (anyone else: 404), the
 * read-only page; instruction's « démarches simplifiées » origin, the dossier number searchable, and the link to the
 * authorization that replaced a dossier, shown on both sides (422 keeps what was typed; audited).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CLAMART, createAccount, createAuthorization, createSubmittedRequest } from '../helpers/fixtures.ts';
import { importLegacyFixtures } from '../helpers/legacy.ts';
import { bodyCells, errorSummaryTargets, type PageClient } from '../helpers/page-client.ts';
import { signedInClient } from '../helpers/sign-in.ts';

let app: TestApp;
let owner: PageClient;
let stranger: PageClient;
let instructor: PageClient;
let reporter: PageClient;
let authorizationId: string;
let requestId: string;

before(async () => {
  app = await startTestApp();
  const agent = await createAccount(app.db, { email: 'agent@clamart.fr', siret: CLAMART });
  await createAccount(app.db, { email: 'agent@rhone.fr', siret: '22690001700014' });
  await createAccount(app.db, { email: 'instructeur@api-entreprise.gouv.fr', roles: ['instructor'] });
  await createAccount(app.db, { email: 'rapporteur@api-entreprise.gouv.fr', roles: ['reporter'] });
  requestId = await createSubmittedRequest(app.db, agent.id, CLAMART, {
    title: 'Marchés publics',
    status: 'validated',
  });
  authorizationId = await createAuthorization(app.db, requestId, agent.id);
  await importLegacyFixtures(app.database.url, app.db);
  owner = await signedInClient(app.app, 'agent@clamart.fr');
  stranger = await signedInClient(app.app, 'agent@rhone.fr');
  instructor = await signedInClient(app.app, 'instructeur@api-entreprise.gouv.fr');
  reporter = await signedInClient(app.app, 'rapporteur@api-entreprise.gouv.fr');
});
after(() => app.stop());

const numbersListed = (page: Awaited<ReturnType<PageClient['get']>>) =>
  page
    .$('#demandes-anterieures h3 a')
    .map((_i, a) => page.$(a).text().trim())
    .get();

describe('applicants', () => {
  it('see their organisation’s dossiers and those carrying their email, on « Mes demandes » and the dashboard', async () => {
    const expected = [
      'Dossier démarches simplifiées n° 2043',
      'Dossier démarches simplifiées n° 2044',
      'Dossier démarches simplifiées n° 2041',
      'Dossier démarches simplifiées n° 1103',
      'Dossier démarches simplifiées n° 1101',
    ];
    const list = await owner.get('/demandes');
    assert.equal(list.status, 200);
    assert.equal(list.$('#demandes-anterieures-titre').text(), 'Demandes antérieures au 27/08/2019 (5)');
    assert.deepEqual(numbersListed(list), expected, 'newest deposit first');
    assert.deepEqual(numbersListed(await owner.get('/tableau-de-bord')), expected);
    const other = await stranger.get('/demandes');
    assert.equal(other.$('#demandes-anterieures').length, 0, 'nothing for another organisation');
  });

  it('read a dossier: its fields, dates, state and the decision’s motivation', async () => {
    const page = await owner.get('/demandes/anterieures/2041');
    assert.equal(page.status, 200);
    assert.equal(page.$('h1').text(), 'Dossier démarches simplifiées n° 2041');
    const facts = Object.fromEntries(
      page
        .$('#dossier-resume .signup-summary-list__row')
        .map((_i, row) => [[page.$(row).find('dt').text().trim(), page.$(row).find('dd').text().trim()]])
        .get() as [string, string][],
    );
    assert.equal(facts['État sur démarches simplifiées'], 'Accepté');
    assert.equal(facts['Statut dans SignUp'], 'Validée');
    assert.equal(facts['Adresse électronique du demandeur'], 'ancien.agent@clamart.fr');
    assert.equal(facts['Déposé'], 'le 14 mai 2018 à 10 h 23');
    assert.match(facts['Organisation']!, /SIRET 21920023500014$/);
    assert.equal(page.$('#motivation-titre').next().text(), 'Accès accordé pour les marchés publics de la commune.');
    const fields = page
      .$('#dossier-champs dt')
      .map((_i, dt) => page.$(dt).text())
      .get();
    assert.deepEqual(fields, [
      'Cadre juridique',
      'Description du cas d’usage',
      'API demandées',
      'Délégué à la protection des données',
      'Pièce jointe\u00a0: délibération',
    ]);
    assert.equal(page.$('main form').length, 0, 'read-only: no form');
    const byEmail = await owner.get('/demandes/anterieures/2043');
    assert.equal(byEmail.status, 200, 'no SIRET, the applicant’s own email');
    const sheet = await owner.get('/demandes/anterieures/1103');
    assert.equal(sheet.status, 200);
    assert.match(sheet.$('#champs-titre').next().text(), /export tableur/);
  });

  it('see imported text escaped: an export is data, never markup', async () => {
    const hostile = '"><svg onload=alert(1)></textarea><script>alert(2)</script>{{7*7}}';
    await app.db('legacy_dossiers').insert({
      number: 3001,
      ds_state: 'refuse',
      status: 'refused',
      email: 'agent@clamart.fr',
      motivation: hostile,
      fields: JSON.stringify([{ label: hostile, value: hostile }]),
      original: JSON.stringify({ number: 3001 }),
      source: 'api',
      content_hash: 'x',
      search_text: '3001',
    });
    const page = await owner.get('/demandes/anterieures/3001');
    assert.equal(page.status, 200);
    assert.ok(!page.html.includes('<svg') && !page.html.includes('<script>alert'), 'no markup from the export');
    assert.ok(page.html.includes('&lt;svg onload=alert(1)&gt;'));
    assert.ok(page.html.includes('{{7*7}}'), 'not evaluated');
    assert.equal(page.$('#dossier-champs dd').text(), hostile);
    await app.db('legacy_dossiers').where({ number: 3001 }).delete();
  });

  it('get a 404 for anyone else’s dossier, an unknown one or a malformed number', async () => {
    for (const path of ['/demandes/anterieures/2042', '/demandes/anterieures/9999', '/demandes/anterieures/abc'])
      assert.equal((await owner.get(path)).status, 404, path);
    assert.equal((await stranger.get('/demandes/anterieures/2041')).status, 404);
    assert.equal((await instructor.get('/demandes/anterieures/2041')).status, 404, 'instruction reads it elsewhere');
  });
});

describe('instruction', () => {
  it('filters the list by origin, counts by status, and finds a dossier by its number, SIRET or email', async () => {
    const all = await instructor.get('/instruction?origine=demarches-simplifiees');
    assert.equal(all.status, 200);
    assert.equal(all.$('title').text().split(' – ')[0], 'Demandes à instruire (dossiers démarches simplifiées)');
    const counts = all
      .$('.signup-status-counts li')
      .map((_i, li) => all.$(li).text())
      .get();
    assert.deepEqual(counts, [
      'Brouillon\u00a0: 1',
      'En cours d’instruction\u00a0: 3',
      'Validée\u00a0: 2',
      'Refusée\u00a0: 2',
      'Archivée\u00a0: 2',
    ]);
    const table = all.$('#resultats-liste table');
    assert.deepEqual(
      bodyCells(all, table).map((r) => r[0]),
      [
        '2046 (dossier démarches simplifiées)',
        '2045 (dossier démarches simplifiées)',
        '2044 (dossier démarches simplifiées)',
        '2043 (dossier démarches simplifiées)',
        '2042 (dossier démarches simplifiées)',
        '2041 (dossier démarches simplifiées)',
        '1104 (dossier démarches simplifiées)',
        '1103 (dossier démarches simplifiées)',
        '1102 (dossier démarches simplifiées)',
        '1101 (dossier démarches simplifiées)',
      ],
    );
    const numbers = async (query: string) => {
      const page = await instructor.get(`/instruction?origine=demarches-simplifiees&${query}`);
      return bodyCells(page, page.$('#resultats-liste table')).map((r) => r[0]!.split(' ')[0]);
    };
    assert.deepEqual(await numbers('q=2041'), ['2044', '2041'], 'its number (and the dossier that cites it)');
    assert.deepEqual(await numbers('q=219 200 235 00014'), ['2044', '2041', '1103', '1101'], 'a SIRET');
    assert.deepEqual(await numbers('q=achat%40numerique.gouv.fr'), ['1104', '1102'], 'an email');
    assert.deepEqual(await numbers('statut=refused'), ['2042', '1103']);
    assert.deepEqual(await numbers('statut=draft'), ['2045'], 'their own statuses, drafts among them');
    const sentBack = await instructor.get('/instruction?origine=demarches-simplifiees&statut=changes_requested');
    assert.equal(sentBack.status, 400, 'never sent back for changes on démarches simplifiées');
    const ignored = await instructor.get('/instruction?origine=demarches-simplifiees&attribution=moi');
    assert.equal(ignored.$('title').text().split(' – ')[0], 'Demandes à instruire (dossiers démarches simplifiées)');
    assert.match(ignored.$('#filtres-sans-effet').text(), /ne s’appliquent pas aux dossiers démarches simplifiées/);
    assert.deepEqual(await numbers('du=01/01/2019&au=31/07/2019'), ['2044', '2043']);
  });

  it('says in the requests’ list that dossiers of démarches simplifiées also match a search, and links to them', async () => {
    const page = await instructor.get('/instruction?q=2041');
    const link = page.$('#dossiers-ds-trouves a');
    assert.match(link.text(), /^2 dossiers démarches simplifiées .* correspondent aussi à cette recherche$/);
    assert.equal(link.attr('href'), '/instruction?origine=demarches-simplifiees&q=2041');
    assert.equal((await instructor.get('/instruction?q=introuvable')).$('#dossiers-ds-trouves').length, 0);
    assert.equal((await instructor.get('/instruction?origine=inconnue')).status, 400);
    const exported = await instructor.get('/instruction/export?origine=demarches-simplifiees&q=2041');
    assert.equal(exported.status, 303, 'the export is of SignUp’s requests: back to the list');
    assert.equal(exported.location, '/instruction?origine=demarches-simplifiees&q=2041');
  });

  it('links a dossier to the authorization that replaced it (422 keeps what was typed), shown on both sides', async () => {
    let page = await instructor.get('/instruction/demarches-simplifiees/2041');
    assert.equal(page.status, 200);
    assert.match(page.$('#remplacement').text(), /Aucune habilitation n’est liée à ce dossier/);
    assert.match(
      page.$('#remplacement li').first().text(),
      new RegExp(`N° ${authorizationId} «\u202fMarchés publics\u202f»`),
    );
    page = await instructor.submit({ habilitation: '999' }, { selector: 'form[action$="/habilitation"]' });
    assert.equal(page.status, 422);
    assert.equal(page.$('#habilitation').attr('value'), '999');
    assert.match(
      page.$('#habilitation-messages').text() || page.$('.fr-error-text').text(),
      /aucune habilitation ne porte le numéro «\u202f999\u202f»/,
    );
    assert.deepEqual(errorSummaryTargets(page), [{ href: '#habilitation', exists: true }]);
    page = await instructor.submit(
      { habilitation: `n° ${authorizationId}` },
      { selector: 'form[action$="/habilitation"]' },
    );
    assert.equal(page.status, 303);
    page = await instructor.get(page.location!);
    assert.match(page.$('#remplacement').text(), new RegExp(`remplacé par l’habilitation n° ${authorizationId}`));
    const audit = await app.db('audit_log').where({ action: 'legacy_dossier.linked' }).first('subject_id', 'details');
    assert.equal(audit?.subject_id, '2041');
    // The other side: the request's instruction page, the applicant's authorization page, their dossier page.
    const request = await instructor.get(`/instruction/demandes/${requestId}`);
    assert.equal(
      request.$('a[href="/instruction/demarches-simplifiees/2041"]').text(),
      'dossier démarches simplifiées n° 2041',
    );
    const dashboard = await owner.get(`/tableau-de-bord/habilitations/${authorizationId}`);
    assert.equal(dashboard.$('a[href="/demandes/anterieures/2041"]').length, 1);
    const dossier = await owner.get('/demandes/anterieures/2041');
    assert.equal(dossier.$(`#remplacement a[href="/tableau-de-bord/habilitations/${authorizationId}"]`).length, 1);
    // Unlinked again: gone from both sides.
    await instructor.get('/instruction/demarches-simplifiees/2041');
    page = await instructor.submit({}, { selector: 'form[action$="/retirer"]' });
    assert.equal(page.status, 303);
    assert.equal(
      (await owner.get(`/tableau-de-bord/habilitations/${authorizationId}`)).$('a[href="/demandes/anterieures/2041"]')
        .length,
      0,
    );
  });

  it('answers a malformed link with a French error, never a 500, and changes nothing', async () => {
    await instructor.get('/instruction/demarches-simplifiees/2042');
    const csrf = instructor.csrfToken();
    const path = '/instruction/demarches-simplifiees/2042/habilitation';
    for (const body of ['habilitation=1&habilitation=2', `habilitation=${'9'.repeat(5000)}`, 'habilitation=%00', '']) {
      const page = await instructor.agent
        .post(path)
        .type('form')
        .send(`_csrf=${encodeURIComponent(csrf)}&${body}`);
      assert.equal(page.status, 422, body.slice(0, 40));
      assert.match(page.text, /Numéro de l’habilitation/);
    }
    assert.equal(
      (await app.db('legacy_dossiers').where({ number: 2042 }).first('authorization_id'))?.authorization_id,
      null,
    );
  });

  it('lets reporters read a dossier and not link it', async () => {
    const page = await reporter.get('/instruction/demarches-simplifiees/2042');
    assert.equal(page.status, 200);
    assert.equal(page.$('form[action$="/habilitation"]').length, 0);
    assert.equal((await instructor.get('/instruction/demarches-simplifiees/77')).status, 404);
  });
});
