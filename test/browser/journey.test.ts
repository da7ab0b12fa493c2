/**
 * Browser journey (issue 4, « Done means »): a person completes a whole access request in Chromium, JavaScript
 * disabled then enabled: « Nouvelle demande », the six steps, the summary, the submission. Every page is checked
 * with axe (RGAA + WCAG 2.1 AA), html-validate and CSP in three states: as loaded, with errors (422: « Erreur : »
 * title, error summary whose links lead to the fields) and filled in. With JavaScript: the htmx autosave (live
 * region, version, focus kept). Then the 409 page of two tabs saving the same field. The counts are added to
 * test-results/browser-summary.json.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, test, type TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { checkPhone } from '../../src/domain/phone.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CHROMIUM_PATH, CSP_LISTENER, MISSING_CHROMIUM, MODES, launchChromium, type Mode } from '../helpers/browser.ts';
import { CLAMART, createAccount, createRequest, type FixtureAccount } from '../helpers/fixtures.ts';
import { signIn } from './browser-session.ts';
import { conflict } from './journey-conflict.ts';
import {
  checkState,
  clickAndWait,
  currentDom,
  emptyTotals,
  errorSummaryProblems,
  finishPart,
  focusedId,
  type Navigation,
  open,
  sequence,
  settleAutosave,
  tick,
} from './journey-checks.ts';
import { assertScopesAsLoaded, stepScripts, type StepScript } from './journey-steps.ts';

const chromiumMissing = !existsSync(CHROMIUM_PATH);
const totals = emptyTotals();
let app: TestApp | undefined;
let browser: Browser | undefined;

after(async () => {
  await browser?.close();
  await app?.stop();
});

async function requestRow(
  id: string,
): Promise<{ version: number; status: string; answers: Record<string, Record<string, unknown>> }> {
  return app!.db('access_requests').where({ id }).first('version', 'status', 'answers');
}

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

/** With JavaScript: typing in a field saves the draft (live region, new version in the page and the database), focus stays. */
async function checkAutosave(page: Page, id: string, value: string, problems: string[]): Promise<void> {
  const before = await requestRow(id);
  await page.fill('#title', value);
  await page.waitForFunction(
    () =>
      /^Brouillon enregistré à \d{1,2} h \d{2}$/.test(
        document.getElementById('statut-formulaire')?.textContent?.trim() ?? '',
      ),
    undefined,
    { timeout: 15_000 },
  );
  const after_ = await requestRow(id);
  assert.equal(after_.version, before.version + 1, 'l’enregistrement automatique crée une version');
  assert.equal(after_.answers.demarche?.title, value, 'l’intitulé tapé est en base');
  assert.equal(await page.inputValue('#version'), String(after_.version), 'la page connaît la nouvelle version');
  assert.match((await page.locator('#brouillon-etat').textContent()) ?? '', /^Brouillon enregistré à \d{1,2} h \d{2}$/);
  const focused = await focusedId(page);
  if (focused !== 'title')
    problems.push(`enregistrement automatique : le focus a quitté le champ (${focused || 'body'})`);
}

/** (Playwright normalises the spaces of accessible names: the names looked for are written with plain spaces.)
 * « C’est moi » fills the DPD with the signed-in person's details (a plain form post, with or without JavaScript). */
async function itsMe(page: Page, url: string, account: FixtureAccount): Promise<void> {
  const filled = await clickAndWait(
    page,
    page.getByRole('button', { name: /^C’est moi : remplir « Délégué ou déléguée à la protection des données/ }),
  );
  assert.deepEqual(
    [filled.posted, filled.status, filled.path],
    [303, 200, url],
    '« C’est moi » enregistre et revient à l’étape',
  );
  const values = await Promise.all(
    ['GivenName', 'FamilyName', 'Email', 'Phone', 'JobTitle'].map((part) => page.inputValue(`#dpo${part}`)),
  );
  const phone = checkPhone(values[3] ?? '');
  assert.deepEqual(
    [...values.slice(0, 3), phone.ok ? phone.e164 : values[3], values[4]],
    ['Marie', 'Durand', account.email, '+33123456789', 'Cheffe de projet numérique'],
  );
}

