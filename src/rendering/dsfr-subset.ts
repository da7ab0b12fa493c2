/**
 * The DSFR rules our pages can use, and nothing else. The components we take (`DSFR_PARTS` in middleware/assets.ts)
 * weigh 482 KB of CSS, 58 KB gzipped, which an old phone must download and parse before the first page shows; most
 * of their rules style classes, attributes or elements that no template of ours writes (the dark theme, slider
 * input, the variants of components we don't use). PurgeCSS keeps a rule only when every class, id, attribute and
 * element it names appears in our templates, our TypeScript or our browser script.
 *
 * The subset is made when the service starts, from the files themselves, so that a template that starts using a
 * class gets its rules on the next start. It is cached on disk under the hash of everything it depends on (the DSFR
 * CSS and our files), which makes it free for every start but the first after a change. PurgeCSS is asynchronous and
 * the start-up is not, so a cache miss runs it in a child process (`dsfr-subset-cli.ts`).
 *
 * A class that a template builds from a variable (`fr-alert--{{ type }}`) or that our script adds
 * (`'fr-' + kind + '--error'`) is not written whole in any file: `DYNAMIC_CLASSES` keeps those families. The browser
 * suite checks, on every page state it visits, that no element matches a rule the subset removed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PurgeCSS } from 'purgecss';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CACHE_DIR = path.join(ROOT, 'node_modules/.cache/signup');
const CLI = path.join(import.meta.dirname, 'dsfr-subset-cli.ts');

/** Where the classes and attributes of our pages are written: folder and file ending. */
const CONTENT: [string, string][] = [
  ['views', '.njk'],
  ['src', '.ts'],
  ['public/js', '.js'],
];

/**
 * Class families built from a variable: alerts and badges by their type (`components/alert.njk`, `badge.njk`),
 * radio and checkbox groups by their kind (`components/choices.njk`), and the error and valid states that
 * `public/js/signup.js` toggles on any field or group as the user types.
 */
export const DYNAMIC_CLASSES = [/^fr-alert--/, /^fr-badge--/, /^fr-(radio|checkbox)-group/, /--error$/, /--valid$/];

function contentFiles(): string[] {
  const walk = (dir: string, ending: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return walk(full, ending);
      return entry.name.endsWith(ending) ? [full] : [];
    });
  return CONTENT.flatMap(([dir, ending]) => walk(path.join(ROOT, dir), ending)).sort();
}

/** The subset, with the selectors it removed (for the browser suite's check). */
export async function purgeDsfr(fullCss: string): Promise<{ css: string; removed: string[] }> {
  const files = contentFiles();
  const [result] = await new PurgeCSS().purge({
    content: files.map((file) => ({ raw: readFileSync(file, 'utf8'), extension: path.extname(file).slice(1) })),
    css: [{ raw: fullCss }],
    safelist: { standard: DYNAMIC_CLASSES },
    variables: true,
    keyframes: true,
    fontFace: true,
    rejected: true,
  });
  return { css: result?.css ?? '', removed: result?.rejected ?? [] };
}

function inputsHash(fullCss: string): string {
  const hash = createHash('sha256').update(fullCss);
  for (const file of contentFiles()) hash.update(file).update(readFileSync(file));
  hash.update(readFileSync(import.meta.filename)); // the rules of the subset itself
  return hash.digest('hex').slice(0, 20);
}

/** The subset of `fullCss` for our files, from the disk cache or made now (about a second, in a child process). */
export function dsfrSubset(fullCss: string): string {
  const cached = path.join(CACHE_DIR, `dsfr-${inputsHash(fullCss)}.css`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    const css = execFileSync(process.execPath, ['--import', 'tsx', CLI], {
      input: fullCss,
      maxBuffer: 8 * 1024 * 1024,
      encoding: 'utf8',
    });
    if (!css.includes('.fr-btn')) throw new Error('Le sous-ensemble du DSFR est vide : la génération a échoué.');
    mkdirSync(CACHE_DIR, { recursive: true });
    const temporary = `${cached}.${process.pid}.tmp`;
    writeFileSync(temporary, css);
    renameSync(temporary, cached); // atomic: test processes starting together never read half a file
    return css;
  }
}
