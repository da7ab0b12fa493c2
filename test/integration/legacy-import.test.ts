/**
 * `legacy:import` of démarches simplifiées exports: both shapes (the API's JSON, one file per page or pages
 * concatenated; the spreadsheet's dossiers sheet as CSV, columns found by header), idempotent re-import, a newer
 * export updating (an older one never undoing it), malformed files and rows reported and skipped, the crash-resume
 * path (each batch commits with the run's checkpoint), and the command itself.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { importLegacyDossiers, type LegacyImportOptions } from '../../src/legacy/import.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/demarches-simplifiees');
const fixture = (name: string) => path.join(FIXTURES, name);
let app: TestApp;
let tmp: string;

before(async () => {
  app = await startTestApp();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'signup-legacy-'));
});
after(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await app.stop();
});
beforeEach(() => app.reset());

type Rejection = { where: string; problems: string[] };
async function run(paths: string[], options: Partial<LegacyImportOptions> = {}) {
  const rejections: Rejection[] = [];
  const summaries = await importLegacyDossiers({
    connectionString: app.database.url,
    paths,
    onRejected: (_file, where, problems) => rejections.push({ where, problems }),
    ...options,
  });
  return { summaries, rejections };
}
const counts = (s: { read: number; added: number; updated: number; unchanged: number; rejected: number }) => ({
  read: s.read,
  added: s.added,
  updated: s.updated,
  unchanged: s.unchanged,
  rejected: s.rejected,
});
const dossier = (number: number) =>
  app.db('legacy_dossiers').where({ number }).first() as Promise<Record<string, unknown> | undefined>;

describe('the API’s JSON', () => {
  it('imports one file per page, maps each state and keeps the node as it was', async () => {
    const { summaries } = await run([fixture('api-page-1.json'), fixture('api-page-2.json')]);
    assert.deepEqual(summaries.map(counts), [
      { read: 3, added: 3, updated: 0, unchanged: 0, rejected: 0 },
      { read: 3, added: 3, updated: 0, unchanged: 0, rejected: 0 },
    ]);
    const rows = (await app.db('legacy_dossiers').orderBy('number').select('number', 'ds_state', 'status')) as {
      number: string;
      ds_state: string;
      status: string;
    }[];
    assert.deepEqual(
      rows.map((r) => [Number(r.number), r.ds_state, r.status]),
      [
        [2041, 'accepte', 'validated'],
        [2042, 'refuse', 'refused'],
        [2043, 'en_instruction', 'submitted'],
        [2044, 'sans_suite', 'archived'],
        [2045, 'brouillon', 'draft'],
        [2046, 'en_construction', 'submitted'],
      ],
    );
    const accepted = await dossier(2041);
    assert.equal(accepted?.email, 'ancien.agent@clamart.fr');
    assert.equal(accepted?.siret, '21920023500014');
    assert.equal((accepted?.deposited_at as Date).toISOString(), '2018-05-14T08:23:45.000Z');
    assert.equal(accepted?.motivation, 'Accès accordé pour les marchés publics de la commune.');
    const original = accepted?.original as { id: string; demandeur: { entreprise: unknown }; champs: unknown[] };
    assert.equal(original.id, 'RG9zc2llci02041');
    assert.deepEqual(original.demandeur.entreprise, { raisonSociale: 'COMMUNE DE CLAMART' });
    const fields = accepted?.fields as { label: string; value: string }[];
    assert.deepEqual(fields[0], { label: 'Cadre juridique', value: 'Code de la commande publique, article R2143-3' });
    assert.deepEqual(fields.at(-1), { label: 'Pièce jointe : délibération', value: '' });
    assert.equal((await dossier(2043))?.siret, null, 'a natural person has no SIRET');
  });

  it('reads pages concatenated in one file, and a re-import changes nothing', async () => {
    await run([fixture('api-page-1.json'), fixture('api-page-2.json')]);
    const before = (await app.db('legacy_dossiers').select('number', 'updated_at')) as unknown[];
    const { summaries } = await run([fixture('api-pages.json'), fixture('api-pages.json')]);
    assert.deepEqual(summaries.map(counts), [
      { read: 6, added: 0, updated: 0, unchanged: 6, rejected: 0 },
      { read: 6, added: 0, updated: 0, unchanged: 6, rejected: 0 },
    ]);
    assert.deepEqual(await app.db('legacy_dossiers').select('number', 'updated_at'), before);
  });

  it('keeps the dossiers before a broken part and says where the file stops being JSON', async () => {
    const { summaries } = await run([fixture('api-broken.json')]);
    assert.deepEqual(counts(summaries[0]!), { read: 2, added: 2, updated: 0, unchanged: 0, rejected: 0 });
    assert.match(summaries[0]!.error ?? '', /^JSON illisible à la ligne \d+, colonne \d+ \(après 2 dossiers lus\)$/);
  });

  it('rejects a node without number or with an unknown state, and imports the others', async () => {
    const file = path.join(tmp, 'nodes.json');
    const nodes = [{ number: 9001, state: 'accepte' }, { state: 'accepte' }, { number: 9003, state: 'perdu' }, 'texte'];
    // Text PostgreSQL refuses: a NUL in a field, half a UTF-16 pair elsewhere in the node.
    nodes.push({ number: 9005, state: 'accepte', champs: [{ label: 'Cadre', stringValue: 'a\u0000b' }] } as never);
    nodes.push({ number: 9006, state: 'accepte', demandeur: { nom: '\ud800' } } as never);
    writeFileSync(file, JSON.stringify({ data: { demarche: { dossiers: { nodes } } } }));
    const { summaries, rejections } = await run([file]);
    assert.deepEqual(counts(summaries[0]!), { read: 6, added: 1, updated: 0, unchanged: 0, rejected: 5 });
    const unstorable = ['caractère nul ou invalide dans le texte du dossier'];
    assert.deepEqual(rejections, [
      { where: 'dossier n° 2 du fichier', problems: ['numéro de dossier (« number ») absent'] },
      { where: 'dossier n° 3 du fichier', problems: ['état « perdu » inconnu'] },
      { where: 'dossier n° 4 du fichier', problems: ['le dossier n’est pas un objet JSON'] },
      { where: 'dossier n° 5 du fichier', problems: unstorable },
      { where: 'dossier n° 6 du fichier', problems: unstorable },
    ]);
  });
});

describe('the spreadsheet’s dossiers sheet', () => {
  it('finds the columns by header; a newer export updates, an older one never undoes it', async () => {
    const first = await run([fixture('dossiers.csv')]);
    assert.deepEqual(counts(first.summaries[0]!), { read: 4, added: 4, updated: 0, unchanged: 0, rejected: 0 });
    assert.equal((await dossier(1104))?.ds_state, 'sans_suite', '« Classé sans suite »');
    assert.equal((await dossier(1102))?.motivation, 'Accès accordé, sur une ligne\net une autre.');
    const again = await run([fixture('dossiers.csv')]);
    assert.deepEqual(counts(again.summaries[0]!), { read: 4, added: 0, updated: 0, unchanged: 4, rejected: 0 });
    // The same dossiers exported later, columns in another order: n° 1101 was decided since.
    const newer = await run([fixture('dossiers-newer.csv')]);
    assert.deepEqual(counts(newer.summaries[0]!), { read: 4, added: 0, updated: 1, unchanged: 3, rejected: 0 });
    const decided = await dossier(1101);
    assert.equal(decided?.status, 'validated');
    assert.equal(decided?.motivation, 'Accès accordé au service du développement économique.');
    const older = await run([fixture('dossiers.csv')]);
    assert.deepEqual(counts(older.summaries[0]!), { read: 4, added: 0, updated: 0, unchanged: 4, rejected: 0 });
    assert.equal((await dossier(1101))?.status, 'validated', 'the older export did not undo the decision');
    const original = decided?.original as [string, string][];
    assert.deepEqual(original[0], ['État du dossier', 'Accepté'], 'the row as exported, in its order');
  });

  it('never lets an export that does not say when a dossier last changed replace one that does', async () => {
    await run([fixture('api-page-1.json')]);
    const undated = path.join(tmp, 'sans-date.csv');
    writeFileSync(undated, 'ID,État du dossier,Email\n2041,En instruction,ancien.agent@clamart.fr\n9100,Accepté,\n');
    const { summaries } = await run([undated]);
    assert.deepEqual(counts(summaries[0]!), { read: 2, added: 1, updated: 0, unchanged: 1, rejected: 0 });
    assert.equal((await dossier(2041))?.status, 'validated', 'the dated API export stays');
  });

  it('reports each malformed row with its line and why, and imports the others', async () => {
    const { summaries, rejections } = await run([fixture('dossiers-invalid-rows.csv')]);
    assert.deepEqual(counts(summaries[0]!), { read: 7, added: 2, updated: 0, unchanged: 0, rejected: 5 });
    assert.deepEqual(rejections, [
      { where: 'ligne 3', problems: ['date « 31/02/2019 10:00 » illisible dans « Déposé le »'] },
      { where: 'ligne 4', problems: ['SIRET « 21920023500015 » invalide'] },
      { where: 'ligne 5', problems: ['état « Perdu » inconnu'] },
      { where: 'ligne 6', problems: ['4 valeurs pour 18 colonnes'] },
      { where: 'ligne 7', problems: ['numéro de dossier « 12O6 » invalide (un nombre entier positif)'] },
    ]);
    assert.deepEqual(
      ((await app.db('legacy_dossiers').orderBy('number').select('number')) as { number: string }[]).map((r) =>
        Number(r.number),
      ),
      [1201, 1207],
    );
  });

  it('refuses a sheet without the columns it needs, naming them', async () => {
    const { summaries } = await run([fixture('wrong-headers.csv')]);
    assert.deepEqual(counts(summaries[0]!), { read: 0, added: 0, updated: 0, unchanged: 0, rejected: 0 });
    assert.equal(
      summaries[0]!.error,
      'en-tête de la feuille des dossiers\u00a0: colonnes obligatoires absentes\u00a0: « ID », « État du dossier » ' +
        '(en-tête lu\u00a0: « Numéro », « Email », « Statut », « Déposé le »)',
    );
  });

  it('says which file it cannot read before writing anything', async () => {
    await assert.rejects(run([fixture('dossiers.csv'), path.join(tmp, 'export.xlsx')]), /format inconnu/);
    await assert.rejects(run([path.join(tmp, 'absent.csv')]), /fichier introuvable ou illisible/);
    assert.equal((await app.db('legacy_dossiers').count({ n: '*' }))[0]!.n, '0');
  });
});

describe('a run stopped half-way', () => {
  it('keeps every batch it committed, and the next run of the same file resumes after them', async () => {
    const file = path.join(tmp, 'long.json');
    const nodes = Array.from({ length: 25 }, (_, i) => ({ number: 5000 + i, state: 'en_instruction' }));
    writeFileSync(file, JSON.stringify({ data: { demarche: { dossiers: { nodes } } } }));
    let batches = 0;
    const crash = () => {
      batches += 1;
      if (batches === 2) throw new Error('arrêt brutal');
    };
    await assert.rejects(run([file], { batchSize: 10, afterBatch: crash }), /arrêt brutal/);
    assert.equal((await app.db('legacy_dossiers').count({ n: '*' }))[0]!.n, '20');
    const resumed = await run([file], { batchSize: 10 });
    assert.equal(resumed.summaries[0]!.resumedAfter, 20);
    assert.deepEqual(counts(resumed.summaries[0]!), { read: 5, added: 5, updated: 0, unchanged: 0, rejected: 0 });
    assert.equal((await app.db('legacy_dossiers').count({ n: '*' }))[0]!.n, '25');
    const runs = (await app.db('legacy_import_runs').orderBy('id').select('status', 'records_done', 'added')) as {
      status: string;
      records_done: number;
      added: number;
    }[];
    assert.deepEqual(runs, [{ status: 'finished', records_done: 25, added: 25 }]);
    const fresh = await run([file], { batchSize: 10 });
    assert.equal(fresh.summaries[0]!.resumedAfter, 0, 'a finished run is not resumed: the file is read again');
    assert.equal(fresh.summaries[0]!.unchanged, 25);
  });
});

describe('npm run legacy:import', () => {
  it('prints the summary of each file and fails when a file could not be read to its end', async () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const command = (files: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/legacy-import.ts', '--', ...files], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: app.database.url },
      });
    const ok = await command([fixture('api-pages.json'), fixture('dossiers-invalid-rows.csv')]);
    assert.match(ok.stdout, /api-pages\.json\u00a0: 6 dossiers lus, 6 ajoutés, 0 mis à jour, 0 inchangés, 0 rejetés/);
    assert.match(ok.stdout, /dossiers-invalid-rows\.csv\u00a0: 7 dossiers lus, 2 ajoutés/);
    assert.match(ok.stderr, /dossiers-invalid-rows\.csv, ligne 4\u00a0: rejeté \(SIRET « 21920023500015 » invalide\)/);
    const failed = await command([fixture('api-broken.json')]).then(
      () => assert.fail('the command should fail'),
      (error: { code: number; stdout: string }) => error,
    );
    assert.equal(failed.code, 1);
    assert.match(failed.stdout, /lecture arrêtée\u00a0: JSON illisible à la ligne/);
  });
});