async function runStep(
  page: Page,
  mode: Mode,
  id: string,
  index: number,
  step: StepScript,
  shown: Navigation,
  account: FixtureAccount,
  problems: string[],
): Promise<Navigation> {
  const url = `/demandes/${id}/${step.slug}`;
  const at = (state: string) => `${url} ${state} (${mode})`;
  assert.deepEqual([shown.status, shown.path], [200, url]);
  assert.equal((await page.locator('h1').textContent())?.trim(), step.h1);
  assert.ok(
    (await page.title()).startsWith(`Étape ${index + 1} sur 6 : ${step.h1} – `),
    `titre : ${await page.title()}`,
  );
  if (step.slug === 'donnees') await assertScopesAsLoaded(page);
  problems.push(...(await checkState(page, mode, at('vide'), { server: shown.html }, totals)));

  await step.spoil?.(page);
  if (step.spoil) await settleAutosave(page, mode);
  const refused = await clickAndWait(page, button(page, 'Continuer'));
  assert.deepEqual(
    [refused.posted, refused.path],
    [422, url],
    '« Continuer » sur une étape incomplète : 422 et la même étape',
  );
  const summary = await errorSummaryProblems(page, mode, at('erreur'));
  if (summary.targets[0] !== step.firstError)
    problems.push(`${at('erreur')} : premier lien vers #${summary.targets[0]} au lieu de #${step.firstError}`);
  problems.push(...summary.problems, ...(await checkState(page, mode, at('erreur'), { server: refused.html }, totals)));

  if (mode === 'js-on' && step.slug === 'demarche') await checkAutosave(page, id, String(step.stored.title), problems);
  if (step.slug === 'contacts') await itsMe(page, url, account);
  await step.fill(page);
  const autosaved = await settleAutosave(page, mode);
  if (autosaved !== undefined && autosaved !== 200)
    problems.push(`${at('rempli')} : l’enregistrement automatique a répondu ${autosaved}`);
  problems.push(...(await checkState(page, mode, at('rempli'), await currentDom(page), totals)));

  if (step.slug === 'donnees-personnelles') {
    const saved = await clickAndWait(page, button(page, 'Enregistrer le brouillon'));
    assert.deepEqual(
      [saved.posted, saved.status, saved.path],
      [303, 200, url],
      '« Enregistrer le brouillon » reste sur l’étape',
    );
    assert.match(
      (await page.locator('main .fr-alert[role="status"]').textContent())?.trim() ?? '',
      /^Brouillon enregistré à \d{1,2} h \d{2}\.$/,
    );
    assert.equal(await page.inputValue('#retentionMonths'), '48', 'la saisie enregistrée est réaffichée');
    problems.push(...(await checkState(page, mode, at('brouillon enregistré'), { server: saved.html }, totals)));
  }
  const next = await clickAndWait(page, button(page, 'Continuer'));
  assert.equal(next.posted, 303, `« Continuer » sur l’étape remplie : ${next.posted}`);
  const stored = (await requestRow(id)).answers[step.slug] ?? {};
  for (const [name, value] of Object.entries(step.stored))
    assert.deepEqual(stored[name], value, `${step.slug}.${name} en base`);
  step.verify?.(stored);
  return next;
}

