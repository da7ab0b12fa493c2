/**
 * Requests made on démarches simplifiées before 27/08/2019, in Chromium, JavaScript disabled then enabled: the
 * instructor from the header's « Instruction » to the « démarches simplifiées » origin, a search by dossier number,
 * the dossier, its link to the authorization that replaced it (a wrong number refused once), and the request's page
 * naming the dossier; the applicant from « Mes demandes » to the dossier, and from the dashboard's authorization back
 * to it. No `page.goto` past the sign-in. Each state through axe, html-validate, the Nu checker and CSP.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { CSP_LISTENER, MODES, type Mode } from '../helpers/browser.ts';
import { CLAMART, createAccount, createAuthorization, createSubmittedRequest } from '../helpers/fixtures.ts';
import type { FixtureAccount } from '../helpers/fixtures.ts';
import { importLegacyFixtures } from '../helpers/legacy.ts';
import { signIn, skipWithoutChromium, startSession, type Session } from './browser-session.ts';
import {
  checkState,
  clickAndWait,
  emptyTotals,
  errorSummaryProblems,
  finishPart,
  type Markup,
} from './journey-checks.ts';

const totals = emptyTotals();
let session: Session | undefined;
after(() => session?.stop());

const button = (page: Page, name: string) => page.locator('main').getByRole('button', { name, exact: true });
const link = (page: Page, name: string | RegExp, within = 'main') =>
  page.locator(within).getByRole('link', { name, exact: typeof name === 'string' });

type Ids = { requestId: string; authorizationId: string };

async function instruction(page: Page, mode: Mode, ids: Ids, check: (w: string, m: Markup) => Promise<void>) {
  const go = (target: Locator) => clickAndWait(page, target);
  const list = await go(page.locator('header').getByRole('link', { name: 'Instruction', exact: true }));
  assert.equal(list.path, '/instruction');
  await page.selectOption('#origine', 'demarches-simplifiees');
  await page.fill('#q', '2041');
  const found = await go(button(page, 'Filtrer'));
  const params = new URL(page.url()).searchParams;
  assert.deepEqual([params.get('origine'), params.get('q')], ['demarches-simplifiees', '2041']);
  await check('dossiers démarches simplifiées, recherche par numéro', { server: found.html });
  const dossier = await go(link(page, '2041 (dossier démarches simplifiées)'));
  assert.equal(dossier.path, '/instruction/demarches-simplifiees/2041');
  await check('dossier démarches simplifiées (instruction)', { server: dossier.html });
  await page.fill('#habilitation', '999');
  const refused = await go(button(page, 'Lier le dossier'));
  assert.equal(refused.posted, 422);
  assert.equal(await page.inputValue('#habilitation'), '999', 'ce qui a été tapé reste');
  await check('lier le dossier, numéro inconnu', { server: refused.html });
  const summary = await errorSummaryProblems(page, mode, `lier le dossier (${mode})`);
  if (summary.problems.length) assert.fail(summary.problems.join('\n'));
  await page.fill('#habilitation', ids.authorizationId);
  const linked = await go(button(page, 'Lier le dossier'));
  assert.equal(linked.posted, 303);
  assert.match(await page.locator('main').innerText(), /Le dossier est lié à l’habilitation/);
  await check('dossier lié', { server: linked.html });
  // The other side: the request that became the authorization names the dossier, and leads back to it.
  const request = await go(link(page, `demande n° ${ids.requestId}`));
  assert.equal(request.path, `/instruction/demandes/${ids.requestId}`);
  const back = await go(link(page, 'dossier démarches simplifiées n° 2041'));
  assert.equal(back.path, '/instruction/demarches-simplifiees/2041');
}

async function applicant(page: Page, mode: Mode, ids: Ids, check: (w: string, m: Markup) => Promise<void>) {
  const go = (target: Locator) => clickAndWait(page, target);
  const list = await go(link(page, 'Mes demandes', 'header nav'));
  assert.equal(list.path, '/demandes');
  assert.match(await page.locator('#demandes-anterieures-titre').innerText(), /Demandes antérieures au 27\/08\/2019/);
  await check('mes demandes, demandes antérieures', { server: list.html });
  const dossier = await go(link(page, 'Dossier démarches simplifiées n° 2041'));
  assert.equal(dossier.path, '/demandes/anterieures/2041');
  assert.match(await page.locator('#motivation-titre + p').innerText(), /Accès accordé pour les marchés publics/);
  await check('dossier démarches simplifiées (demandeur)', { server: dossier.html });
  const authorization = await go(link(page, new RegExp(`l’habilitation n° ${ids.authorizationId}`)));
  assert.equal(authorization.path, `/tableau-de-bord/habilitations/${ids.authorizationId}`);
  const again = await go(link(page, 'dossier démarches simplifiées n° 2041'));
  assert.equal(again.path, '/demandes/anterieures/2041');
  await go(link(page, 'Tableau de bord', 'header nav'));
  assert.equal(await link(page, 'Dossier démarches simplifiées n° 2041').count(), 1, 'sur le tableau de bord aussi');
}

/** The instructor unlinks the dossier again, so that the next mode starts from the same state. */
async function unlink(page: Page) {
  const done = await clickAndWait(page, page.locator('main').getByRole('button', { name: /^Retirer le lien/ }));
  assert.equal(done.posted, 303);
}

async function contextFor(mode: Mode) {
  const context = await session!.browser.newContext({ javaScriptEnabled: mode === 'js-on', locale: 'fr-FR' });
  if (mode === 'js-on') await context.addInitScript(CSP_LISTENER);
  return context;
}

async function signedInPage(mode: Mode, account: FixtureAccount): Promise<Page> {
  const context = await contextFor(mode);
  await signIn(context, session!.base, account, session!.app);
  const page = await context.newPage();
  await page.goto(`${session!.base}/connexion`); // signed in: the sign-in page leads on
  return page;
}

await test(
  'navigateur : demandes antérieures au 27/08/2019, instruction et demandeur, JS désactivé puis activé',
  { skip: skipWithoutChromium, timeout: 300_000 },
  async (t) => {
    const started = Date.now();
    session = await startSession();
    const { app } = session;
    const instructor = await createAccount(app.db, {
      email: 'irene@api-entreprise.gouv.fr',
      roles: ['instructor'],
      givenName: 'Irène',
    });
    const requestId = await createSubmittedRequest(app.db, session.account.id, CLAMART, {
      title: 'Marchés publics',
      status: 'validated',
    });
    const ids = { requestId, authorizationId: await createAuthorization(app.db, requestId, session.account.id) };
    await importLegacyFixtures(app.database.url, app.db);
    for (const mode of MODES) {
      await t.test(`dossier trouvé, lu, lié, puis lu par son demandeur (${mode})`, async () => {
        const problems: string[] = [];
        const check = async (where: string, markup: Markup) => {
          const desk = pages.at(-1)!;
          problems.push(...(await checkState(desk, mode, `${where} (${mode})`, markup, totals)));
        };
        const pages: Page[] = [];
        try {
          pages.push(await signedInPage(mode, instructor));
          await instruction(pages[0]!, mode, ids, check);
          pages.push(await signedInPage(mode, session!.account));
          await applicant(pages[1]!, mode, ids, check);
          await unlink(pages[0]!);
        } finally {
          for (const page of pages) await page.context().close();
        }
        if (problems.length) assert.fail(`${problems.length} problème(s) :\n  - ${problems.join('\n  - ')}`);
      });
    }
    await finishPart(t, 'legacy', totals, started);
  },
);
