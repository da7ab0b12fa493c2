import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { copyField, copyLine } from '../../src/directory/copy-text.ts';
import { parseImportArgs } from '../../src/directory/import-args.ts';
import {
  ETABLISSEMENT_COLUMNS,
  locateColumns,
  rowReader,
  StockFormatError,
  UNITE_LEGALE_COLUMNS,
  type EtablissementColumn,
  type UniteLegaleColumn,
} from '../../src/directory/stock-format.ts';
import { etablissementRow, isDiffusible, uniteLegaleRow } from '../../src/directory/stock-rows.ts';

/** A reader over a row given by column name, as the importer sees it after locating the header. */
function reader<C extends string>(columns: readonly C[], values: Partial<Record<C, string>>) {
  const header = [...columns].reverse(); // position must not matter
  const positions = locateColumns(header, columns, 'etablissements');
  return rowReader(
    positions,
    header.map((column) => values[column] ?? ''),
  );
}
const unit = (values: Partial<Record<UniteLegaleColumn, string>>) => reader(UNITE_LEGALE_COLUMNS, values);
const establishment = (values: Partial<Record<EtablissementColumn, string>>) =>
  reader(ETABLISSEMENT_COLUMNS, {
    siren: '130025265',
    siret: '13002526500013',
    statutDiffusionEtablissement: 'O',
    ...values,
  });

describe('stock file header', () => {
  it('finds columns by name, wherever they are, extra columns ignored', () => {
    const positions = locateColumns(
      ['x', 'siret', 'siren', 'activitePrincipaleNAF25Etablissement'],
      ['siren', 'siret'],
      'etablissements',
    );
    assert.deepEqual(positions, { siren: 2, siret: 1 });
  });

  it('names every missing column, in French', () => {
    assert.throws(
      () => locateColumns(['siren', 'siret'], ['siren', 'siret', 'etablissementSiege', 'nic'], 'etablissements'),
      (error: unknown) =>
        error instanceof StockFormatError &&
        /Le fichier des établissements \(StockEtablissement\) n’a pas les colonnes obligatoires : etablissementSiege, nic\./.test(
          error.message,
        ),
    );
    assert.throws(
      () => locateColumns(['siren'], ['siren', 'sigleUniteLegale'], 'unitesLegales'),
      /unités légales .*la colonne obligatoire : sigleUniteLegale/,
    );
  });

  it('reads blanks and INSEE’s masked values "[ND]" as null, and trims', () => {
    const read = rowReader({ a: 0, b: 1, c: 2 }, [' X ', '', '[ND]']);
    assert.deepEqual([read('a'), read('b'), read('c')], ['X', null, null]);
  });
});

describe('unités légales', () => {
  it('keeps a company’s denomination, sigle and legal category', () => {
    const row = uniteLegaleRow(
      unit({
        siren: '130025265',
        statutDiffusionUniteLegale: 'O',
        denominationUniteLegale: 'DIRECTION INTERMINISTERIELLE DU NUMERIQUE',
        sigleUniteLegale: 'DINUM',
        categorieJuridiqueUniteLegale: '7120',
      }),
    );
    assert.deepEqual(row, {
      siren: '130025265',
      nonDiffusible: false,
      name: 'DIRECTION INTERMINISTERIELLE DU NUMERIQUE',
      sigle: 'DINUM',
      legalCategoryCode: '7120',
    });
  });

  it('names an individual by usual first name and usage name, else first name and surname', () => {
    const base = {
      siren: '400000014',
      statutDiffusionUniteLegale: 'O',
      categorieJuridiqueUniteLegale: '1000',
      prenom1UniteLegale: 'JEAN',
      nomUniteLegale: 'DUPONT',
    };
    assert.equal(uniteLegaleRow(unit(base))?.name, 'JEAN DUPONT');
    assert.equal(
      uniteLegaleRow(unit({ ...base, prenomUsuelUniteLegale: 'JEANNOT', nomUsageUniteLegale: 'MARTIN' }))?.name,
      'JEANNOT MARTIN',
    );
  });

  it('masks a non-diffusible unit: no name, no sigle; its legal category stays', () => {
    for (const status of ['P', 'N', '']) {
      const row = uniteLegaleRow(
        unit({
          siren: '400000014',
          statutDiffusionUniteLegale: status,
          prenom1UniteLegale: 'JEAN',
          nomUniteLegale: 'DUPONT',
          sigleUniteLegale: 'JD',
          categorieJuridiqueUniteLegale: '1000',
        }),
      );
      assert.deepEqual(row, {
        siren: '400000014',
        nonDiffusible: true,
        name: null,
        sigle: null,
        legalCategoryCode: '1000',
      });
    }
    assert.equal(isDiffusible('O'), true);
  });

  it('rejects a row without a 9-digit SIREN', () => {
    assert.equal(uniteLegaleRow(unit({ siren: '12345678' })), undefined);
    assert.equal(uniteLegaleRow(unit({ siren: 'ABCDEFGHI' })), undefined);
  });
});

