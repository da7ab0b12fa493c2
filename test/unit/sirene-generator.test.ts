import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { generateSireneStock } from '../../bench/sirene-generate.ts';
import { searchQueries, timings } from '../../bench/sirene-queries.ts';
import {
  csvField,
  ETABLISSEMENT_HEADER,
  luhnCheckDigit,
  UNITE_LEGALE_HEADER,
} from '../../bench/sirene-stock-format.ts';
import { luhnValid } from '../../src/domain/siret.ts';

describe('synthetic SIRENE stock', () => {
  it('computes Luhn check digits that SignUp’s SIRET rule accepts', () => {
    assert.equal(luhnCheckDigit('13002526'), '5'); // DINUM: 130025265
    assert.equal(luhnCheckDigit('130025265' + '0001'), '3'); // 13002526500013
    for (const prefix of ['0000000', '2192002350001', '99999999'])
      assert.equal(luhnValid(prefix + luhnCheckDigit(prefix)), true);
  });

  it('quotes a field only when needed, doubling its quotes', () => {
    assert.equal(csvField('MAIRIE'), 'MAIRIE');
    assert.equal(csvField('DUPONT, FILS'), '"DUPONT, FILS"');
    assert.equal(csvField('LE "PETIT"'), '"LE ""PETIT"""');
  });

  it('writes the same files for the same seed, in INSEE’s format, with valid and unique SIRETs', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sirene-gen-'));
    try {
      const first = await generateSireneStock({ dir: path.join(dir, 'a'), rows: 500, seed: 3 });
      const second = await generateSireneStock({ dir: path.join(dir, 'b'), rows: 500, seed: 3 });
      const text = await readFile(first.etablissementsPath, 'utf8');
      assert.equal(text, await readFile(second.etablissementsPath, 'utf8'));
      const rows = parse(text, { columns: true }) as Record<string, string>[];
      const units = parse(await readFile(first.unitesLegalesPath, 'utf8'), { columns: true }) as Record<
        string,
        string
      >[];
      assert.deepEqual(text.split('\n', 1)[0], ETABLISSEMENT_HEADER.join(','));
      assert.deepEqual(Object.keys(units[0] ?? {}), [...UNITE_LEGALE_HEADER]);
      assert.equal(rows.length, 500);
      assert.equal(units.length, first.unitesLegales);
      assert.ok(
        first.unitesLegales > 150 && first.unitesLegales < 350,
        `about N/2 legal units, got ${first.unitesLegales}`,
      );
      assert.equal(new Set(rows.map((r) => r.siret)).size, 500);
      assert.ok(
        rows.every((r) => luhnValid(r.siret ?? '') && luhnValid(r.siren ?? '') && r.siret?.startsWith(r.siren ?? '-')),
      );
      const closed = rows.filter((r) => r.etatAdministratifEtablissement === 'F').length;
      assert.ok(closed > 25 && closed < 80, `about 10 % closed, got ${closed}`);
      const categories = new Set(units.map((u) => u.categorieJuridiqueUniteLegale));
      assert.ok([...categories].some((c) => c?.startsWith('7')) && [...categories].some((c) => !c?.startsWith('7')));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('SIRENE benchmark helpers', () => {
  it('gives varied, reproducible queries', () => {
    const queries = searchQueries(200);
    assert.deepEqual(queries, searchQueries(200));
    assert.ok(new Set(queries).size > 100);
    assert.ok(queries.some((q) => q.startsWith('mairie de')));
  });

  it('computes nearest-rank percentiles', () => {
    const durations = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.deepEqual(timings(durations), { count: 100, p50: 50, p95: 95, p99: 99, mean: 50.5, max: 100 });
  });
});
