/**
 * Checks of the browser journey (journey.test.ts): one page state through axe, the DOM checks of the page structure,
 * html-validate and CSP; the error states (title, error summary, focus); and form submissions that wait for the
 * server's answer. Counts what it finds, for test-results/browser-summary.json.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HtmlValidate, StaticConfigLoader, type ConfigData } from 'html-validate';
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Locator, Page, Response } from 'playwright-core';
import {
  cspViolations,
  domProblems,
  htmlErrors,
  runAxe,
  type Counts,
  type Mode,
  type SummaryPart,
  writeSummaryPart,
} from '../helpers/browser.ts';
import { javaAvailable, MISSING_JAVA, NuBatch } from '../helpers/nu-checker.ts';
import { contentProblems, DESKTOP, layoutProblems, MOBILE } from '../helpers/page-checks.ts';

/**
 * html-validate for the DOM once filled in (and changed by htmx): the project's rules, except the two that only see
 * how the browser serialises attributes (`defer=""`, `checked=""`), never what the server sent.
 */
const projectConfig = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../../.htmlvalidate.json'), 'utf8'),
) as ConfigData;
const domValidator = new HtmlValidate(
  new StaticConfigLoader({
    ...projectConfig,
    rules: { ...projectConfig.rules, 'attribute-boolean-style': 'off', 'attribute-empty-style': 'off' },
  }),
);

async function domHtmlErrors(html: string, where: string): Promise<string[]> {
  const report = await domValidator.validateString(html, `${where}.html`);
  return report.results.flatMap((r) =>
    r.messages
      .filter((m) => m.severity === 2)
      .map(
        (m) =>
          `${where} : DOM ligne ${m.line}:${m.column} html-validate ${m.ruleId} – ${m.message} (${m.selector ?? ''})`,
      ),
  );
}

/** The markup checked for a state: what the server sent, or the DOM as the person left it. */
export type Markup = { server: string } | { dom: string };

/** `nu`: the states' markup, checked by the Nu HTML checker in one run at the end of the file (`nuProblems`). */
export type Totals = Counts & { statesChecked: number; nu: NuBatch };

export function emptyTotals(): Totals {
  return {
    statesChecked: 0,
    axeViolations: 0,
    htmlErrors: 0,
    nuErrors: 0,
    nuDocuments: 0,
    cspViolations: 0,
    layoutProblems: 0,
    contentProblems: 0,
    nu: new NuBatch(),
  };
}

/**
 * One state of a page: axe (RGAA + WCAG 2.1 AA), one h1, lang, title, main; html-validate on `html` (the server's
 * HTML, or the DOM once filled in), which also goes to the Nu checker's batch; CSP violations with JavaScript; no
 * horizontal scroll at 1280 and 320 px (with text spacing too); French typography, dates in words, no message said
 * twice. Returns the problems, counted in `totals`. `axeAt320`: axe again at 320 px.
 */
export async function checkState(
  page: Page,
  mode: Mode,
  where: string,
  html: Markup,
  totals: Totals,
  options: { axeAt320?: boolean } = {},
): Promise<string[]> {
  totals.statesChecked += 1;
  const dom = await domProblems(page, where);
  // Without JavaScript, axe replaces the page's MutationObserver: Playwright must have set up its own script before.
  if (mode === 'js-off') await page.locator('body').evaluate(() => undefined);
  const axe = (await runAxe(page, where, mode)).violations;
  if (options.axeAt320) {
    await page.setViewportSize(MOBILE);
    try {
      axe.push(...(await runAxe(page, `${where} à 320 px`, mode)).violations);
    } finally {
      await page.setViewportSize(DESKTOP);
    }
  }
  const markup = 'server' in html ? await htmlErrors(html.server, where) : await domHtmlErrors(html.dom, where);
  totals.nu.add(where, 'server' in html ? html.server : html.dom);
  const csp = mode === 'js-on' ? (await cspViolations(page)).map((v) => `${where} : CSP ${v}`) : [];
  const layout = await layoutProblems(page, where);
  const content = await contentProblems(page, where);
  totals.axeViolations += axe.length;
  totals.htmlErrors += markup.length;
  totals.cspViolations += csp.length;
  totals.layoutProblems += layout.length;
  totals.contentProblems += content.length;
  return [...dom, ...axe, ...markup, ...csp, ...layout, ...content];
}