async function journey(t: TestContext, page: Page, mode: Mode, base: string, account: FixtureAccount): Promise<void> {
  const part = sequence(t);
  let shown: Navigation | undefined;
  let id = '';
  await part('Mes demandes → Nouvelle demande : vide, erreur, remplie', async (problems) => {
    await open(page, `${base}/demandes`);
    const start = await clickAndWait(
      page,
      page.getByRole('main').getByRole('link', { name: 'Nouvelle demande', exact: true }),
    );
    assert.deepEqual([start.status, start.path], [200, '/demandes/nouvelle']);
    problems.push(
      ...(await checkState(page, mode, `/demandes/nouvelle vide (${mode})`, { server: start.html }, totals)),
    );
    const refused = await clickAndWait(page, button(page, 'Commencer la demande'));
    assert.equal(refused.posted, 422);
    const summary = await errorSummaryProblems(page, mode, `/demandes/nouvelle erreur (${mode})`);
    problems.push(
      ...summary.problems,
      ...(await checkState(page, mode, `/demandes/nouvelle erreur (${mode})`, { server: refused.html }, totals)),
    );
    assert.equal(
      await page.locator('input[name="organisation"]:checked').count(),
      1,
      'la seule organisation est choisie d’office',
    );
    await tick(page, 'radio', /^Marchés publics/);
    problems.push(
      ...(await checkState(page, mode, `/demandes/nouvelle remplie (${mode})`, await currentDom(page), totals)),
    );
    shown = await clickAndWait(page, button(page, 'Commencer la demande'));
    assert.equal(shown.posted, 303);
    id = /^\/demandes\/(\d+)\/demarche$/.exec(shown.path)?.[1] ?? assert.fail(`page après création : ${shown.path}`);
  });
  for (const [index, step] of stepScripts(mode).entries()) {
    await part(`étape ${index + 1} : ${step.slug} (vide, erreur, remplie)`, async (problems) => {
      shown = await runStep(page, mode, id, index, step, shown!, account, problems);
    });
  }
  await part('récapitulatif, certification, soumission', async (problems) => {
    const url = `/demandes/${id}/recapitulatif`;
    assert.deepEqual([shown!.status, shown!.path], [200, url]);
    assert.equal(
      await page.locator('main section .fr-badge', { hasText: 'Complète' }).count(),
      6,
      'les six étapes sont complètes',
    );
    problems.push(...(await checkState(page, mode, `${url} (${mode})`, { server: shown!.html }, totals)));
    const refused = await clickAndWait(page, button(page, 'Soumettre la demande'));
    assert.equal(refused.posted, 422, 'soumettre sans certifier : 422');
    const summary = await errorSummaryProblems(page, mode, `${url} erreur (${mode})`);
    if (summary.targets[0] !== 'certification')
      problems.push(`${url} erreur : premier lien vers #${summary.targets[0]} au lieu de #certification`);
    problems.push(
      ...summary.problems,
      ...(await checkState(page, mode, `${url} erreur (${mode})`, { server: refused.html }, totals)),
    );
    await tick(page, 'checkbox', 'Je certifie que les informations de cette demande sont exactes');
    problems.push(...(await checkState(page, mode, `${url} certifiée (${mode})`, await currentDom(page), totals)));
    const done = await clickAndWait(page, button(page, 'Soumettre la demande'));
    assert.deepEqual([done.posted, done.status, done.path], [303, 200, url]);
    assert.equal(
      (await page.locator('main .fr-alert[role="status"]').textContent())?.trim(),
      'Votre demande est transmise. Vous recevrez un courriel de confirmation.',
    );
    assert.equal(
      (await page.locator('main > div > p .fr-badge').first().textContent())?.trim(),
      'En cours d’instruction',
    );
    assert.equal(await button(page, 'Soumettre la demande').count(), 0, 'la demande soumise n’est plus modifiable');
    assert.equal((await requestRow(id)).status, 'submitted');
    problems.push(...(await checkState(page, mode, `${url} confirmation (${mode})`, { server: done.html }, totals)));
  });
}

await test(
  'navigateur : une demande complète, JS désactivé puis activé (axe, HTML, CSP à chaque étape)',
  { skip: chromiumMissing && !process.env.CI ? MISSING_CHROMIUM : false, timeout: 600_000 },
  async (t) => {
    assert.ok(
      !chromiumMissing,
      `Chromium absent (${CHROMIUM_PATH}) alors que CI est défini : installez-le avec apt-get install -y chromium`,
    );
    const started = Date.now();
    app = await startTestApp();
    const { url: base } = await app.listen();
    browser = await launchChromium();
    const account = await createAccount(app.db, { email: 'marie.durand@clamart.fr', siret: CLAMART });
    await app
      .db('users')
      .where({ id: account.id })
      .update({ phone: '+33123456789', job_title: 'Cheffe de projet numérique' });
    for (const mode of MODES) {
      const context = await browser.newContext({ javaScriptEnabled: mode === 'js-on', locale: 'fr-FR' });
      try {
        if (mode === 'js-on') await context.addInitScript(CSP_LISTENER);
        await signIn(context, base, account);
        const page = await context.newPage();
        const draft = await createRequest(app.db, account.id, CLAMART);
        await t.test(`parcours complet (${mode})`, (tt) => journey(tt, page, mode, base, account));
        await sequence(t)(`page de conflit 409, deux onglets (${mode})`, (problems) =>
          conflict(app!.db, context, mode, `${base}/demandes/${draft}/demarche`, totals, problems),
        );
      } finally {
        await context.close();
      }
    }
    await finishPart(t, 'journey', totals, started);
  },
);
