import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeCursor, listQuery, parseListQuery } from '../../src/domain/instruction-list.ts';

const USE_CASES = new Set(['marches_publics']);

describe('the instruction list query', () => {
  it('reads every filter, with the submission order by default', () => {
    const { filters, problems } = parseListQuery(
      {
        statut: 'refused',
        'cas-usage': 'marches_publics',
        attribution: 'moi',
        du: '1/3/2027',
        au: '2027-03-31',
        q: '  Mairie   de  Clamart ',
      },
      USE_CASES,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(filters, {
      sort: 'depot',
      status: 'refused',
      useCase: 'marches_publics',
      assignment: 'moi',
      from: '2027-03-01',
      to: '2027-03-31',
      search: 'Mairie de Clamart',
    });
  });

  it('refuses what the list cannot honour, one French message per field', () => {
    const { problems } = parseListQuery(
      {
        statut: 'draft',
        'cas-usage': 'x',
        attribution: 'tous',
        tri: 'titre',
        du: '31/04/2027',
        au: '01/01/2027',
        apres: '1.x',
      },
      USE_CASES,
    );
    assert.deepEqual(
      problems.map((p) => p.field),
      ['statut', 'cas-usage', 'attribution', 'tri', 'du', 'apres'],
    );
    const reversed = parseListQuery({ du: '02/03/2027', au: '01/03/2027' }, USE_CASES).problems;
    assert.deepEqual(
      reversed.map((p) => p.field),
      ['au'],
    );
    assert.match(parseListQuery({ q: 'a'.repeat(201) }, USE_CASES).problems[0]!.message, /200 caractères au plus/);
  });

  it('round-trips a cursor and keeps the filters in the next page link', () => {
    const cursor = encodeCursor({ micros: '1803027600000000', id: '42' });
    assert.deepEqual(parseListQuery({ apres: cursor }, USE_CASES).filters.after, {
      micros: '1803027600000000',
      id: '42',
    });
    const { form } = parseListQuery({ statut: 'submitted', q: 'clamart' }, USE_CASES);
    assert.equal(listQuery(form, { apres: cursor }), '?statut=submitted&q=clamart&apres=1803027600000000.42');
    assert.equal(listQuery(parseListQuery({}, USE_CASES).form), '');
  });
});
