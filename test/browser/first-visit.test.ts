/**
 * A first visit, as a person makes it, by clicking only, in Chromium, JavaScript disabled then enabled (issue 8):
 * from the home page, « Créer un compte » with the organisation found by its SIRET and confirmed; the activation
 * email opened in the development mailbox (another tab, as a webmail) and its link followed; activation; sign-in;
 * « Mes demandes » from the navigation; a request started from a use case's page (« Faire une demande ») and filled
 * step by step up to its submission; then « Mot de passe oublié » through its emailed link, and a change of email
 * address through its emailed link. No header is set by hand and no page is opened by URL but the home page, the
 * mailbox and the emailed links. Every page shown passes axe (at 1280 and 320 px), html-validate, the Nu checker,
 * the CSP, no horizontal scroll at 320 px (with text spacing too) and the content checks. Then every use case a
 * person can choose, filled up to the summary.
 */
import assert from 'node:assert/strict';
import { after, test, type TestContext } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { startListeningApp, type TestApp } from '../helpers/app.ts';
import { CSP_LISTENER, launchChromium, MODES, type Mode } from '../helpers/browser.ts';
import { CLAMART } from '../helpers/fixtures.ts';
import { chromiumMissing, skipWithoutChromium } from './browser-session.ts';
import {
  checkState,
  clickAndWait,
  emptyTotals,
  finishPart,
  sequence,
  tick,
  type Navigation,
} from './journey-checks.ts';
import { fillStep, type Applicant } from './journey-steps.ts';

const totals = emptyTotals();
let app: (TestApp & { base: string }) | undefined;
let closeBrowser: (() => Promise<void>) | undefined;

after(async () => {
  await closeBrowser?.();
  await app?.stop();
});

const STEPS = ['demarche', 'donnees', 'cadre-juridique', 'donnees-personnelles', 'contacts', 'cgu'];
const PASSWORD = 'une phrase de passe assez longue';
const NEW_PASSWORD = 'une autre phrase de passe bien longue';

type Person = Applicant & { newEmail: string };
const PEOPLE: Record<Mode, Person> = {
  // the first member of the commune (an organisation created on activation)…
  'js-off': {
    givenName: 'Inès',
    familyName: 'Moreau',
    email: 'ines.moreau@clamart.fr',
    newEmail: 'ines.moreau-dsi@clamart.fr',
    phone: '01 46 62 35 20',
    jobTitle: 'Déléguée à la protection des données',
  },
  // …then a colleague with the same domain name, who joins it
  'js-on': {
    givenName: 'Léo',
    familyName: 'Garnier',
    email: 'leo.garnier@clamart.fr',
    newEmail: 'leo.garnier-dsi@clamart.fr',
    phone: '01 46 62 35 30',
    jobTitle: 'Délégué à la protection des données',
  },
};

const button = (page: Page, name: string | RegExp) =>
  page.getByRole('button', { name, exact: typeof name === 'string' });
const link = (page: Page, name: string | RegExp, within = 'main') =>
  page.locator(within).getByRole('link', { name, exact: typeof name === 'string' });

/** Pages already checked by axe at 320 px in each mode: once per page is enough, the layout is checked at every state. */
const axedAt320 = new Set<string>();

/** A page shown: its checks, with axe at 320 px too the first time this page is seen in this mode. */
async function check(
  page: Page,
  mode: Mode,
  shown: { status: number; html: string; path?: string },
  label: string,
  problems: string[],
): Promise<void> {
  const path = shown.path ?? new URL(page.url()).pathname;
  const where = `${label} ${path} (${mode})`;
  const key = `${mode} ${path.replace(/\d+/g, ':id')}`;
  const axeAt320 = !axedAt320.has(key);
  axedAt320.add(key);
  problems.push(...(await checkState(page, mode, where, { server: shown.html }, totals, { axeAt320 })));
}

/**
 * The development mailbox, in its own tab, refreshed as a person would until the email is there (some are sent by
 * the job queue a moment later): the latest email to `to` whose subject matches, opened by a click.
 */
