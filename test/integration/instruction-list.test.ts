/**
 * The instructors' list (`/instruction`): who reaches it, what each filter keeps, the folded search, keyset pages that
 * neither skip nor repeat a request, and a French answer for every refused filter or tampered page link.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { ListFilters } from '../../src/domain/instruction-list.ts';
import { instructionPage } from '../../src/repositories/instruction.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CLAMART, createAccount, createRequest, createSubmittedRequest } from '../helpers/fixtures.ts';
import { PageClient, type Page } from '../helpers/page-client.ts';
import { signedInClient } from '../helpers/sign-in.ts';

const RHONE = '22690001700014';
let app: TestApp;
let instructor: PageClient;
let instructorId: string;
const ids: Record<string, string> = {};

before(async () => {
  app = await startTestApp();
  const agent = await createAccount(app.db, { email: 'agent@clamart.fr', siret: CLAMART, givenName: 'Hélène' });
  const other = await createAccount(app.db, { email: 'agent@rhone.fr', siret: RHONE });
  instructorId = (await createAccount(app.db, { email: 'instructrice@api-entreprise.gouv.fr', roles: ['instructor'] }))
    .id;
  instructor = await signedInClient(app.app, 'instructrice@api-entreprise.gouv.fr');
  await createRequest(app.db, agent.id, CLAMART); // a draft: never listed
  // 30 submitted requests, one a minute, of two organisations: more than one page.
  for (let n = 0; n < 30; n += 1) {
    const at = new Date(Date.UTC(2027, 2, 1, 9, n));
    const [who, siret] = n % 3 === 0 ? [other.id, RHONE] : [agent.id, CLAMART];
    ids[n] = await createSubmittedRequest(app.db, who, siret, { title: `Demande ${n} des marchés`, submittedAt: at });
  }
  ids.refused = await createSubmittedRequest(app.db, agent.id, CLAMART, {
    title: 'Aides à l’économie',
    submittedAt: new Date(Date.UTC(2027, 1, 10, 9)),
    status: 'refused',
  });
  await app.db('access_requests').where({ id: ids[5] }).update({ assigned_to: instructorId });
});
after(() => app.stop());

const numbers = (page: Page) =>
  page
    .$('tbody th[scope="row"]')
    .toArray()
    .map((th) => page.$(th).text().trim());

describe('the instruction list', () => {
  it('is for instructors and reporters; an applicant gets a 404 and a visitor is sent to sign in', async () => {
    const applicant = await signedInClient(app.app, 'agent@clamart.fr');
    assert.equal((await applicant.get('/instruction')).status, 404);
    const visitor = new PageClient(app.app);
    assert.equal((await visitor.get('/instruction')).location, '/connexion');
    await createAccount(app.db, { email: 'rapporteur@api-entreprise.gouv.fr', roles: ['reporter'] });
    const reporter = await signedInClient(app.app, 'rapporteur@api-entreprise.gouv.fr');
    assert.equal((await reporter.get('/instruction')).status, 200);
    const page = await instructor.get('/');
    assert.equal(page.$('header a[href="/instruction"]').text().trim(), 'Instruction');
  });

  it('lists submitted requests newest first, 25 a page, and the next page follows without a gap or a repeat', async () => {
    const first = await instructor.get('/instruction');
    assert.equal(first.status, 200);
    assert.match(first.$('caption').text(), /Demandes à instruire/);
    assert.equal(first.$('th[aria-sort="descending"]').text().trim(), 'Déposée le');
    const firstNumbers = numbers(first);
    assert.equal(firstNumbers.length, 25);
    assert.equal(firstNumbers[0], ids[29]);
    const next = first.$('a:contains("Page suivante")').attr('href');
    assert.ok(next?.startsWith('/instruction?apres='), next);
    const second = await instructor.get(next!);
    const all = [...firstNumbers, ...numbers(second)];
    assert.deepEqual(
      all,
      [...Array(30).keys()]
        .reverse()
        .map((n) => ids[n])
        .concat(ids.refused!),
    );
    assert.equal(second.$('a:contains("Page suivante")').length, 0);
    assert.equal(second.$('a:contains("Première page")').attr('href'), '/instruction');
    assert.match(first.$('.signup-status-counts').text(), /En cours d’instruction\u00a0: 30/);
  });

  it('filters by status, use case, assignment and submission dates, keeping the filters in the next page link', async () => {
    assert.deepEqual(numbers(await instructor.get('/instruction?statut=refused')), [ids.refused]);
    assert.deepEqual(numbers(await instructor.get('/instruction?attribution=moi')), [ids[5]]);
    assert.equal(numbers(await instructor.get('/instruction?attribution=personne')).length, 25);
    assert.deepEqual(numbers(await instructor.get('/instruction?du=10/02/2027&au=10/02/2027')), [ids.refused]);
    assert.equal(numbers(await instructor.get('/instruction?cas-usage=aides_publiques')).length, 0);
    const filtered = await instructor.get('/instruction?statut=submitted&tri=modification');
    assert.equal(filtered.$('th[aria-sort="descending"]').text().trim(), 'Modifiée le');
    assert.match(
      filtered.$('a:contains("Page suivante")').attr('href') ?? '',
      /statut=submitted&tri=modification&apres=/,
    );
    assert.match(
      filtered.$('title').text(),
      /^Demandes à instruire \(en cours d’instruction, par dernière modification\)/,
    );
  });

  it('searches number, title, organisation, SIRET and applicant, accents and case folded', async () => {
    assert.deepEqual(numbers(await instructor.get('/instruction?q=AIDES A L ECONOMIE')), [ids.refused]);
    assert.deepEqual(numbers(await instructor.get('/instruction?q=Demande%207%20DES')), [ids[7]]);
    assert.deepEqual(numbers(await instructor.get(`/instruction?q=${ids[25]}%20demande`)), [ids[25]]);
    assert.equal(numbers(await instructor.get(`/instruction?q=${RHONE}`)).length, 10);
    assert.equal(numbers(await instructor.get('/instruction?q=helene')).length, 21);
    assert.equal(numbers(await instructor.get('/instruction?q=agent@rhone.fr')).length, 10);
    const none = await instructor.get('/instruction?q=introuvable');
    assert.equal(none.status, 200);
    assert.match(none.$('main').text(), /Aucune demande ne correspond à ces critères/);
  });

  it('finds a search’s page among the newest requests when they hold it, and the same rows as the search’s index otherwise', async () => {
    const plain = (search: string, extra: Partial<ListFilters> = {}) =>
      instructionPage(app.db, { sort: 'depot', search, ...extra }, instructorId, 3, 1_000_000);
    for (const [search, extra] of [
      ['demande', {}], // common: among the 5 newest, enough for a page
      ['des marches', { sort: 'modification' }],
      ['demande 1', {}], // rarer: the window is too small, the index answers
      ['helene', { status: 'submitted' }],
      ['introuvable', {}],
    ] as [string, Partial<ListFilters>][]) {
      const expected = await plain(search, extra);
      for (const window of [1, 5, 50])
        assert.deepEqual(
          (await instructionPage(app.db, { sort: 'depot', search, ...extra }, instructorId, 3, window)).map(
            (r) => r.id,
          ),
          expected.map((r) => r.id),
          `${search}, window ${window}`,
        );
    }
    // A page after a cursor too
    const first = await plain('demande');
    const last = first.at(-2)!;
    const after = { after: { micros: last.sortMicros, id: last.id } };
    assert.deepEqual(
      (await instructionPage(app.db, { sort: 'depot', search: 'demande', ...after }, instructorId, 3, 5)).map(
        (r) => r.id,
      ),
      (await plain('demande', after)).map((r) => r.id),
    );
  });

  it('reads a SIRET, with or without spaces, as the organisation’s requests', async () => {
    const spaced = RHONE.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, '$1 $2 $3 $4');
    assert.equal(numbers(await instructor.get(`/instruction?q=${encodeURIComponent(spaced)}`)).length, 10);
    const counts = await instructor.get(`/instruction?q=${RHONE}`);
    assert.match(counts.$('main').text(), /En cours d’instruction\s*:\s*10(?!\d)/, 'counted from the organisation too');
  });

  it('answers a French 400 for refused filters, a tampered page link and an overlong search, keeping what was typed', async () => {
    const refused = await instructor.get('/instruction?statut=inconnu&du=31/02/2027&tri=x&cas-usage=nope');
    assert.equal(refused.status, 400);
    assert.equal(refused.$('#resume-erreurs li').length, 4);
    assert.equal(refused.$('#du').attr('value'), '31/02/2027');
    assert.match(refused.$('title').text(), /^Erreur/);
    for (const cursor of ['x', '1.2.3', '99999999999999999999.1', "1.1' OR 1=1"]) {
      const page = await instructor.get(`/instruction?apres=${encodeURIComponent(cursor)}`);
      assert.equal(page.status, 400, cursor);
      assert.match(page.$('main').text(), /Le lien de page suivante est incomplet/, cursor);
    }
    // 10,000 characters: the longest search a URL of this server can carry (its headers stop at 16 KB).
    const long = await instructor.get(`/instruction?q=${'a'.repeat(10_000)}`);
    assert.equal(long.status, 400);
    assert.match(long.$('#resume-erreurs').text(), /200 caractères au plus/);
  });
});

describe('the list with htmx', () => {
  it('answers the results alone, with the new title and what the live region says, and a refused filter with its reason', async () => {
    const htmx = { 'HX-Request': 'true' };
    const found = await instructor.get(`/instruction?q=Demande%207%20DES`, htmx);
    assert.equal(found.status, 200);
    assert.match(found.headers.vary ?? '', /HX-Request/i);
    assert.equal(found.$('h1').length, 0, 'les résultats seuls');
    assert.deepEqual(numbers(found), [ids[7]]);
    assert.equal(found.$('#statut-formulaire[data-hx-swap-oob]').text().trim(), '1 demande trouvée');
    assert.match(found.$('title').text(), /^Demandes à instruire \(recherche/);
    const refused = await instructor.get('/instruction?du=31/02/2027', htmx);
    assert.equal(refused.status, 400);
    assert.match(refused.$('#resultats-liste [class*="fr-alert--error"]').text(), /JJ\/MM\/AAAA/);
    assert.match(refused.$('title').text(), /^Erreur/);
  });
});

describe('the CSV export', () => {
  it('streams every request of the filtered list, UTF-8 with a BOM and « ; », in the list order, formulas neutralised', async () => {
    const agent = (await app.db('users').where({ email: 'agent@clamart.fr' }).first('id')) as { id: string };
    const hostile = await createSubmittedRequest(app.db, agent.id, CLAMART, {
      title: '=HYPERLINK("https://pirate.example";"cliquez")',
      submittedAt: new Date(Date.UTC(2027, 2, 2, 9)),
    });
    const list = await instructor.get('/instruction?statut=submitted');
    const href = list.$('a:contains("Exporter ces demandes en CSV")').attr('href');
    assert.equal(href, '/instruction/export?statut=submitted');
    const res = await instructor.agent
      .get(href!)
      .buffer(true)
      .parse((stream, done) => {
        let body = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => (body += chunk));
        stream.on('end', () => done(null, body));
      });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
    assert.match(res.headers['content-disposition'] ?? '', /^attachment; filename="demandes-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = res.body as string;
    assert.ok(text.startsWith('\ufeff'), 'BOM');
    const records = parse(text.slice(1), { delimiter: ';' }) as string[][];
    assert.deepEqual(records[0], [
      'Numéro',
      'Intitulé',
      'Statut',
      'Cas d’usage',
      'Organisation',
      'SIRET',
      'Demandeur',
      'Adresse électronique du demandeur',
      'Déposée le',
      'Modifiée le',
      'Attribuée à',
    ]);
    assert.equal(records.length - 1, 31, 'toutes les pages : 30 soumises et la nouvelle');
    assert.equal(records[1]![0], hostile);
    assert.equal(records[1]![1], '\'=HYPERLINK("https://pirate.example";"cliquez")');
    assert.equal(records[1]![8], '02/03/2027 10:00', 'heure de Paris');
    assert.equal(records[1]![2], 'En cours d’instruction');
    assert.ok(text.includes('\r\n'));
    const refused = await instructor.agent.get('/instruction/export?statut=inconnu');
    assert.equal(refused.status, 303);
    assert.equal(refused.headers.location, '/instruction?statut=inconnu');
    const applicant = await signedInClient(app.app, 'agent@clamart.fr');
    assert.equal((await applicant.get('/instruction/export')).status, 404);
  });
});

describe('the counts per status', () => {
  it('are the counters the database keeps for the whole list, under the use case and assignment filters too, dates count up to 10 000 matches and a search up to 1 000', async () => {
    const counters = Object.fromEntries(
      (
        (await app.db('request_counts').select('status').sum('count as count').groupBy('status')) as {
          status: string;
          count: string;
        }[]
      ).map((r) => [r.status, Number(r.count)]),
    );
    const real = Object.fromEntries(
      (
        (await app
          .db('access_requests')
          .whereNotNull('submitted_at')
          .groupBy('status')
          .select('status')
          .count('* as count')) as { status: string; count: string }[]
      ).map((r) => [r.status, Number(r.count)]),
    );
    for (const status of Object.keys(real)) assert.equal(counters[status], real[status], status);
    const agent = (await app.db('users').where({ email: 'agent@clamart.fr' }).first('id')) as { id: string };
    const organisation = (await app.db('organisations').where({ siret: CLAMART }).first('id')) as { id: string };
    await app.db.raw(
      `INSERT INTO access_requests (organisation_id, created_by, use_case_id, status, title, submitted_at)
         SELECT ?, ?, 'aides_publiques', 'validated', 'Aide n° ' || n, now() - n * interval '1 minute'
         FROM generate_series(1, 10005) n`,
      [organisation.id, agent.id],
    );
    await app.db.raw(
      `UPDATE access_requests SET search_text = directory_normalise(title) WHERE title LIKE 'Aide n° %'`,
    );
    const whole = await instructor.get('/instruction');
    assert.match(whole.$('.signup-status-counts').text(), /Validée\u00a0: 10\u202f005/);
    assert.equal(whole.$('#comptes-partiels').length, 0, 'les compteurs de la liste entière sont exacts');
    const byUseCase = await instructor.get('/instruction?cas-usage=aides_publiques');
    assert.match(byUseCase.$('.signup-status-counts').text(), /Validée\u00a0: 10\u202f005/);
    assert.match(byUseCase.$('.signup-status-counts').text(), /En cours d’instruction\u00a0: 0/);
    assert.equal(byUseCase.$('#comptes-partiels').length, 0);
    assert.match(
      (await instructor.get('/instruction?attribution=moi')).$('.signup-status-counts').text(),
      /En cours d’instruction\u00a0: 1/,
    );
    const dated = await instructor.get('/instruction?du=01/01/2020');
    assert.match(dated.$('#comptes-partiels').text(), /Plus de 10\u202f000 demandes correspondent à ces dates/);
    // A search counts a thousand matches at most: past them, the instructor refines the words.
    const searched = await instructor.get('/instruction?q=aide');
    assert.match(searched.$('#comptes-partiels').text(), /Plus de 1\u202f000 demandes correspondent à cette recherche/);
    const narrow = await instructor.get('/instruction?q=aide%20n%C2%B0%20100');
    assert.equal(narrow.$('#comptes-partiels').length, 0, 'moins de 1 000 résultats : un compte exact');
    const exact = await instructor.get('/instruction?cas-usage=aides_publiques&q=Aide%20n%C2%B0%2042');
    assert.equal(exact.$('#comptes-partiels').length, 0);
  });
});
