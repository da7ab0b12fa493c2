import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { generateSireneStock, type GeneratedStock } from '../../bench/sirene-generate.ts';
import type { Db } from '../../src/db/knex.ts';
import { importSireneStock } from '../../src/directory/stock-import.ts';
import { findEstablishment, searchEstablishments } from '../../src/repositories/directory.ts';
import { createTestDatabase, openDb, type TestDatabase } from '../helpers/db.ts';

type Csv = Record<string, string>;

let database: TestDatabase;
let db: Db;
let dir: string;
let stock: GeneratedStock;
let units: Map<string, Csv>;
let establishments: Csv[];

const importFiles = (files: { unitesLegalesPath: string; etablissementsPath: string } = stock) =>
  importSireneStock({ connectionString: database.url, ...files });
const count = async () => Number(((await db('establishments').count({ n: '*' })) as { n: string }[])[0]?.n);
const readCsv = async (file: string) => parse(await readFile(file, 'utf8'), { columns: true }) as Csv[];
const first = (predicate: (row: Csv) => boolean) => {
  const row = establishments.find(predicate);
  assert.ok(row, 'the generated stock has such an establishment');
  return row;
};

before(async () => {
  database = await createTestDatabase();
  db = openDb(database.url);
  dir = await mkdtemp(path.join(tmpdir(), 'signup-sirene-'));
  stock = await generateSireneStock({ dir, rows: 2000, seed: 2026 });
  units = new Map((await readCsv(stock.unitesLegalesPath)).map((u) => [u.siren ?? '', u]));
  establishments = await readCsv(stock.etablissementsPath);
});