describe('établissements', () => {
  it('builds the address: number, repetition index, street type and name, postal code, commune', () => {
    const row = etablissementRow(
      establishment({
        numeroVoieEtablissement: '20',
        indiceRepetitionEtablissement: 'B',
        typeVoieEtablissement: 'AV',
        libelleVoieEtablissement: 'DE SEGUR',
        codePostalEtablissement: '75007',
        libelleCommuneEtablissement: 'PARIS 7',
        etatAdministratifEtablissement: 'A',
        etablissementSiege: 'true',
        activitePrincipaleEtablissement: '84.11Z',
      }),
    );
    assert.deepEqual(row, {
      siret: '13002526500013',
      siren: '130025265',
      nonDiffusible: false,
      name: null,
      enseigne: null,
      naf: '84.11Z',
      street: '20 B AV DE SEGUR',
      postalCode: '75007',
      city: 'PARIS 7',
      active: true,
      isHeadOffice: true,
    });
  });

  it('falls back on the address complement, and on the foreign city with its country', () => {
    const row = etablissementRow(
      establishment({
        complementAdresseEtablissement: 'ZONE ARTISANALE',
        libelleCommuneEtrangerEtablissement: 'BRUXELLES',
        libellePaysEtrangerEtablissement: 'BELGIQUE',
      }),
    );
    assert.equal(row?.street, 'ZONE ARTISANALE');
    assert.equal(row?.city, 'BRUXELLES (BELGIQUE)');
  });

  it('names the establishment by its usual name, else its sign; a closed one is inactive', () => {
    assert.equal(
      etablissementRow(
        establishment({ enseigne1Etablissement: 'MAIRIE', denominationUsuelleEtablissement: 'MAIRIE DE CLAMART' }),
      )?.name,
      'MAIRIE DE CLAMART',
    );
    const closed = etablissementRow(
      establishment({
        enseigne1Etablissement: 'MAIRIE',
        etatAdministratifEtablissement: 'F',
        etablissementSiege: 'false',
      }),
    );
    assert.deepEqual(
      [closed?.name, closed?.enseigne, closed?.active, closed?.isHeadOffice],
      ['MAIRIE', 'MAIRIE', false, false],
    );
  });

  it('masks a non-diffusible establishment: no name, sign nor address', () => {
    const row = etablissementRow(
      establishment({
        statutDiffusionEtablissement: 'P',
        numeroVoieEtablissement: '[ND]',
        libelleVoieEtablissement: 'DES LILAS',
        codePostalEtablissement: '75007',
        libelleCommuneEtablissement: 'PARIS 7',
        enseigne1Etablissement: 'CHEZ JEAN',
        etatAdministratifEtablissement: 'A',
      }),
    );
    assert.deepEqual(
      row && [row.nonDiffusible, row.name, row.enseigne, row.street, row.postalCode, row.city, row.active],
      [true, null, null, null, null, null, true],
    );
  });

  it('rejects a SIRET that is not 14 digits or not of its SIREN; drops codes too long to be codes', () => {
    assert.equal(etablissementRow(establishment({ siret: '1300252650001' })), undefined);
    assert.equal(etablissementRow(establishment({ siret: '21920023500014' })), undefined);
    assert.equal(etablissementRow(establishment({ activitePrincipaleEtablissement: '84.11Z-TROP-LONG' }))?.naf, null);
  });
});

describe('COPY text format', () => {
  it('escapes backslashes, tabs and line breaks; writes NULL and booleans', () => {
    assert.equal(copyField('A\\B\tC\nD\rE'), 'A\\\\B\\tC\\nD\\rE');
    assert.equal(copyField(null), '\\N');
    assert.equal(copyLine(['x', true, false, null]), 'x\tt\tf\t\\N\n');
  });
});

describe('sirene-import arguments', () => {
  it('reads both paths', () => {
    assert.deepEqual(parseImportArgs(['--unites-legales', 'ul.csv', '--etablissements', 'et.csv']), {
      unitesLegalesPath: 'ul.csv',
      etablissementsPath: 'et.csv',
    });
  });

  it('says in French what is missing or unknown', () => {
    assert.throws(
      () => parseImportArgs(['--unites-legales', 'ul.csv']),
      /Argument manquant : --etablissements\.\nUsage/,
    );
    assert.throws(() => parseImportArgs([]), /Argument manquant : --unites-legales et --etablissements/);
    assert.throws(() => parseImportArgs(['--stock', 'x']), /Arguments invalides/);
  });
});
