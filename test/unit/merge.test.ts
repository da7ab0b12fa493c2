import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyConflictChoices, mergeAnswers, parseBase, sameAnswer } from '../../src/domain/merge.ts';

const fields = ['title', 'volume', 'scopes'];

describe('three-way merge of a step', () => {
  it('takes the side that changed each field', () => {
    const base = { title: 'A', volume: 'faible', scopes: ['x'] };
    const stored = { title: 'B', volume: 'faible', scopes: ['x'] };
    const mine = { title: 'A', volume: 'fort', scopes: ['x', 'y'] };
    assert.deepEqual(mergeAnswers(fields, base, stored, mine), {
      merged: { title: 'B', volume: 'fort', scopes: ['x', 'y'] },
      conflicts: [],
    });
  });

  it('flags a field both sides changed differently, and keeps the stored value in the merge', () => {
    const result = mergeAnswers(fields, { title: 'A' }, { title: 'B' }, { title: 'C' });
    assert.deepEqual(result.conflicts, ['title']);
    assert.equal(result.merged.title, 'B');
  });

  it('is not a conflict when both sides made the same change', () => {
    assert.deepEqual(mergeAnswers(fields, { title: 'A' }, { title: 'B' }, { title: 'B' }).conflicts, []);
  });

  it('without a base, every differing field is a conflict', () => {
    assert.deepEqual(
      mergeAnswers(fields, undefined, { title: 'B', volume: 'fort' }, { title: 'C', volume: 'fort' }).conflicts,
      ['title'],
    );
  });

  it('treats empty, missing and null alike, numbers like their text and lists in any order', () => {
    assert.ok(sameAnswer(undefined, ''));
    assert.ok(sameAnswer(null, ''));
    assert.ok(sameAnswer(36, '36'));
    assert.ok(sameAnswer(['b', 'a'], ['a', 'b']));
    assert.ok(!sameAnswer(['a'], ['a', 'b']));
    assert.ok(!sameAnswer('0', ''));
  });
});

describe('the base sent back by the form', () => {
  it('is a JSON object or nothing', () => {
    assert.deepEqual(parseBase('{"title":"A"}'), { title: 'A' });
    for (const bad of [undefined, '', 'null', '[1]', '"x"', '{oops', 'x'.repeat(100_001)])
      assert.equal(parseBase(bad), undefined, String(bad).slice(0, 20));
  });
});

describe('the conflict page’s choices', () => {
  it('turns each choice into the field’s value and drops the helper fields', () => {
    const body = {
      conflit: ['title', 'scopes'],
      title__choix: 'saisie',
      title__saisie: 'Mien',
      title__enregistree: 'Leur',
      scopes__choix: 'enregistree',
      scopes__enregistree: ['a', 'b'],
      volume: 'fort',
      version: '3',
    };
    assert.deepEqual(applyConflictChoices(body, fields), {
      body: { title: 'Mien', scopes: ['a', 'b'], volume: 'fort', version: '3' },
      undecided: [],
    });
  });

  it('reports the conflicting fields left without a choice, or with an unknown one', () => {
    const body = { conflit: 'title', title__saisie: 'Mien', volume: 'fort', volume__choix: 'saisie' };
    assert.deepEqual(applyConflictChoices(body, fields).undecided, ['title']);
    assert.deepEqual(applyConflictChoices({ conflit: 'title', title__choix: 'autre' }, fields).undecided, ['title']);
  });

  it('ignores a conflict list naming fields that are not the step’s own', () => {
    assert.deepEqual(
      applyConflictChoices({ conflit: 'status', status__choix: 'saisie', status__saisie: 'validated' }, fields),
      { body: {}, undecided: [] },
    );
  });
});
