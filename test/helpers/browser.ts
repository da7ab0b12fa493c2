/**
 * Pieces of the browser suite (test/browser/crawl.test.ts): Chromium, the URLs of the page registry, axe, the DOM
 * checks of the accessibility checklist, CSP violations and html-validate.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { HtmlValidate, StaticConfigLoader, type ConfigData } from 'html-validate';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { PageEntry } from '../../src/routes/registry.ts';

const root = path.resolve(import.meta.dirname, '../..');

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const MISSING_CHROMIUM = 'TESTS NAVIGATEUR IGNORÉS : Chromium absent, installez-le avec apt-get install -y chromium';
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'RGAAv4'];
export const MODES = ['js-off', 'js-on'] as const;
export type Mode = (typeof MODES)[number];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Matches the concrete paths of a registry route (`/dev/courriels/:id` → `/dev/courriels/<anything but />`). */
export function routePattern(routePath: string): RegExp {
  const escaped = routePath.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${escaped.join('/')}$`);
}

/**
 * The concrete paths of each registry entry: its own path, its `examples`, or the links of its `examplesFrom` page
 * that match its pattern (`prepare` runs first on that page, e.g. to create an email).
 */
export async function registryUrls(
  entries: readonly PageEntry[],
  page: Page,
  baseUrl: string,
  prepare: Record<string, (page: Page) => Promise<void>> = {},
): Promise<Map<PageEntry, string[]>> {
  const result = new Map<PageEntry, string[]>();
  for (const entry of entries) {
    if (entry.examplesFrom) {
      await page.goto(baseUrl + entry.examplesFrom);
      await prepare[entry.examplesFrom]?.(page);
      const hrefs = await page.$$eval('a[href]', (links) => links.map((a) => (a as HTMLAnchorElement).href));
      const pattern = routePattern(entry.path);
      const paths = hrefs.map((href) => new URL(href)).filter((u) => u.origin === new URL(baseUrl).origin).map((u) => u.pathname);
      result.set(entry, [...new Set(paths.filter((p) => pattern.test(p)))]);
    } else if (entry.examples) {
      result.set(entry, [...entry.examples]);
    } else {
      result.set(entry, entry.path.includes(':') ? [] : [entry.path]);
    }
  }
  return result;
}

/** Listens to CSP violations from the very start of each document (JS-enabled contexts only). */
export const CSP_LISTENER = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' bloque ' + (e.blockedURI || 'inline') + ' (' + e.sourceFile + ':' + e.lineNumber + ')');
  });
`;

export async function cspViolations(page: Page): Promise<string[]> {
  // The event is queued as a task: let pending tasks run before reading.
  return page.evaluate(() => new Promise<string[]>((resolve) => setTimeout(() => resolve((window as unknown as { __cspViolations?: string[] }).__cspViolations ?? ['écouteur CSP absent']), 50)));
}

/** axe with the RGAA + WCAG 2.1 AA tags: one line per violation, and the number of `incomplete` results. */
export async function runAxe(page: Page, where: string): Promise<{ violations: string[]; incomplete: number }> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const violations = results.violations.map(
    (v) => `${where} : axe ${v.id} [${v.impact ?? '?'}] ${v.help} – ${v.nodes.map((n) => n.target.join(' ')).join(' | ')} (${v.helpUrl})`,
  );
  return { violations, incomplete: results.incomplete.length };
}

/** A-3 (`<html lang="fr">`), A-4 (a real title), A-5 (one h1), A-6 (one `main#contenu`). */
export async function domProblems(page: Page, where: string): Promise<string[]> {
  const dom = await page.evaluate(() => ({
    lang: document.documentElement.getAttribute('lang'),
    h1: document.querySelectorAll('h1').length,
    main: document.querySelectorAll('main').length,
    mainContenu: document.querySelectorAll('main#contenu').length,
    title: document.title.trim(),
  }));
  const problems: string[] = [];
  if (dom.lang !== 'fr') problems.push(`${where} : <html lang="${dom.lang ?? ''}"> au lieu de lang="fr" (A-3)`);
  if (dom.h1 !== 1) problems.push(`${where} : ${dom.h1} h1 au lieu d’un seul (A-5)`);
  if (dom.main !== 1 || dom.mainContenu !== 1) problems.push(`${where} : ${dom.main} <main>, ${dom.mainContenu} main#contenu au lieu d’un seul (A-6)`);
  if (dom.title === '' || dom.title === 'SignUp') problems.push(`${where} : titre « ${dom.title} » vide ou réduit au nom du service (A-4)`);
  return problems;
}

/** `.htmlvalidate.json` at the repository root, without the `_why` keys that explain each exception. */
function htmlValidateConfig(): ConfigData {
  const file = path.join(root, '.htmlvalidate.json');
  const data = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : { extends: ['html-validate:recommended'] };
  return Object.fromEntries(Object.entries(data).filter(([key]) => !key.startsWith('_'))) as ConfigData;
}

const htmlValidate = new HtmlValidate(new StaticConfigLoader(htmlValidateConfig()));

/** html-validate (recommended preset) on the HTML sent by the server: one line per error. */
export async function htmlErrors(html: string, where: string): Promise<string[]> {
  const report = await htmlValidate.validateString(html, `${where}.html`);
  return report.results.flatMap((r) =>
    r.messages.filter((m) => m.severity === 2).map((m) => `${where} : ligne ${m.line}:${m.column} html-validate ${m.ruleId} – ${m.message} (${m.selector ?? ''})`),
  );
}

export type Summary = { pagesCrawled: number; urls: string[]; modes: readonly Mode[]; axeViolations: number; htmlErrors: number; cspViolations: number; date: string };

export function writeSummary(summary: Summary): string {
  const dir = path.join(root, 'test-results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'browser-summary.json');
  writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  return file;
}
