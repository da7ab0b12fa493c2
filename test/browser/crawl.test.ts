/**
 * Browser suite: every page of the registry, JavaScript off then on, through axe (RGAA + WCAG 2.1 AA),
 * CSP, a few DOM checks and html-validate; then the states that are not plain GETs (the eligibility form with and
 * without htmx) and the skip link. Writes test-results/browser-summary.json when the crawl ran.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, test } from 'node:test';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { PAGES } from '../../src/pages/registry.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import {
  createAccount,
  createModerationCase,
  createRegistryRequests,
  type FixtureAccount,
} from '../helpers/fixtures.ts';
import { importLegacyFixtures } from '../helpers/legacy.ts';
import { signIn as signInThroughForm } from './browser-session.ts';
import { javaAvailable, MISSING_JAVA, NuBatch } from '../helpers/nu-checker.ts';
import { contentProblems, layoutProblems } from '../helpers/page-checks.ts';
import {
  CHROMIUM_PATH,
  CSP_LISTENER,
  MISSING_CHROMIUM,
  MODES,
  cspViolations,
  domProblems,
  htmlErrors,
  launchChromium,
  registryUrls,
  removeSummary,
  runAxe,
  writeSummary,
  type Mode,
} from '../helpers/browser.ts';

removeSummary();
const chromiumMissing = !existsSync(CHROMIUM_PATH);
if (chromiumMissing && !process.env.CI)
  process.stderr.write(`\n${'!'.repeat(100)}\n!!! ${MISSING_CHROMIUM}\n${'!'.repeat(100)}\n\n`);

const STEP_TIMEOUT = 60_000;
let app: TestApp | undefined;
let browser: Browser | undefined;
type Access = 'public' | 'user' | 'instructor' | 'admin' | 'second-factor';
const contexts = new Map<string, BrowserContext>();

after(async () => {
  for (const context of contexts.values()) await context.close();
  await browser?.close();
  await app?.stop();
});

const signIn = (context: BrowserContext, base: string, account: FixtureAccount, passwordOnly = false) =>
  signInThroughForm(context, base, account, app, { passwordOnly });

/** Error pages previewed under /dev/erreurs/:code answer with their own status on purpose. */
function expectedStatus(path: string): number {
  if (PAGES.some((entry) => entry.refusedExamples?.includes(path))) return 400; // a refused filter: the form says why
  if (PAGES.some((entry) => entry.conflictExamples?.includes(path))) return 409; // no longer possible: the page says why
  return Number(/^\/dev\/erreurs\/(\d{3})$/.exec(path)?.[1] ?? 200);
}

function fail(problems: string[]): void {
  if (problems.length > 0) assert.fail(`${problems.length} problème(s) :\n  - ${problems.join('\n  - ')}`);
}

const totals = { axe: 0, html: 0, nu: 0, csp: 0, layout: 0, content: 0 };
function count(kind: keyof typeof totals, problems: string[]): string[] {
  totals[kind] += problems.length;
  return problems;
}