/** The Nu HTML checker on every state added so far (one Java run), counted in `totals`; the batch is then emptied. */
export async function nuProblems(totals: Totals): Promise<{ checked: number; errors: string[] }> {
  const checked = totals.nu.size;
  const errors = await totals.nu.check();
  totals.nuErrors += errors.length;
  totals.nuDocuments += checked;
  totals.nu = new NuBatch();
  return { checked, errors };
}

/** What a browser file adds to test-results/browser-summary.json. */
export function summaryPart(totals: Totals): SummaryPart {
  const { nu: _nu, ...counts } = totals;
  return { ...counts, date: new Date().toISOString() };
}

/**
 * The end of a browser file: the Nu HTML checker on every state it checked (a subtest that fails on any error; without
 * Java it is skipped saying so, and fails in CI), then its counts in test-results/browser-summary.json.
 */
export async function finishPart(t: TestContext, name: string, totals: Totals, started: number): Promise<void> {
  const skip = !javaAvailable() && !process.env.CI ? MISSING_JAVA : false;
  await t.test(`vérificateur Nu (W3C) : ${totals.nu.size} états de page`, { skip, timeout: 300_000 }, async () => {
    assert.ok(javaAvailable(), MISSING_JAVA);
    const { errors } = await nuProblems(totals);
    if (errors.length) assert.fail(`${errors.length} erreur(s) du vérificateur Nu :\n  - ${errors.join('\n  - ')}`);
  });
  const file = writeSummaryPart(name, summaryPart(totals));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  t.diagnostic(
    `${totals.statesChecked} états de page vérifiés en ${seconds} s : ${totals.axeViolations} violation(s) axe, ${totals.htmlErrors} erreur(s) html-validate, ${totals.nuErrors} erreur(s) Nu sur ${totals.nuDocuments} documents, ${totals.cspViolations} violation(s) CSP, ${totals.layoutProblems} défilement(s) horizontal(aux), ${totals.contentProblems} problème(s) de contenu ; résumé : ${file}`,
  );
}

/** The DOM as it is now: the server's markup as scripts changed it (typed values are properties, not attributes). */
export async function currentDom(page: Page): Promise<Markup> {
  return { dom: `<!DOCTYPE html>\n${await page.evaluate(() => document.documentElement.outerHTML)}` };
}

/**
 * An error page (422 or 409): « Erreur : » title, an error summary whose links all point to elements of the page,
 * focus on the summary at load with JavaScript, and the first link moving focus to its field.
 * Returns the problems and the ids the summary links to.
 */
