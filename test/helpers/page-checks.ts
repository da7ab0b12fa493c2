/**
 * Checks of a page as shown, beyond axe and the validators: the layout at 1280 and 320 px (no horizontal page scroll,
 * also with the WCAG 1.4.12 text spacing), and content a person reads (French typography, dates in words, no error
 * message said twice). Each returns one line per problem; an empty list means the page passed.
 */
import type { Page } from 'playwright-core';
import { typographyProblems } from '../../src/domain/typography.ts';
import { buildDsfrCss } from '../../src/middleware/assets.ts';
import { purgeDsfr } from '../../src/rendering/dsfr-subset.ts';

/** Playwright's default viewport: the contexts of the suite open at this size. */
export const DESKTOP = { width: 1280, height: 720 };
export const MOBILE = { width: 320, height: 640 };

/** WCAG 1.4.12 (RGAA 10.12): line height 1.5, paragraph spacing 2 × the font size, letter 0.12, word 0.16. */
const TEXT_SPACING =
  '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }';

/**
 * How far the page scrolls sideways, and the elements that stick out (outside scroll containers of their own, such
 * as wide tables). A string, not a function: tsx adds `__name()` calls to named functions, which the page lacks.
 */
const OVERFLOW = `(() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const scrolls = (el) => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; } return false; };
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.classList.length ? '.' + [...el.classList].slice(0, 2).join('.') : '');
  const wide = [...document.body.querySelectorAll('*')].filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > width + 1 && !scrolls(el); });
  const leaves = wide.filter((el) => !wide.some((other) => other !== el && el.contains(other)));
  return { overflow: root.scrollWidth - width, culprits: leaves.slice(0, 3).map((el) => describe(el) + ' (' + Math.round(el.getBoundingClientRect().right - width) + ' px) « ' + (el.textContent || '').trim().slice(0, 40) + ' »') };
})()`;

const ADD_TEXT_SPACING = `(() => { const sheet = new CSSStyleSheet(); sheet.replaceSync(${JSON.stringify(TEXT_SPACING)}); document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; window.__textSpacing = sheet; })()`;
const REMOVE_TEXT_SPACING =
  '(() => { document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== window.__textSpacing); })()';

async function overflowAt(page: Page, where: string, label: string): Promise<string[]> {
  const { overflow, culprits } = (await page.evaluate(OVERFLOW)) as { overflow: number; culprits: string[] };
  return overflow > 1
    ? [`${where} : défilement horizontal de ${overflow} px ${label} – ${culprits.join(' ; ') || 'élément non trouvé'}`]
    : [];
}

/** A pseudo-class or pseudo-element, with its argument (two levels of parentheses): `:hover`, `::before`, `:not([x])`. */
const PSEUDO = /::?[a-z-]+(?:\((?:[^()]|\([^()]*\))*\))?/gi;

let removedRules: Promise<string[]> | undefined;
/**
 * The DSFR selectors the subset left out, as they could match an element of a page at rest: without their pseudo-
 * classes and pseudo-elements (a `:hover` or `::before` rule applies to the element its base selects).
 */
function removedSelectors(): Promise<string[]> {
  removedRules ??= purgeDsfr(buildDsfrCss()).then(({ removed }) => [
    ...new Set(removed.map((selector) => selector.replace(PSEUDO, '').trim()).filter(Boolean)),
  ]);
  return removedRules;
}

/** The page uses no DSFR rule that the subset removed: every element keeps the look the full DSFR would give it. */
export async function removedRuleProblems(page: Page, where: string): Promise<string[]> {
  const selectors = await removedSelectors();
  const matched = (await page.evaluate(`(${JSON.stringify(selectors)}).filter((s) => {
    try { return document.querySelector(s) !== null; } catch { return false; }
  })`)) as string[];
  return matched.map(
    (selector) =>
      `${where} : la règle DSFR « ${selector} » a été retirée du sous-ensemble servi, mais un élément de la page la vérifie`,
  );
}

/**
 * The page's look: no rule of the DSFR that the served subset removed applies to it; no horizontal page scroll at
 * 1280 px, at 320 px (RGAA 10.11, WCAG 1.4.10), and at 320 px with the WCAG text spacing (constructed style sheet: the
 * strict CSP allows it, as it would a reader's own style sheet). Leaves the page at 1280.
 */
export async function layoutProblems(page: Page, where: string): Promise<string[]> {
  const problems: string[] = await removedRuleProblems(page, where);
  try {
    if (page.viewportSize()?.width !== DESKTOP.width) await page.setViewportSize(DESKTOP);
    problems.push(...(await overflowAt(page, where, 'à 1280 px')));
    await page.setViewportSize(MOBILE);
    problems.push(...(await overflowAt(page, where, 'à 320 px')));
    await page.evaluate(ADD_TEXT_SPACING);
    problems.push(...(await overflowAt(page, where, 'à 320 px avec l’espacement du texte WCAG 1.4.12')));
    await page.evaluate(REMOVE_TEXT_SPACING);
  } finally {
    await page.setViewportSize(DESKTOP);
  }
  return problems;
}

const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/g;

/**
 * What a person reads: the title and the visible text (form values excepted). No ordinary space before « : ; ? ! »
 * nor inside « », no ISO date (« 1er mars 2027 », « 01/03/2027 »), no error message twice among the fields' messages
 * nor twice in the error summary, and no heading before the h1 (an error summary or a stepper comes after it).
 */
export async function contentProblems(page: Page, where: string): Promise<string[]> {
  const seen = (await page.evaluate(`(() => ({
    text: document.title + '\\n' + document.body.innerText,
    messages: [...document.querySelectorAll('.fr-message--error')].map((m) => m.textContent.trim()).filter(Boolean),
    summary: [...document.querySelectorAll('#resume-erreurs li')].map((li) => li.textContent.trim()),
    firstHeading: document.querySelector('h1, h2, h3, h4, h5, h6')?.tagName ?? '',
  }))()`)) as { text: string; messages: string[]; summary: string[]; firstHeading: string };
  const problems =
    seen.firstHeading === 'H1'
      ? []
      : [`${where} : le premier titre de la page est un ${seen.firstHeading || 'titre absent'}, pas le h1`];
  problems.push(
    ...typographyProblems(seen.text).map(
      (context) =>
        `${where} : espace ordinaire là où la typographie française veut une espace insécable – « ${context} »`,
    ),
  );
  for (const date of new Set(seen.text.match(ISO_DATE) ?? []))
    problems.push(`${where} : date au format ISO dans le texte (${date}) : écrire « 1er mars 2027 » ou « 01/03/2027 »`);
  const twice = (list: string[]) => [...new Set(list.filter((item, index) => list.indexOf(item) !== index))];
  for (const message of twice(seen.messages))
    problems.push(`${where} : le même message d’erreur pour plusieurs champs – « ${message} »`);
  for (const message of twice(seen.summary))
    problems.push(`${where} : le même message deux fois dans le récapitulatif des erreurs – « ${message} »`);
  return problems;
}