await test(
  'navigateur : pages du registre, JS désactivé puis activé',
  { skip: chromiumMissing && !process.env.CI ? MISSING_CHROMIUM : false, timeout: 600_000 },
  async (t) => {
    assert.ok(
      !chromiumMissing,
      `Chromium absent (${CHROMIUM_PATH}) alors que CI est défini : les tests navigateur sont obligatoires. Installez-le avec apt-get install -y chromium`,
    );
    const started = Date.now();
    app = await startTestApp();
    const { url: base } = await app.listen();
    browser = await launchChromium();
    // Signed-in pages are crawled as a member of an organisation and as an admin (with a case in the moderation queue).
    const accounts: Record<Exclude<Access, 'public'>, FixtureAccount> = {
      user: await createAccount(app.db, { email: 'agent@clamart.fr', siret: '21920023500014' }),
      instructor: await createAccount(app.db, {
        email: 'instructrice@signup.localhost',
        roles: ['instructor'],
        givenName: 'Irène',
        familyName: 'Instructrice',
      }),
      admin: await createAccount(app.db, {
        email: 'support@signup.localhost',
        roles: ['admin'],
        givenName: 'Sam',
        familyName: 'Support',
      }),
      // password typed, code not yet: the second factor's page
      'second-factor': await createAccount(app.db, {
        email: 'instruction@signup.localhost',
        roles: ['instructor'],
        givenName: 'Ines',
        familyName: 'Instruction',
      }),
    };
    const waiting = await createAccount(app.db, {
      email: 'prestataire@exemple.fr',
      givenName: 'Paul',
      familyName: 'Martin',
    });
    await createModerationCase(app.db, waiting.id, '21920023500014');
    await createRegistryRequests(app.db, accounts.user.id, '21920023500014');
    await importLegacyFixtures(app.database.url, app.db, { authorizationId: '1', by: accounts.instructor.id });
    for (const mode of MODES) {
      for (const access of ['public', 'user', 'instructor', 'admin', 'second-factor'] as const) {
        const context = await browser.newContext({ javaScriptEnabled: mode === 'js-on', locale: 'fr-FR' });
        if (mode === 'js-on') await context.addInitScript(CSP_LISTENER);
        if (access !== 'public') await signIn(context, base, accounts[access], access === 'second-factor');
        contexts.set(`${access}:${mode}`, context);
      }
    }
    const contextFor = (mode: Mode, access: Access = 'public'): BrowserContext => contexts.get(`${access}:${mode}`)!;

    // The URLs: /dev/courriels/:id needs an email, sent with the button of /dev/courriels.
    const setupPage = await contextFor('js-on', 'admin').newPage();
    const byEntry = await registryUrls(PAGES, setupPage, base, {
      '/dev/courriels': async (page) => {
        await page.getByRole('button', { name: 'Envoyer un courriel de test' }).click();
        await page.waitForSelector('a[href^="/dev/courriels/"]');
      },
    });
    await setupPage.close();
    const empty = [...byEntry].filter(([, urls]) => urls.length === 0).map(([entry]) => entry.path);
    assert.deepEqual(empty, [], `entrées du registre sans aucune URL : ${empty.join(', ')}`);
    // Each URL as the entry's user, and again as each user of `alsoAs` (another state of the page: an empty dashboard).
    const visits = [
      ...new Map(
        [...byEntry].flatMap(([entry, paths]) =>
          paths.flatMap((path) =>
            [entry.access ?? ('public' as const), ...(entry.alsoAs ?? [])].map((access: Access, i) => {
              const label = i === 0 ? path : `${path} [${access}]`;
              return [label, { path, access, label }] as const;
            }),
          ),
        ),
      ).values(),
    ];
    const urls = visits.map((v) => v.label);
    t.diagnostic(`${urls.length} URL : ${urls.join(' ')}`);

    const serverHtml = new Map<string, string>();
    // The Nu checker reads every page's server HTML and the DOM of each state reached by acting (one Java run, at the end).
    const nu = new NuBatch();
    const nuState = async (page: Page, where: string) =>
      nu.add(where, `<!DOCTYPE html>\n${await page.evaluate(() => document.documentElement.outerHTML)}`);
    /** A form sent with errors, without JS: 422, « Erreur : » title, the page checks, axe and both HTML checkers. */
    const errorStateProblems = async (page: Page, response: Response, where: string): Promise<string[]> => {
      const problems: string[] = [];
      if (response.status() !== 422) problems.push(`${where} : HTTP ${response.status()} au lieu de 422`);
      const title = await page.title();
      if (!title.startsWith('Erreur : ')) problems.push(`${where} : titre « ${title} » sans le préfixe « Erreur : »`);
      problems.push(...(await domProblems(page, where)));
      problems.push(...count('axe', (await runAxe(page, where, 'js-off')).violations));
      await nuState(page, where);
      problems.push(...count('html', await htmlErrors(await response.text(), where)));
      return problems;
    };
    let incomplete = 0;
    for (const { path, access, label } of visits) {
      for (const mode of MODES) {
        await t.test(`${label} (${mode})`, { timeout: STEP_TIMEOUT }, async () => {
          const where = `${label} (${mode})`;
          const page = await contextFor(mode, access).newPage();
          try {
            const response = await page.goto(base + path, { waitUntil: 'load' });
            assert.ok(response, `${where} : pas de réponse`);
            const problems: string[] = [];
            if (response.status() !== expectedStatus(path))
              problems.push(`${where} : HTTP ${response.status()} au lieu de ${expectedStatus(path)}`);
            if (mode === 'js-off') {
              serverHtml.set(label, await response.text());
              if (!response.headers()['content-security-policy'])
                problems.push(`${where} : en-tête Content-Security-Policy absent`);
            } else {
              problems.push(
                ...count(
                  'csp',
                  (await cspViolations(page)).map((v) => `${where} : CSP ${v}`),
                ),
              );
            }
            problems.push(...(await domProblems(page, where)));
            const axe = await runAxe(page, where, mode);
            incomplete += axe.incomplete.length;
            if (axe.incomplete.length > 0)
              t.diagnostic(
                `${where} : ${axe.incomplete.length} résultat(s) axe « incomplete » à revoir : ${axe.incomplete.join(', ')}`,
              );
            problems.push(...count('axe', axe.violations));
            // Layout and content once per page, as the server sent it (scripts change neither at load).
            if (mode === 'js-off')
              problems.push(
                ...count('layout', await layoutProblems(page, where)),
                ...count('content', await contentProblems(page, where)),
              );
            fail(problems);
          } finally {
            await page.close();
          }
        });
      }
      await t.test(`${label} (HTML du serveur)`, { timeout: STEP_TIMEOUT }, async () => {
        const html = serverHtml.get(label);
        assert.ok(html, `${label} : HTML du serveur non récupéré`);
        fail(count('html', await htmlErrors(html, label)));
      });
    }

    await t.test(
      '/eligibilite : erreur sans JS (422, titre « Erreur : », axe, HTML)',
      { timeout: STEP_TIMEOUT },
      async () => {
        const page = await contextFor('js-off').newPage();
        try {
          await page.goto(`${base}/eligibilite`);
          await page.fill('#siret', '123');
          const [response] = await Promise.all([
            page.waitForResponse(
              (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/eligibilite',
            ),
            page.getByRole('button', { name: 'Vérifier' }).click(),
          ]);
          await page.waitForSelector('#siret-groupe.fr-input-group--error');
          await page.waitForLoadState('load');
          fail(await errorStateProblems(page, response, '/eligibilite POST siret=123 (js-off)'));
        } finally {
          await page.close();
        }
      },
    );

    await t.test(
      '/eligibilite : validation htmx, région live, focus, puis envoi (js-on)',
      { timeout: STEP_TIMEOUT },
      async () => {
        const page = await contextFor('js-on').newPage();
        try {
          await page.goto(`${base}/eligibilite`);
          const live = page.locator('#statut-formulaire');
          assert.equal(await live.count(), 1, 'la région live #statut-formulaire doit exister au chargement');
          const problems: string[] = [];
          await page.fill('#siret', '123');
          await page.press('#siret', 'Tab');
          await page.waitForSelector('#siret-groupe.fr-input-group--error');
          const where = '/eligibilite après échange htmx, SIRET invalide (js-on)';
          problems.push(...count('axe', (await runAxe(page, where, 'js-on')).violations));
          await nuState(page, where);
          const liveText = (await live.textContent())?.trim() ?? '';
          if (liveText === '') problems.push(`${where} : la région live #statut-formulaire est restée vide`);
          const focused = await page.evaluate(() => document.activeElement?.tagName.toLowerCase() ?? 'aucun');
          if (focused === 'body' || focused === 'aucun')
            problems.push(`${where} : le focus est perdu (${focused}) après l’échange`);

          await page.fill('#siret', '13002526500013');
          await page.press('#siret', 'Tab');
          await page.waitForSelector('#siret-groupe.fr-input-group--valid');
          problems.push(
            ...count(
              'axe',
              (await runAxe(page, '/eligibilite après échange htmx, SIRET valide (js-on)', 'js-on')).violations,
            ),
          );
          await nuState(page, '/eligibilite après échange htmx, SIRET valide (js-on)');

          problems.push(
            ...count(
              'csp',
              (await cspViolations(page)).map((v) => `/eligibilite pendant les échanges htmx (js-on) : CSP ${v}`),
            ),
          );
          await Promise.all([
            page.waitForURL(`${base}/eligibilite/13002526500013`),
            page.getByRole('button', { name: 'Vérifier' }).click(),
          ]);
          problems.push(
            ...count(
              'csp',
              (await cspViolations(page)).map((v) => `/eligibilite/13002526500013 après envoi (js-on) : CSP ${v}`),
            ),
          );
          fail(problems);
        } finally {
          await page.close();
        }
      },
    );

    await t.test(
      '/inscription : recherche du SIRET par htmx, puis sans JS par le bouton (axe après chaque état)',
      { timeout: STEP_TIMEOUT },
      async () => {
        const problems: string[] = [];
        const page = await contextFor('js-on').newPage();
        try {
          await page.goto(`${base}/inscription`);
          await page.fill('#siret', '21920023500014');
          await page.press('#siret', 'Tab');
          await page.waitForSelector('.signup-organisation-card');
          const where = '/inscription après échange htmx (js-on)';
          problems.push(...count('axe', (await runAxe(page, where, 'js-on')).violations));
          await nuState(page, where);
          if (!((await page.locator('#statut-formulaire').textContent()) ?? '').includes('COMMUNE DE CLAMART'))
            problems.push(`${where} : région live non mise à jour`);
          const focused = await page.evaluate(() => document.activeElement?.tagName.toLowerCase() ?? 'aucun');
          if (focused === 'body' || focused === 'aucun') problems.push(`${where} : focus perdu`);
          problems.push(
            ...count(
              'csp',
              (await cspViolations(page)).map((v) => `${where} : CSP ${v}`),
            ),
          );
        } finally {
          await page.close();
        }
        const plain = await contextFor('js-off').newPage();
        try {
          await plain.goto(`${base}/inscription`);
          await plain.fill('#siret', '55203253400703');
          await Promise.all([
            plain.waitForLoadState('load'),
            plain.getByRole('button', { name: 'Rechercher l’organisation' }).click(),
          ]);
          await plain.waitForSelector('.signup-organisation-card');
          problems.push(
            ...count(
              'axe',
              (await runAxe(plain, '/inscription carte d’organisation non éligible (js-off)', 'js-off')).violations,
            ),
          );
          await nuState(plain, '/inscription carte d’organisation non éligible (js-off)');
        } finally {
          await plain.close();
        }
        fail(problems);
      },
    );

    await t.test(
      '/recherche-organisation : recherche en direct (js-on), résultats accessibles',
      { timeout: STEP_TIMEOUT },
      async () => {
        const page = await contextFor('js-on').newPage();
        try {
          await page.goto(`${base}/recherche-organisation`);
          await page.fill('#nom', 'clamart');
          await page.waitForSelector('#resultats li');
          const problems = count(
            'axe',
            (await runAxe(page, '/recherche-organisation après recherche en direct (js-on)', 'js-on')).violations,
          );
          await nuState(page, '/recherche-organisation après recherche en direct (js-on)');
          problems.push(
            ...count(
              'csp',
              (await cspViolations(page)).map((v) => `/recherche-organisation : CSP ${v}`),
            ),
          );
          fail(problems);
        } finally {
          await page.close();
        }
      },
    );

    await t.test(
      '/demandes/1/demarche : enregistrement automatique (js-on), focus gardé, puis « Continuer » sans conflit',
      { timeout: STEP_TIMEOUT },
      async () => {
        const page = await contextFor('js-on', 'user').newPage();
        try {
          await page.goto(`${base}/demandes/1/demarche`);
          await page.fill('#title', 'Démarche enregistrée automatiquement');
          await page.waitForFunction(
            () => /Brouillon enregistré à/.test(document.getElementById('brouillon-etat')?.textContent ?? ''),
            undefined,
            { timeout: 20_000 },
          );
          const where = '/demandes/1/demarche après enregistrement automatique (js-on)';
          const problems: string[] = [];
          const focused = await page.evaluate(() => document.activeElement?.id ?? '');
          if (focused !== 'title') problems.push(`${where} : le focus a quitté le champ (${focused || 'body'})`);
          // announced once the person pauses (a few seconds after the save), not at every save
          await page.waitForFunction(
            () => /Brouillon enregistré/.test(document.getElementById('statut-formulaire')?.textContent ?? ''),
            undefined,
            { timeout: 20_000 },
          );
          problems.push(...count('axe', (await runAxe(page, where, 'js-on')).violations));
          await nuState(page, where);
          problems.push(
            ...count(
              'csp',
              (await cspViolations(page)).map((v) => `${where} : CSP ${v}`),
            ),
          );
          await page.fill('#description', 'Une description');
          await Promise.all([
            page.waitForURL(/\/demandes\/1\/(demarche|donnees)$/),
            page.getByRole('button', { name: 'Enregistrer le brouillon' }).click(),
          ]);
          if (await page.locator('h1', { hasText: 'Conflit' }).count())
            problems.push(`${where} : l’envoi classique après un enregistrement automatique a donné un conflit`);
          fail(problems);
        } finally {
          await page.close();
        }
      },
    );

    // Each decision page sent without what it requires: 422, « Erreur : » title, error summary, axe, HTML (both checkers).
    for (const [path, button] of [
      ['/instruction/demandes/2/refuser', 'Refuser la demande'],
      ['/instruction/demandes/2/modifications', 'Demander les modifications'],
      ['/instruction/demandes/4/revoquer', 'Révoquer l’habilitation'],
    ] as const) {
      await t.test(`${path} : erreur sans motif (js-off)`, { timeout: STEP_TIMEOUT }, async () => {
        const page = await contextFor('js-off', 'instructor').newPage();
        try {
          await page.goto(base + path);
          const [response] = await Promise.all([
            page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === path),
            page.getByRole('button', { name: button, exact: true }).click(),
          ]);
          await page.waitForLoadState('load');
          fail(await errorStateProblems(page, response, `${path} POST sans motif (js-off)`));
        } finally {
          await page.close();
        }
      });
    }

    await t.test('lien d’évitement : Tab puis Entrée mène dans main (js-off)', { timeout: STEP_TIMEOUT }, async () => {
      const page = await contextFor('js-off').newPage();
      try {
        await page.goto(`${base}/`);
        await page.keyboard.press('Tab');
        const first = await page.evaluate(() => ({
          tag: document.activeElement?.tagName.toLowerCase(),
          href: document.activeElement?.getAttribute('href'),
        }));
        assert.deepEqual(
          first,
          { tag: 'a', href: '#contenu' },
          'la première tabulation doit atteindre le lien « Contenu » (#contenu)',
        );
        await page.keyboard.press('Enter');
        const inMain = await page.evaluate(
          () =>
            document.activeElement?.closest('main') !== null && document.activeElement?.closest('main') !== undefined,
        );
        assert.ok(inMain, 'après Entrée sur le lien d’évitement, le focus doit être dans <main>');
      } finally {
        await page.close();
      }
    });

    for (const [path, html] of serverHtml) nu.add(`${path} (HTML du serveur)`, html);
    const nuSkip = !javaAvailable() && !process.env.CI ? MISSING_JAVA : false;
    await t.test(
      `vérificateur Nu (W3C) : ${nu.size} documents (HTML du serveur de chaque page, DOM de chaque état)`,
      { skip: nuSkip, timeout: 300_000 },
      async () => {
        assert.ok(javaAvailable(), MISSING_JAVA);
        fail(count('nu', await nu.check()));
      },
    );

    const file = writeSummary({
      pagesCrawled: urls.length,
      urls,
      modes: MODES,
      axeViolations: totals.axe,
      htmlErrors: totals.html,
      nuErrors: totals.nu,
      nuDocuments: nuSkip ? 0 : nu.size,
      cspViolations: totals.csp,
      layoutProblems: totals.layout,
      contentProblems: totals.content,
      date: new Date().toISOString(),
    });
    t.diagnostic(
      `${urls.length} URL × ${MODES.length} modes en ${((Date.now() - started) / 1000).toFixed(1)} s ; ${incomplete} résultats axe incomplete ; résumé : ${file}`,
    );
  },
);