export async function errorSummaryProblems(
  page: Page,
  mode: Mode,
  where: string,
): Promise<{ problems: string[]; targets: string[] }> {
  const problems: string[] = [];
  const title = await page.title();
  if (!title.startsWith('Erreur : ')) problems.push(`${where} : titre « ${title} » sans le préfixe « Erreur : »`);
  const summary = page.locator('#resume-erreurs');
  if ((await summary.count()) !== 1)
    return { problems: [...problems, `${where} : pas de récapitulatif des erreurs #resume-erreurs`], targets: [] };
  const hrefs = await summary.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  if (hrefs.length === 0) problems.push(`${where} : récapitulatif des erreurs sans lien`);
  const targets = hrefs.map((href) => href.replace(/^#/, ''));
  for (const [index, href] of hrefs.entries()) {
    const exists =
      href.startsWith('#') && (await page.evaluate((id) => document.getElementById(id) !== null, targets[index]!));
    if (!exists) problems.push(`${where} : le lien « ${href} » du récapitulatif ne mène à aucun élément de la page`);
  }
  if (mode === 'js-on' && (await focusedId(page)) !== 'resume-erreurs')
    problems.push(`${where} : le focus n’est pas sur le récapitulatif des erreurs au chargement`);
  if (targets[0]) {
    await summary.locator('a').first().click();
    const inField = await page.evaluate((id) => {
      const target = document.getElementById(id);
      return (
        target !== null &&
        document.activeElement !== null &&
        document.activeElement !== document.body &&
        target.contains(document.activeElement)
      );
    }, targets[0]);
    if (!inField)
      problems.push(
        `${where} : le premier lien du récapitulatif (#${targets[0]}) n’amène pas le focus sur le champ (focus sur ${(await focusedId(page)) || 'body'})`,
      );
  }
  return { problems, targets };
}

export async function focusedId(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.id ?? '');
}

export type Navigation = { posted: number; status: number; html: string; path: string };

/**
 * Clicks a link or a submit button (or does `act` on `target`, e.g. Enter in a field) and waits for the page it leads
 * to: the status of the first answer (the POST's 303, 422, 409…), then the status and the HTML the server sent for
 * the page finally shown.
 */
export async function clickAndWait(
  page: Page,
  target: Locator,
  act: (target: Locator) => Promise<void> = (t) => t.click(),
): Promise<Navigation> {
  const isDocument = (r: Response) => r.request().isNavigationRequest() && r.frame() === page.mainFrame();
  const first = page.waitForResponse(isDocument);
  const shown = page.waitForResponse((r) => isDocument(r) && (r.status() < 300 || r.status() >= 400));
  const committed = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame()); // the new document, not the old one
  await act(target);
  const [answer, final] = await Promise.all([first, shown, committed]);
  await page.waitForLoadState('load');
  return {
    posted: answer.status(),
    status: final.status(),
    html: await final.text(),
    path: new URL(page.url()).pathname,
  };
}

/** Loads a page, and returns its status and the HTML the server sent. */
export async function open(page: Page, url: string): Promise<{ status: number; html: string }> {
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response) throw new Error(`${url} : pas de réponse`);
  return { status: response.status(), html: await response.text() };
}

/**
 * With JavaScript, leaves the last field (Tab) and waits for the autosave that follows, so that no autosave is still
 * pending when a button is pressed. Returns its status (200 saved, 422 refused). Without JavaScript: nothing.
 */
export async function settleAutosave(page: Page, mode: Mode): Promise<number | undefined> {
  if (mode === 'js-off') return undefined;
  const autosave = page.waitForResponse(
    (r) => r.request().method() === 'POST' && r.request().headers()['hx-request'] === 'true',
    { timeout: 15_000 },
  );
  await page.keyboard.press('Tab');
  return (await autosave).status();
}

/**
 * Ticks (or unticks) a checkbox or radio found by its accessible name, by clicking its label as a person does: the
 * DSFR draws the box on the label, over the real input.
 */
export async function tick(
  page: Page,
  role: 'checkbox' | 'radio',
  name: RegExp | string,
  checked = true,
): Promise<void> {
  const input = page.getByRole(role, { name });
  if ((await input.isChecked()) === checked) return;
  await page.locator(`label[for="${await input.getAttribute('id')}"]`).click();
  if ((await input.isChecked()) !== checked)
    throw new Error(
      `${role} « ${String(name)} » : le clic sur l’étiquette n’a pas ${checked ? 'coché' : 'décoché'} la case`,
    );
}

/**
 * Runs the parts of one journey in order as subtests: a broken flow (an unexpected status, a missing page) skips
 * what follows, while accessibility problems fail their own part only.
 */
export function sequence(t: TestContext, timeout = 90_000) {
  let broken = false;
  return (name: string, fn: (problems: string[]) => Promise<void>) =>
    t.test(name, { skip: broken ? 'étape précédente en échec' : false, timeout }, async () => {
      const problems: string[] = [];
      try {
        await fn(problems);
      } catch (error) {
        broken = true;
        throw error;
      }
      if (problems.length) assert.fail(`${problems.length} problème(s) :\n  - ${problems.join('\n  - ')}`);
    });
}
