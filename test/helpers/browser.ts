/**
 * Pieces of the browser suite (test/browser/crawl.test.ts): Chromium, the URLs of the page registry, axe, the DOM
 * checks of the page structure (language, one h1, one main), CSP violations and html-validate.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { HtmlValidate, StaticConfigLoader, type ConfigData } from 'html-validate';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { PageEntry } from '../../src/pages/registry.ts';

const root = path.resolve(import.meta.dirname, '../..');

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const MISSING_CHROMIUM =
  'TESTS NAVIGATEUR IGNORÉS : Chromium absent, installez-le avec apt-get install -y chromium';
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'RGAAv4'];
export const MODES = ['js-off', 'js-on'] as const;
export type Mode = (typeof MODES)[number];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Matches the concrete paths of a registry route (`/dev/courriels/:id` → `/dev/courriels/<anything but />`). */
export function routePattern(routePath: string): RegExp {
  const escaped = routePath
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
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
      const paths = hrefs
        .map((href) => new URL(href))
        .filter((u) => u.origin === new URL(baseUrl).origin)
        .map((u) => u.pathname);
      result.set(entry, [...new Set(paths.filter((p) => pattern.test(p)))]);
    } else if (entry.examples) {
      result.set(entry, [...entry.examples, ...(entry.refusedExamples ?? []), ...(entry.conflictExamples ?? [])]);
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
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve) =>
        setTimeout(
          () =>
            resolve((window as unknown as { __cspViolations?: string[] }).__cspViolations ?? ['écouteur CSP absent']),
          50,
        ),
      ),
  );
}

/**
 * With JavaScript disabled, Chromium still runs code evaluated by Playwright and promise reactions, but never fires
 * timers, `queueMicrotask` or observer callbacks, so axe would wait forever. The page's own scripts never ran: give
 * axe timers made of promise reactions (long ones, only axe's failure timeouts, never fire) and no MutationObserver.
 * A string, not a function: tsx adds `__name()` calls to named functions, which do not exist in the page.
 */
const TIMERS_WITHOUT_SCRIPTING = `(() => {
  let next = 1;
  const pending = new Set();
  const later = (fn) => void Promise.resolve().then(fn);
  window.setTimeout = (fn, delay = 0, ...args) => {
    const id = next++;
    if (delay > 100) return id;
    pending.add(id);
    later(() => { if (pending.delete(id)) fn(...args); });
    return id;
  };
  window.clearTimeout = (id) => void pending.delete(id);
  window.queueMicrotask = (fn) => later(fn);
  window.MutationObserver = undefined;
  window.WebKitMutationObserver = undefined;
})()`;

/**
 * axe with the RGAA + WCAG 2.1 AA tags: one line per violation, and the `incomplete` results (rule, node count). Without
 * JavaScript, legacy mode runs axe in the page itself (the default mode finishes in a new page, where it would hang).
 */
export async function runAxe(
  page: Page,
  where: string,
  mode: Mode,
): Promise<{ violations: string[]; incomplete: string[] }> {
  const builder = new AxeBuilder({ page }).withTags(AXE_TAGS);
  if (mode === 'js-off') {
    await page.evaluate(TIMERS_WITHOUT_SCRIPTING);
    builder.setLegacyMode(true);
  }
  const results = await builder.analyze();
  const violations = results.violations.map(
    (v) =>
      `${where} : axe ${v.id} [${v.impact ?? '?'}] ${v.help} – ${v.nodes.map((n) => n.target.join(' ')).join(' | ')} (${v.helpUrl})`,
  );
  return { violations, incomplete: results.incomplete.map((r) => `${r.id} (${r.nodes.length})`) };
}

/** `<html lang="fr">`, a real title, one h1, one `main#contenu`. */
export async function domProblems(page: Page, where: string): Promise<string[]> {
  const dom = await page.evaluate(() => ({
    lang: document.documentElement.getAttribute('lang'),
    h1: document.querySelectorAll('h1').length,
    main: document.querySelectorAll('main').length,
    mainContenu: document.querySelectorAll('main#contenu').length,
    title: document.title.trim(),
  }));
  const problems: string[] = [];
  if (dom.lang !== 'fr') problems.push(`${where} : <html lang="${dom.lang ?? ''}"> au lieu de lang="fr"`);
  if (dom.h1 !== 1) problems.push(`${where} : ${dom.h1} h1 au lieu d’un seul`);
  if (dom.main !== 1 || dom.mainContenu !== 1)
    problems.push(`${where} : ${dom.main} <main>, ${dom.mainContenu} main#contenu au lieu d’un seul`);
  if (dom.title === '' || dom.title === 'SignUp')
    problems.push(`${where} : titre « ${dom.title} » vide ou réduit au nom du service`);
  return problems;
}

/**
 * Why each rule of `.htmlvalidate.json` departs from the recommended preset (JSON has no comments and html-validate
 * rejects unknown keys such as `_why`). A rule changed there without a reason here makes the suite fail.
 */
