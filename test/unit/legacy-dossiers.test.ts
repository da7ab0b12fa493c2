import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkDossier,
  dsStateOf,
  LEGACY_STATUS_OF,
  parseDsDate,
  type RawDossier,
} from '../../src/domain/legacy-dossiers.ts';
import { sheetColumns } from '../../src/domain/legacy-sources.ts';

const raw = (over: Partial<RawDossier> = {}): RawDossier => ({
  number: '42',
  state: 'accepte',
  dates: { depositedAt: undefined, instructionStartedAt: undefined, processedAt: undefined, lastModifiedAt: undefined },
  fields: [],
  original: {},
  source: 'api',
  ...over,
});

describe('démarches simplifiées’ states', () => {
  it('map onto SignUp’s statuses', () => {
    assert.deepEqual(LEGACY_STATUS_OF, {
      brouillon: 'draft',
      en_construction: 'submitted',
      en_instruction: 'submitted',
      accepte: 'validated',
      refuse: 'refused',
      sans_suite: 'archived',
    });
  });

  it('are read as the API writes them and as the spreadsheet does', () => {
    const read = ['en_construction', 'En construction', 'EN INSTRUCTION', 'Accepté', 'Refusé', 'Classé sans suite'];
    assert.deepEqual(read.map(dsStateOf), [
      'en_construction',
      'en_construction',
      'en_instruction',
      'accepte',
      'refuse',
      'sans_suite',
    ]);
    assert.equal(dsStateOf('perdu'), undefined);
    assert.equal(dsStateOf(''), undefined);
  });
});

describe('dates of either export', () => {
  it('read ISO 8601 with its offset, the spreadsheet’s « +0100 », and a Paris wall clock', () => {
    const iso = (text: string) => {
      const parsed = parseDsDate(text);
      return parsed.ok ? parsed.iso : 'illisible';
    };
    assert.equal(iso('2018-05-14T10:23:45+02:00'), '2018-05-14T08:23:45.000Z');
    assert.equal(iso('2018-05-14T08:23:45Z'), '2018-05-14T08:23:45.000Z');
    assert.equal(iso('2018-05-14T08:23:45.123Z'), '2018-05-14T08:23:45.123Z');
    assert.equal(iso('2019-03-14 10:23:45 +0100'), '2019-03-14T09:23:45.000Z');
    assert.equal(iso('2019-03-14 10:23:45 -0330'), '2019-03-14T13:53:45.000Z');
    assert.equal(iso('2019-03-14 10:23:45 UTC'), '2019-03-14T10:23:45.000Z');
    assert.equal(iso('2019-07-14 10:23:45'), '2019-07-14T08:23:45.000Z', 'summer time in Paris');
    assert.equal(iso('14/01/2019 10:23'), '2019-01-14T09:23:00.000Z');
    assert.equal(iso('14/01/2019'), '2019-01-13T23:00:00.000Z');
  });

  it('refuse what is no date', () => {
    for (const text of ['31/02/2019', '2019-02-30 10:00:00', '2019-13-01', '25:00', 'hier', '2019-01-01T25:00:00Z'])
      assert.deepEqual(parseDsDate(text), { ok: false }, text);
  });
});

describe('a dossier’s checks', () => {
  it('accept a dossier with its number and state, the rest optional', () => {
    const checked = checkDossier(raw({ email: ' Agent@Clamart.FR ', siret: '219 200 235 00014' }));
    assert.ok(checked.ok);
    assert.equal(checked.record.status, 'validated');
    assert.equal(checked.record.email, 'agent@clamart.fr');
    assert.equal(checked.record.siret, '21920023500014');
  });

  it('say every problem of a dossier at once, in French', () => {
    const checked = checkDossier(
      raw({
        number: '0',
        state: 'perdu',
        email: 'pas-une-adresse',
        siret: '21920023500015',
        dates: { ...raw().dates, processedAt: '2019-02-30' },
      }),
    );
    assert.deepEqual(checked, {
      ok: false,
      problems: [
        'numéro de dossier « 0 » invalide (un nombre entier positif)',
        'état « perdu » inconnu',
        'adresse électronique « pas-une-adresse » invalide',
        'SIRET « 21920023500015 » invalide',
        'date « 2019-02-30 » illisible dans « Traité le »',
      ],
    });
  });
});

describe('the dossiers sheet’s header', () => {
  it('finds the columns by name wherever they are, every other column being a field', () => {
    const found = sheetColumns(['\uFEFFÉtat du dossier', 'Cadre juridique', 'id', 'Établissement SIRET']);
    assert.ok(found.ok);
    assert.deepEqual(found.columns.known, { state: 0, number: 2, siret: 3 });
    assert.deepEqual(found.columns.fields, [1]);
  });

  it('refuses a header without « ID » or with a column twice', () => {
    const missing = sheetColumns(['État du dossier']);
    assert.ok(!missing.ok && /colonne obligatoire absente\u00a0: « ID »/.test(missing.message));
    const twice = sheetColumns(['ID', 'État du dossier', 'ID ']);
    assert.ok(!twice.ok && /« ID » apparaît deux fois/.test(twice.message));
  });
});