async function openEmail(context: BrowserContext, base: string, to: string, subject: RegExp): Promise<Page> {
  const mailbox = await context.newPage();
  const row = mailbox
    .locator('tbody tr', { hasText: to })
    .filter({ has: mailbox.getByRole('link', { name: subject }) })
    .first();
  for (let attempt = 0; ; attempt += 1) {
    await mailbox.goto(`${base}/dev/courriels`);
    if ((await row.count()) > 0) break;
    if (attempt === 120) assert.fail(`aucun courriel « ${subject.source} » pour ${to} dans la boîte de développement`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await Promise.all([mailbox.waitForURL(/\/dev\/courriels\/[^/]+$/), row.getByRole('link', { name: subject }).click()]);
  return mailbox;
}

/** Follows the link of the opened email that leads to `path`: the page it lands on, in that tab. */
/**
 * Follows the link of the opened email that leads to `path`, as a mail client opens a link: its address loaded in
 * the tab (the one `page.goto` past the home page that a person makes too).
 */
async function followEmailLink(mailbox: Page, path: string): Promise<Navigation> {
  const href = await mailbox.locator(`main a[href*="${path}?jeton="]`).first().getAttribute('href');
  assert.ok(href, `le courriel contient un lien vers ${path}`);
  const landing = await mailbox.goto(href);
  assert.ok(landing, `${href} : pas de réponse`);
  return {
    posted: landing.request().redirectedFrom() ? 303 : landing.status(),
    status: landing.status(),
    html: await landing.text(),
    path: new URL(mailbox.url()).pathname,
  };
}

async function signUp(page: Page, mode: Mode, base: string, person: Person, problems: string[]): Promise<void> {
  const home = await page.goto(`${base}/`);
  assert.ok(home);
  await check(page, mode, { status: home.status(), html: await home.text() }, 'accueil', problems);
  let shown = await clickAndWait(page, link(page, 'Créer un compte', 'header'));
  assert.deepEqual([shown.status, shown.path], [200, '/inscription']);
  await check(page, mode, shown, 'inscription vide', problems);
  await page.fill('#siret', CLAMART);
  if (mode === 'js-off') {
    shown = await clickAndWait(page, button(page, 'Rechercher l’organisation'));
    assert.equal(shown.status, 200, 'la recherche du SIRET sans JavaScript');
  } else {
    await page.press('#siret', 'Tab');
  }
  await page.waitForSelector('.signup-organisation-card');
  assert.match((await page.locator('.signup-organisation-card').textContent()) ?? '', /COMMUNE DE CLAMART/);
  problems.push(
    ...(await checkState(
      page,
      mode,
      `inscription, organisation trouvée (${mode})`,
      { dom: await page.evaluate(() => `<!DOCTYPE html>\n${document.documentElement.outerHTML}`) },
      totals,
    )),
  );
  await tick(page, 'checkbox', 'Je travaille pour cette organisation');
  await page.fill('#givenName', person.givenName);
  await page.fill('#familyName', person.familyName);
  await page.fill('#email', person.email);
  await page.fill('#password', PASSWORD);
  shown = await clickAndWait(page, button(page, 'Créer mon compte'));
  assert.deepEqual([shown.posted, shown.status, shown.path], [303, 200, '/inscription/confirmation']);
  await check(page, mode, shown, 'inscription envoyée', problems);
}

async function activate(
  context: BrowserContext,
  mode: Mode,
  base: string,
  person: Person,
  problems: string[],
): Promise<void> {
  const mailbox = await openEmail(context, base, person.email, /Activez votre compte/);
  try {
    let shown = await followEmailLink(mailbox, '/activation');
    assert.deepEqual(
      [shown.status, shown.path],
      [200, '/activation'],
      'le lien mène à la page d’activation, sans le jeton dans l’adresse',
    );
    assert.doesNotMatch(mailbox.url(), /jeton/);
    await check(mailbox, mode, shown, 'activation', problems);
    shown = await clickAndWait(mailbox, button(mailbox, 'Activer mon compte'));
    assert.equal(shown.posted, 200, 'l’activation réussit dans un vrai navigateur (pas de 403)');
    assert.equal((await mailbox.locator('h1').textContent())?.trim(), 'Votre compte est activé');
    assert.match(
      (await mailbox.locator('main .fr-alert').first().textContent()) ?? '',
      /Vous avez rejoint COMMUNE DE CLAMART/,
    );
    await check(mailbox, mode, shown, 'compte activé', problems);
  } finally {
    await mailbox.close();
  }
}

async function signIn(
  page: Page,
  mode: Mode,
  person: Person,
  password: string,
  problems: string[],
  label: string,
): Promise<void> {
  let shown = await clickAndWait(page, link(page, 'Se connecter', 'header'));
  assert.deepEqual([shown.status, shown.path], [200, '/connexion']);
  await check(page, mode, shown, `${label} : connexion`, problems);
  await page.fill('#email', person.email);
  await page.fill('#password', password);
  shown = await clickAndWait(page, button(page, 'Se connecter'));
  assert.deepEqual(
    [shown.posted, shown.status, shown.path],
    [303, 200, '/demandes'],
    'après la connexion : « Mes demandes »',
  );
  assert.equal(
    await page.locator('header nav a[aria-current="page"]').textContent(),
    'Mes demandes',
    'la navigation marque la page courante',
  );
  await check(page, mode, shown, `${label} : mes demandes`, problems);
}

/**
 * From the navigation to a use case's page, then « Faire une demande »: the new request form with it chosen. `problems`:
 * every page shown is checked; `formProblems`: only the new request form, as each use case fills it.
 */
async function startFromUseCase(
  page: Page,
  mode: Mode,
  useCase: string | RegExp,
  problems: string[] | undefined,
  formProblems?: string[],
): Promise<string> {
  let shown = await clickAndWait(page, link(page, 'Cas d’usage', 'header nav'));
  assert.deepEqual([shown.status, shown.path], [200, '/cas-usage']);
  if (problems) await check(page, mode, shown, 'cas d’usage', problems);
  shown = await clickAndWait(page, page.locator('main').getByRole('link', { name: useCase }));
  assert.equal(shown.status, 200);
  if (problems) await check(page, mode, shown, 'un cas d’usage', problems);
  shown = await clickAndWait(page, page.locator('main').getByRole('link', { name: /^Faire une demande/ }));
  assert.deepEqual([shown.status, shown.path], [200, '/demandes/nouvelle']);
  assert.equal(await page.locator('input[name="useCase"]:checked').count(), 1, 'le cas d’usage de la page est choisi');
  assert.equal(
    await page.locator('input[name="organisation"]:checked').count(),
    1,
    'la seule organisation est choisie',
  );
  if (problems) await check(page, mode, shown, 'nouvelle demande', problems);
  if (formProblems) {
    const chosen = (await page.locator('input[name="useCase"]:checked + label').innerText()).split('\n')[0];
    formProblems.push(
      ...(await checkState(
        page,
        mode,
        `nouvelle demande, « ${chosen} » choisi (${mode})`,
        { server: shown.html },
        totals,
      )),
    );
  }
  shown = await clickAndWait(page, button(page, 'Commencer la demande'));
  assert.equal(shown.posted, 303);
  return (
    /^\/demandes\/(\d+)\/demarche$/.exec(shown.path)?.[1] ??
    assert.fail(`après « Commencer la demande » : ${shown.path}`)
  );
}

/** Each step filled and continued; the summary shown at the end, every step complete. */
async function fillSteps(
  page: Page,
  mode: Mode,
  id: string,
  title: string,
  person: Person,
  problems: string[] | undefined,
  checkSlugs: readonly string[],
): Promise<Navigation> {
  let shown: Navigation | undefined;
  for (const slug of STEPS) {
    assert.equal(new URL(page.url()).pathname, `/demandes/${id}/${slug}`);
    await fillStep(page, slug, title, person);
    if (problems && checkSlugs.includes(slug)) {
      problems.push(
        ...(await checkState(
          page,
          mode,
          `étape ${slug} remplie (${mode})`,
          { dom: await page.evaluate(() => `<!DOCTYPE html>\n${document.documentElement.outerHTML}`) },
          totals,
          { axeAt320: true },
        )),
      );
    }
    shown = await clickAndWait(page, button(page, 'Continuer'));
    if (shown.posted !== 303)
      assert.fail(`« Continuer » sur l’étape ${slug} : ${shown.posted} ${await page.locator('main').innerText()}`);
  }
  assert.equal(shown!.path, `/demandes/${id}/recapitulatif`);
  assert.equal(
    await page.locator('main section .fr-badge', { hasText: 'Complète' }).count(),
    6,
    'les six étapes sont complètes',
  );
  return shown!;
}

async function submit(page: Page, mode: Mode, id: string, problems: string[]): Promise<void> {
  await tick(page, 'checkbox', 'Je certifie que les informations de cette demande sont exactes');
  const done = await clickAndWait(page, button(page, 'Soumettre la demande'));
  assert.deepEqual([done.posted, done.status, done.path], [303, 200, `/demandes/${id}/recapitulatif`]);
  assert.match(
    (await page.locator('main .fr-alert[role="status"]').textContent()) ?? '',
    /Votre demande est transmise/,
  );
  await check(page, mode, done, 'demande transmise', problems);
  const list = await clickAndWait(page, link(page, 'Mes demandes', 'header nav'));
  assert.match((await page.locator('.signup-request-list').textContent()) ?? '', /En cours d’instruction/);
  await check(page, mode, list, 'mes demandes après la soumission', problems);
  const step = await clickAndWait(
    page,
    page.locator('.signup-request-list').getByRole('link', { name: /^Voir/ }).first(),
  );
  assert.equal(step.path, `/demandes/${id}/recapitulatif`);
  assert.equal(
    await page.locator('main a', { hasText: 'Modifier' }).count(),
    0,
    'une demande transmise n’offre plus « Modifier »',
  );
  assert.equal(await button(page, 'Soumettre la demande').count(), 0);
}

async function signOut(page: Page): Promise<void> {
  const out = await clickAndWait(page, button(page, 'Se déconnecter'));
  assert.equal(out.path, '/connexion/deconnecte');
}

async function resetPassword(
  context: BrowserContext,
  page: Page,
  mode: Mode,
  base: string,
  person: Person,
  problems: string[],
): Promise<void> {
  await signOut(page);
  let shown = await clickAndWait(page, link(page, 'Se connecter', 'header'));
  shown = await clickAndWait(page, link(page, /^Mot de passe oublié/));
  assert.deepEqual([shown.status, shown.path], [200, '/mot-de-passe-oublie']);
  await check(page, mode, shown, 'mot de passe oublié', problems);
  await page.fill('#email', person.email);
  shown = await clickAndWait(page, button(page, 'Recevoir le lien'));
  assert.deepEqual([shown.posted, shown.path], [303, '/mot-de-passe-oublie/envoye']);
  await check(page, mode, shown, 'lien envoyé', problems);
  const mailbox = await openEmail(context, base, person.email, /Choisissez un nouveau mot de passe/);
  try {
    shown = await followEmailLink(mailbox, '/mot-de-passe/nouveau');
    assert.deepEqual([shown.status, shown.path], [200, '/mot-de-passe/nouveau']);
    await check(mailbox, mode, shown, 'nouveau mot de passe', problems);
    await mailbox.fill('#password', NEW_PASSWORD);
    shown = await clickAndWait(mailbox, button(mailbox, 'Enregistrer le mot de passe'));
    assert.deepEqual(
      [shown.posted, shown.path],
      [303, '/connexion'],
      'le nouveau mot de passe est enregistré dans un vrai navigateur (pas de 403)',
    );
    assert.match(
      (await mailbox.locator('main .fr-alert').first().textContent()) ?? '',
      /Votre mot de passe a été modifié/,
    );
  } finally {
    await mailbox.close();
  }
  await signIn(page, mode, person, NEW_PASSWORD, problems, 'après le nouveau mot de passe');
}

async function changeEmail(
  context: BrowserContext,
  page: Page,
  mode: Mode,
  base: string,
  person: Person,
  problems: string[],
): Promise<void> {
  let shown = await clickAndWait(page, link(page, /^Mon compte/, 'header'));
  assert.deepEqual([shown.status, shown.path], [200, '/compte']);
  await check(page, mode, shown, 'mon compte', problems);
  shown = await clickAndWait(page, link(page, 'Changer mon adresse électronique'));
  assert.deepEqual([shown.status, shown.path], [200, '/compte/adresse-electronique']);
  await check(page, mode, shown, 'changer d’adresse', problems);
  await page.fill('#email', person.newEmail);
  shown = await clickAndWait(page, button(page, 'Recevoir le lien de confirmation'));
  assert.deepEqual([shown.posted, shown.path], [303, '/compte']);
  const mailbox = await openEmail(context, base, person.newEmail, /Confirmez votre nouvelle adresse/);
  try {
    shown = await followEmailLink(mailbox, '/adresse-electronique/confirmer');
    assert.deepEqual([shown.status, shown.path], [200, '/adresse-electronique/confirmer']);
    await check(mailbox, mode, shown, 'confirmer l’adresse', problems);
    shown = await clickAndWait(mailbox, button(mailbox, 'Confirmer la nouvelle adresse'));
    assert.equal(shown.posted, 200, 'la confirmation réussit dans un vrai navigateur (pas de 403)');
    assert.match(
      (await mailbox.locator('main').textContent()) ?? '',
      new RegExp(person.newEmail.replace(/[.]/g, '\\.')),
    );
    await check(mailbox, mode, shown, 'adresse modifiée', problems);
  } finally {
    await mailbox.close();
  }
  const row = await app!.db('users').whereRaw('lower(email) = ?', [person.newEmail]).first('id');
  assert.ok(row, 'la nouvelle adresse est celle du compte');
}

async function firstVisit(t: TestContext, context: BrowserContext, mode: Mode, base: string): Promise<void> {
  const part = sequence(t, 300_000);
  const person = PEOPLE[mode];
  const page = await context.newPage();
  let id = '';
  await part('accueil → créer un compte (SIRET trouvé et confirmé)', (problems) =>
    signUp(page, mode, base, person, problems),
  );
  await part('courriel d’activation → activer', (problems) => activate(context, mode, base, person, problems));
  await part('se connecter → « Mes demandes »', (problems) =>
    signIn(page, mode, person, PASSWORD, problems, 'première connexion'),
  );
  await part('cas d’usage → « Faire une demande » → les six étapes', async (problems) => {
    id = await startFromUseCase(page, mode, /^Marchés publics/, problems);
    const summary = await fillSteps(page, mode, id, `Achats publics (${mode})`, person, problems, STEPS);
    await check(page, mode, summary, 'récapitulatif', problems);
  });
  await part('certifier et soumettre', (problems) => submit(page, mode, id, problems));
  await part('mot de passe oublié → lien du courriel → nouveau mot de passe', (problems) =>
    resetPassword(context, page, mode, base, person, problems),
  );
  await part('changer d’adresse électronique → lien du courriel → confirmée', (problems) =>
    changeEmail(context, page, mode, base, person, problems),
  );
  await page.close();
}

/** Every use case a person can choose, from its page to the summary; the new request form and the data step checked as each shows them. */
async function everyUseCase(t: TestContext, context: BrowserContext, mode: Mode, useCases: string[]): Promise<void> {
  const part = sequence(t, 300_000);
  const page = await context.newPage();
  await page.goto(`${app!.base}/`);
  for (const label of useCases) {
    await part(`${label} : de sa page au récapitulatif (${mode})`, async (problems) => {
      const id = await startFromUseCase(
        page,
        mode,
        new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+')}`),
        undefined,
        problems,
      );
      await fillSteps(page, mode, id, `Démarche pour ${label}`, PEOPLE[mode], problems, ['donnees']);
    });
  }
  await page.close();
}

await test(
  'navigateur : première visite en cliquant, de l’accueil à la demande soumise, mot de passe oublié, changement d’adresse (JS désactivé puis activé)',
  { skip: skipWithoutChromium, timeout: 900_000 },
  async (t) => {
    assert.ok(
      !chromiumMissing,
      'Chromium absent alors que CI est défini : installez-le avec apt-get install -y chromium',
    );
    const started = Date.now();
    app = await startListeningApp();
    const browser = await launchChromium();
    closeBrowser = () => browser.close();
    const useCases = (await app
      .db('use_cases')
      .where({ startable_by_applicant: true })
      .orderBy('position')
      .pluck('label')) as string[];
    for (const mode of MODES) {
      const context = await browser.newContext({ javaScriptEnabled: mode === 'js-on', locale: 'fr-FR' });
      try {
        if (mode === 'js-on') await context.addInitScript(CSP_LISTENER);
        // A step that cannot happen (a missing button) fails with its reason rather than at the part's time limit.
        context.setDefaultTimeout(60_000);
        await t.test(`première visite (${mode})`, (tt) => firstVisit(tt, context, mode, app!.base));
        await t.test(`chaque cas d’usage jusqu’au récapitulatif (${mode})`, (tt) =>
          everyUseCase(tt, context, mode, useCases),
        );
      } finally {
        await context.close();
      }
    }
    await finishPart(t, 'first-visit', totals, started);
  },
);
