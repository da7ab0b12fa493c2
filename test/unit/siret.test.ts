import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSiret, luhnValid, normaliseSiret, siretMessage } from '../../src/domain/siret.ts';

describe('SIRET', () => {
  it('normalises spaces, dots, dashes and non-breaking spaces', () => {
    assert.equal(normaliseSiret('130 025 265\u00a000013'), '13002526500013');
    assert.equal(normaliseSiret('130.025.265-00013'), '13002526500013');
  });

  it('accepts valid SIRETs from the directory sample', () => {
    for (const siret of ['13002526500013', '21920023500014', '66204311604119', '35600000000048']) {
      assert.deepEqual(checkSiret(siret), { ok: true, siret });
    }
  });

  it('applies La Poste’s rule: digit sum multiple of 5, although the Luhn key fails', () => {
    const laPoste = '35600000049837'; // 3+5+6+4+9+8+3+7 = 45
    assert.equal(luhnValid(laPoste), false);
    assert.deepEqual(checkSiret(laPoste), { ok: true, siret: laPoste });
    const wrong = '35600000049838'; // sum 46, Luhn fails too
    assert.equal(checkSiret(wrong).ok, false);
  });

  it('does not extend La Poste’s rule to other SIRENs', () => {
    const notLaPoste = '13002526500014'; // sum 25, Luhn fails
    assert.deepEqual(checkSiret(notLaPoste), { ok: false, siret: notLaPoste, problem: 'checksum' });
  });

  const bad: [string, string, RegExp][] = [
    ['', 'empty', /Saisissez le numéro SIRET/],
    ['1300252650001A', 'characters', /que des chiffres/],
    ['1300252650001', 'length', /14 chiffres \(vous en avez saisi 13\)/],
    ['130025265000133', 'length', /vous en avez saisi 15/],
    ['13002526500012', 'checksum', /un chiffre est probablement erroné/],
  ];
  for (const [input, problem, message] of bad) {
    it(`rejects « ${input} » (${problem}) with an example in the message`, () => {
      const check = checkSiret(input);
      assert.equal(check.ok, false);
      if (check.ok) return;
      assert.equal(check.problem, problem);
      assert.match(siretMessage(check), message);
      assert.match(siretMessage(check), /13002526500013/);
    });
  }
});
