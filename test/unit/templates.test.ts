import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { requireRegisteredPages } from '../../src/middleware/page-registry.ts';

const root = path.resolve(import.meta.dirname, '../..');

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full, ext) : full.endsWith(ext) ? [full] : [];
  });
}

describe('templates and queries (static checks)', () => {
  it('never turns autoescaping off in templates', () => {
    for (const file of files(path.join(root, 'views'), '.njk')) {
      const text = readFileSync(file, 'utf8');
      assert.doesNotMatch(text, /\|\s*safe\b/, `${file} : filtre « safe » interdit`);
      assert.doesNotMatch(text, /autoescape\s+false/, file);
    }
  });

  it('never builds a template from data, nor SQL by interpolation', () => {
    for (const file of files(path.join(root, 'src'), '.ts')) {
      const text = readFileSync(file, 'utf8');
      assert.doesNotMatch(text, /renderString\s*\(/, `${file} : renderString interdit`);
      assert.doesNotMatch(text, /\.raw\(\s*`[^`]*\$\{/, `${file} : knex.raw avec interpolation`);
    }
  });

  it('speaks for itself: no code of a checklist kept outside the repository, the property is named instead', () => {
    const sources = ['src', 'test', 'views', 'public/js', 'migrations', 'docs', 'bench'].flatMap((dir) =>
      ['.ts', '.njk', '.js', '.md'].flatMap((ext) => files(path.join(root, dir), ext)),
    );
    for (const file of [...sources, path.join(root, 'README.md')]) {
      const text = readFileSync(file, 'utf8');
      assert.doesNotMatch(
        text,
        /\b[ACS]-\d{1,2}[a-z]?\b(?![\w-])/,
        `${path.relative(root, file)} : code de liste de contrôle extérieure`,
      );
    }
  });

  it('refuses to render a page that is missing from the registry (outside production)', () => {
    let rendered = false;
    const res = { render: () => (rendered = true) } as unknown as Parameters<typeof requireRegisteredPages>[1];
    const req = { method: 'GET', baseUrl: '', route: { path: '/page-oubliee' } } as unknown as Parameters<
      typeof requireRegisteredPages
    >[0];
    requireRegisteredPages(req, res, () => undefined);
    assert.throws(() => res.render('public/accueil'), /pas dans le registre/);
    assert.equal(rendered, false);
    res.render('partials/eligibilite-siret');
    assert.equal(rendered, true, 'les fragments ne sont pas concernés');
  });
});