export const HTML_RULE_EXCEPTIONS: Record<string, string> = {
  'no-trailing-whitespace':
    'style du code source, sans effet sur le document : les balises {% %} de Nunjucks laissent des espaces en fin de ligne',
  'form-dup-name':
    'les cases à cocher d’un même groupe partagent leur name (HTML standard, fr-checkbox-group du DSFR, tableau pour express.urlencoded) ; la règle reste active pour les autres champs',
  'long-title':
    'le modèle de titre des pages (« Page – Étape n sur N : Nom – Démarche – SignUp ») dépasse souvent 70 caractères ; RGAA 8.6 demande un titre pertinent, pas court ; 140 reste un garde-fou (le DOM sérialisé écrit chaque espace insécable « &nbsp; »)',
};

function htmlValidateConfig(): ConfigData {
  const config = JSON.parse(readFileSync(path.join(root, '.htmlvalidate.json'), 'utf8')) as ConfigData;
  const unexplained = Object.keys(config.rules ?? {}).filter((rule) => !(rule in HTML_RULE_EXCEPTIONS));
  if (unexplained.length > 0)
    throw new Error(
      `.htmlvalidate.json : règles modifiées sans justification dans HTML_RULE_EXCEPTIONS : ${unexplained.join(', ')}`,
    );
  return config;
}

const htmlValidate = new HtmlValidate(new StaticConfigLoader(htmlValidateConfig()));

/** html-validate (recommended preset) on the HTML sent by the server: one line per error. */
export async function htmlErrors(html: string, where: string): Promise<string[]> {
  const report = await htmlValidate.validateString(html, `${where}.html`);
  return report.results.flatMap((r) =>
    r.messages
      .filter((m) => m.severity === 2)
      .map(
        (m) => `${where} : ligne ${m.line}:${m.column} html-validate ${m.ruleId} – ${m.message} (${m.selector ?? ''})`,
      ),
  );
}

/** The problems found, by kind; `nuDocuments`: how many documents the Nu HTML checker read. */
export type Counts = {
  axeViolations: number;
  htmlErrors: number;
  nuErrors: number;
  nuDocuments: number;
  cspViolations: number;
  layoutProblems: number;
  contentProblems: number;
};
export const COUNT_KINDS = [
  'axeViolations',
  'htmlErrors',
  'nuErrors',
  'nuDocuments',
  'cspViolations',
  'layoutProblems',
  'contentProblems',
] as const;

export type Summary = Counts & {
  pagesCrawled: number;
  urls: string[];
  modes: readonly Mode[];
  date: string;
  /** The other browser files of the same run (journey…), whose counts are included in the totals above. */
  parts?: Record<string, SummaryPart>;
};
/** What a browser file other than the crawl adds to the summary: the page states it checked and what it found. */
export type SummaryPart = Counts & { statesChecked: number; date: string };

const resultsDir = path.join(root, 'test-results');
const summaryFile = path.join(resultsDir, 'browser-summary.json');
const partsDir = path.join(resultsDir, 'browser-parts');
/** Browser files run in parallel processes of one `npm test` run, which names its template database after itself. */
const runId = process.env.TEST_PG_TEMPLATE ?? `pid-${process.pid}`;

/** Removes the summary of a previous run, so that a skipped or aborted crawl never leaves one behind. */
export function removeSummary(): void {
  rmSync(summaryFile, { force: true });
}

function writeJson(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temporary, file); // atomic: a parallel reader never sees half a file
}

/** Runs `fn` holding a lock directory (atomic mkdir), so that two files finishing together merge one after the other. */
function withLock(fn: () => void): void {
  const lock = path.join(resultsDir, 'browser-summary.lock');
  mkdirSync(resultsDir, { recursive: true });
  for (let attempt = 0; ; attempt += 1) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (attempt >= 250) break; // 5 s: a lock left by a killed run is stale
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The crawl's summary with the parts of the same run added in; nothing while the crawl has not written its own. */
function mergeSummary(): void {
  withLock(() => {
    const read = (name: string) =>
      JSON.parse(readFileSync(path.join(partsDir, name), 'utf8')) as {
        run: string;
        summary?: Summary;
        part?: SummaryPart;
      };
    const files = readdirSync(partsDir).filter((name) => name.endsWith('.json'));
    const crawl = files.includes('crawl.json') ? read('crawl.json') : undefined;
    if (!crawl?.summary || crawl.run !== runId) return;
    const summary: Summary = { ...crawl.summary, parts: {} };
    for (const name of files.filter((n) => n !== 'crawl.json')) {
      const { run, part } = read(name);
      if (run !== runId || !part) continue;
      summary.parts![name.replace(/\.json$/, '')] = part;
      for (const kind of COUNT_KINDS) summary[kind] += part[kind] ?? 0;
    }
    writeJson(summaryFile, summary);
  });
}

/** The crawl's summary (test-results/browser-summary.json, checked by .ci/run), with the other files' counts added. */
export function writeSummary(summary: Summary): string {
  writeJson(path.join(partsDir, 'crawl.json'), { run: runId, summary });
  mergeSummary();
  return summaryFile;
}

/** Another browser file's counts, added to the crawl's summary whichever of the two finishes first. */
export function writeSummaryPart(name: string, part: SummaryPart): string {
  writeJson(path.join(partsDir, `${name}.json`), { run: runId, part });
  mergeSummary();
  return summaryFile;
}
