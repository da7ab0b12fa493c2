/**
 * test/helpers/nu-checker.ts: the W3C Nu HTML checker on a batch of documents, in one Java run. Skipped only when Java
 * is missing outside CI; in CI (CI set) a missing Java fails the test.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { MISSING_JAVA, NU_JAR, NuBatch, javaAvailable, readNuReport } from '../helpers/nu-checker.ts';

const skip = !javaAvailable() && !process.env.CI ? MISSING_JAVA : false;

function page(body: string): string {
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Essai – SignUp</title>
</head>
<body>
<main>
<h1>Demande d’habilitation</h1>
${body}
</main>
</body>
</html>
`;
}

const DOCUMENTS = {
  valide: page('<p>Une page simple, écrite en français, sans aucune erreur.</p>'),
  htmx: page(
    '<form method="post" action="/x"><label for="siret">SIRET</label>\n<input id="siret" name="siret" hx-post="/x"></form>',
  ),
  dataHtmx: page(
    '<form method="post" action="/x"><label for="siret">SIRET</label>\n<input id="siret" name="siret" data-hx-post="/x"></form>',
  ),
  url: page(
    '<form method="post" action="/x"><label for="site">Site</label>\n<input id="site" name="site" type="url" value="http://"></form>',
  ),
};
type Name = keyof typeof DOCUMENTS;

test('Nu checker: the jar path comes from the vnu-jar package', () => {
  assert.match(NU_JAR, /node_modules[\\/]vnu-jar[\\/].*vnu\.jar$/);
  assert.ok(existsSync(NU_JAR), NU_JAR);
});

test('Nu checker: four documents checked in one batch', { skip }, async (t) => {
  const batch = new NuBatch();
  for (const [where, html] of Object.entries(DOCUMENTS)) batch.add(where, html);
  assert.equal(batch.size, 4);
  const lines = await batch.check();
  const errorsOf = (name: Name) => lines.filter((l) => l.startsWith(`${name} : `));

  await t.test('a valid French HTML5 document gives no error', () => {
    assert.deepEqual(errorsOf('valide'), []);
  });

  await t.test('an unknown attribute (hx-post) is an error that names it, with its position and extract', () => {
    const errors = errorsOf('htmx');
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(
      errors[0]!,
      /^htmx : Nu ligne 11:1 – Attribute “hx-post” not allowed on element “input”.* \(extrait « .*hx-post="\/x".* »\)$/,
    );
  });

  await t.test('data-hx-post is allowed', () => {
    assert.deepEqual(errorsOf('dataHtmx'), []);
  });

  await t.test('a bad attribute value (type="url" value="http://") is an error', () => {
    const errors = errorsOf('url');
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, /^url : Nu ligne 11:\d+ – Bad value “http:\/\/” for attribute “value” on element “input”/);
  });

  await t.test('each error keeps the where of its document, in the order of add', () => {
    assert.deepEqual(
      lines.map((l) => l.split(' : ')[0]),
      ['htmx', 'url'],
    );
  });

  await t.test('the temporary directory is removed', () => {
    assert.deepEqual(
      readdirSync(tmpdir()).filter((name) => name.startsWith(`signup-nu-${process.pid}-`)),
      [],
    );
  });
});

test('Nu checker: an empty batch gives no error without starting Java', async () => {
  assert.deepEqual(await new NuBatch().check(), []);
});

// Reading vnu's report, on reports written by hand: the cases where the checker itself failed must throw.
const FILES = new Map([
  ['doc-00000.html', '/a'],
  ['doc-00001.html', '/b'],
]);
const CHECKED =
  '/tmp/signup-nu-x/doc-00001.html\nOpenJDK 64-Bit Server VM warning: sharing\n/tmp/signup-nu-x/doc-00000.html\n';

test('Nu report: errors only, with the start position; warnings and info are ignored', () => {
  const report = JSON.stringify({
    messages: [
      {
        type: 'info',
        subType: 'warning',
        url: 'file:/tmp/signup-nu-x/doc-00000.html',
        lastLine: 3,
        message: 'Section lacks heading.',
      },
      { type: 'info', url: 'file:/tmp/signup-nu-x/doc-00000.html', lastLine: 3, message: 'Trailing slash.' },
      {
        type: 'error',
        url: 'file:/tmp/signup-nu-x/doc-00001.html',
        firstLine: 2,
        firstColumn: 5,
        lastLine: 4,
        lastColumn: 1,
        message: 'M1',
        extract: 'a\n  b',
      },
      {
        type: 'error',
        subType: 'fatal',
        url: 'file:/tmp/signup-nu-x/doc-00000.html',
        lastLine: 7,
        lastColumn: 9,
        message: 'M0',
      },
    ],
  });
  assert.deepEqual(readNuReport(report, CHECKED, FILES), [
    '/a : Nu ligne 7:9 – M0',
    '/b : Nu ligne 2:5 – M1 (extrait « a b »)',
  ]);
});

test('Nu report: a non-document-error throws', () => {
  const report = JSON.stringify({ messages: [{ type: 'non-document-error', subType: 'io', message: 'Boom' }] });
  assert.throws(() => readNuReport(report, CHECKED, FILES), /non-document-error.*Boom/);
});

test('Nu report: a document missing from the files checked throws', () => {
  const report = JSON.stringify({
    messages: [
      { type: 'info', subType: 'warning', url: 'file:/tmp/signup-nu-x/doc-00000.html', message: 'File not found.' },
    ],
  });
  assert.throws(() => readNuReport(report, '/tmp/signup-nu-x/doc-00001.html\n', FILES), /non vérifié.*\/a/);
});

test('Nu report: output that is not vnu’s JSON throws', () => {
  assert.throws(() => readNuReport('Exception in thread "main"', CHECKED, FILES), /illisible/);
  assert.throws(() => readNuReport('{}', CHECKED, FILES), /messages/);
});
