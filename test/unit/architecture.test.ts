import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const src = path.resolve(import.meta.dirname, '../../src');

/**
 * The layers, lowest first: a module may import its own layer and the ones below, never one above (type imports
 * included). Top-level files are named by their base name.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['domain', 'config', 'logger'],
  ['db', 'dev-stubs'],
  ['repositories', 'storage', 'directory', 'legacy'],
  ['forms', 'rendering', 'mail', 'pages'],
  ['services'],
  ['jobs', 'middleware'],
  ['routes', 'api'],
  ['app'],
  ['runtime'],
  ['server', 'worker', 'cli'],
  // declarations only (the session, res.locals): they name types of every layer and nobody imports them
  ['types'],
];
const rank = (area: string) => {
  const found = LAYERS.findIndex((layer) => layer.includes(area));
  if (found < 0) throw new Error(`src/${area} : dossier absent de la liste des couches`);
  return found;
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** Each module's relative imports and re-exports, resolved to files. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(src)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gm)].map((m) =>
      path.resolve(path.dirname(file), m[1]!),
    );
    graph.set(file, targets);
  }
  return graph;
}

const areaOf = (file: string) =>
  path
    .relative(src, file)
    .split(path.sep)[0]!
    .replace(/\.d\.ts$|\.ts$/, '');
const name = (file: string) => path.relative(src, file);

describe('architecture', () => {
  const graph = importGraph();

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, stack: string[]) => {
      state.set(file, 'open');
      stack.push(file);
      for (const target of graph.get(file) ?? []) {
        if (state.get(target) === 'open')
          cycles.push([...stack.slice(stack.indexOf(target)), target].map(name).join(' → '));
        else if (!state.has(target)) visit(target, stack);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file, []);
    assert.deepEqual(cycles, []);
  });

  it('imports downwards only: domain, db, repositories, forms and views, services, jobs and middleware, routes, app', () => {
    const upwards: string[] = [];
    for (const [file, targets] of graph) {
      for (const target of targets) {
        if (rank(areaOf(target)) > rank(areaOf(file))) upwards.push(`${name(file)} → ${name(target)}`);
      }
    }
    assert.deepEqual(upwards, []);
  });

  it('keeps SQL in repositories (and the database layer): routes and middleware get no database handle', () => {
    for (const file of sources(path.join(src, 'routes'))) {
      assert.doesNotMatch(
        readFileSync(file, 'utf8'),
        /from '\.\.\/(\.\.\/)?db\/knex\.ts'|\.transaction\(/,
        `${name(file)} : la base n’est lue que par les services`,
      );
    }
  });
});