after(async () => {
  await db.destroy();
  await database.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('SIRENE stock import', () => {
  it('imports every establishment of the files', async () => {
    const before = await count();
    const result = await importFiles();
    assert.deepEqual(result.unitesLegales, { read: stock.unitesLegales, rejected: 0 });
    assert.deepEqual(result.etablissements, { read: 2000, rejected: 0 });
    assert.equal(result.inserted, 2000);
    assert.equal(await count(), before + 2000);
  });

  it('stores a known establishment with its legal unit’s data and its address', async () => {
    const row = first(
      (e) =>
        e.etablissementSiege === 'true' &&
        e.statutDiffusionEtablissement === 'O' &&
        units.get(e.siren ?? '')?.categorieJuridiqueUniteLegale === '7210',
    );
    const unit = units.get(row.siren ?? '')!;
    const found = await findEstablishment(db, row.siret ?? '');
    const number = [row.numeroVoieEtablissement, row.indiceRepetitionEtablissement].filter(Boolean).join(' ');
    assert.deepEqual(found && { ...found }, {
      // the legal unit's name (« COMMUNE DE … ») is what people recognise; the establishment's own name is its sign
      siret: row.siret,
      siren: row.siren,
      name: unit.denominationUniteLegale,
      sigle: null,
      enseigne: row.enseigne1Etablissement || row.denominationUsuelleEtablissement,
      legalCategoryCode: '7210',
      legalCategoryLabel: 'Commune et commune nouvelle',
      legalCategoryEligible: true,
      naf: '84.11Z',
      nafLabel: null,
      street: `${number} ${row.typeVoieEtablissement} ${row.libelleVoieEtablissement}`,
      postalCode: row.codePostalEtablissement,
      city: row.libelleCommuneEtablissement,
      active: row.etatAdministratifEtablissement === 'A',
    });
    const extra = await db('establishments').where('siret', row.siret).first('legal_unit_name', 'is_head_office');
    assert.deepEqual(extra, { legal_unit_name: unit.denominationUniteLegale, is_head_office: true });
  });

  it('marks a closed establishment inactive', async () => {
    const row = first((e) => e.etatAdministratifEtablissement === 'F');
    assert.equal((await findEstablishment(db, row.siret ?? ''))?.active, false);
  });

  it('stores a non-diffusible establishment without its name nor address', async () => {
    const row = first((e) => e.statutDiffusionEtablissement === 'P');
    const stored = await db('establishments')
      .where('siret', row.siret)
      .first('name', 'legal_unit_name', 'enseigne', 'street', 'postal_code', 'city');
    assert.deepEqual(stored, {
      name: '[NON-DIFFUSIBLE]',
      legal_unit_name: '[NON-DIFFUSIBLE]',
      enseigne: null,
      street: null,
      postal_code: null,
      city: null,
    });
  });

  it('is idempotent: a second import of the same files changes nothing', async () => {
    const before = await count();
    const stamp = await db('establishments').max({ at: 'updated_at' }).first();
    const result = await importFiles();
    assert.deepEqual([result.inserted, result.updated, result.unchanged], [0, 0, 2000]);
    assert.equal(await count(), before);
    assert.deepEqual(await db('establishments').max({ at: 'updated_at' }).first(), stamp);
    const duplicates = await db('establishments').select('siret').groupBy('siret').havingRaw('count(*) > 1');
    assert.deepEqual(duplicates, []);
  });

  it('updates an establishment that changed in the new stock', async () => {
    const row = first((e) => e.etatAdministratifEtablissement === 'A' && e.statutDiffusionEtablissement === 'O');
    const text = await readFile(stock.etablissementsPath, 'utf8');
    const line = text.split('\n').find((l) => l.startsWith(`${row.siren},${row.nic},`))!;
    const changed = path.join(dir, 'StockEtablissement_changed.csv');
    await writeFile(changed, text.replace(line, line.replace(`,${row.dateDebut},A,`, `,${row.dateDebut},F,`)));
    const result = await importFiles({ unitesLegalesPath: stock.unitesLegalesPath, etablissementsPath: changed });
    assert.deepEqual([result.inserted, result.updated, result.unchanged], [0, 1, 1999]);
    assert.equal((await findEstablishment(db, row.siret ?? ''))?.active, false);
  });

  it('refuses a file without a required column, in French, and changes nothing', async () => {
    const text = await readFile(stock.unitesLegalesPath, 'utf8');
    const header = text.slice(0, text.indexOf('\n'));
    const broken = path.join(dir, 'StockUniteLegale_broken.csv');
    await writeFile(
      broken,
      text.replace(header, header.replace('categorieJuridiqueUniteLegale', 'categorieJuridique')),
    );
    const before = await count();
    await assert.rejects(
      importFiles({ unitesLegalesPath: broken, etablissementsPath: stock.etablissementsPath }),
      /^StockFormatError: Le fichier des unités légales \(StockUniteLegale\) n’a pas la colonne obligatoire : categorieJuridiqueUniteLegale\./,
    );
    await assert.rejects(
      importFiles({ unitesLegalesPath: path.join(dir, 'absent.csv'), etablissementsPath: stock.etablissementsPath }),
      /Fichier des unités légales introuvable ou illisible/,
    );
    assert.equal(await count(), before);
  });

  it('rejects a line with too few columns, and stops on broken quoting', async () => {
    const text = await readFile(stock.etablissementsPath, 'utf8');
    const short = path.join(dir, 'StockEtablissement_short.csv');
    await writeFile(short, `${text}99999999999999,00001\n`);
    const result = await importFiles({ unitesLegalesPath: stock.unitesLegalesPath, etablissementsPath: short });
    assert.deepEqual(result.etablissements, { read: 2001, rejected: 1 });
    const unclosed = path.join(dir, 'StockEtablissement_unclosed.csv');
    await writeFile(unclosed, `${text}123456789,"00001\n`);
    await assert.rejects(
      importFiles({ unitesLegalesPath: stock.unitesLegalesPath, etablissementsPath: unclosed }),
      /Le fichier des établissements \(StockEtablissement\) n’est pas un CSV valide \(ligne \d+\) : /,
    );
  });
});

describe('establishment search by name', () => {
  const names = async (query: string) => (await searchEstablishments(db, query)).map((e) => e.name);

  it('ignores case, accents and punctuation', async () => {
    for (const query of ['clamart', 'CLAMART', 'Clâmart', 'commune de clamart'])
      assert.equal((await names(query))[0], 'COMMUNE DE CLAMART', query);
    assert.ok((await names('Villeneuve-d’Ascq')).includes('COMMUNE DE VILLENEUVE D ASCQ'));
    assert.ok((await names('Région Île-de-France')).includes('REGION ILE DE FRANCE'));
  });

  it('finds by sigle and tolerates a typo', async () => {
    assert.equal((await searchEstablishments(db, 'dinum'))[0]?.siret, '13002526500013');
    assert.ok((await names('montpelier')).includes('COMMUNE DE MONTPELLIER'));
  });

  it('needs 3 letters or digits', async () => {
    for (const query of ['', 'cl', ' a ', '---', '’’’'])
      assert.deepEqual(await searchEstablishments(db, query), [], query);
  });

  it('puts the best match first, and closed establishments after the active ones', async () => {
    const results = await searchEstablishments(db, 'clamart', 50);
    assert.equal(results[0]?.siret, '21920023500014');
    const closed = results.findIndex((e) => e.siret === '21920023500022');
    assert.ok(
      closed > 0 && results.slice(closed).every((e) => !e.active),
      'the closed Clamart comes after every active result',
    );
    assert.equal((await searchEstablishments(db, 'commune de', 3)).length, 3);
  });

  it('returns the same fields as a SIRET lookup, nothing more', async () => {
    const [result] = await searchEstablishments(db, 'dinum');
    assert.deepEqual(result, await findEstablishment(db, '13002526500013'));
  });
});
