import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frenchTypography, typographyProblems } from '../../src/domain/typography.ts';

describe('French typography', () => {
  it('puts no-break spaces before double punctuation and inside guillemets, and curly apostrophes', () => {
    assert.equal(
      frenchTypography('Socle de base DLNUF (« Dites-le-nous une fois »)'),
      'Socle de base DLNUF («\u202fDites-le-nous une fois\u202f»)',
    );
    assert.equal(
      frenchTypography("Certification d'ingénierie : OPQIBI ; vraiment ?"),
      'Certification d’ingénierie\u00a0: OPQIBI\u202f; vraiment\u202f?',
    );
    assert.equal(frenchTypography('Déjà bien\u00a0: rien à faire'), 'Déjà bien\u00a0: rien à faire');
  });

  it('leaves what is not French punctuation alone', () => {
    for (const text of ['https://entreprise.api.gouv.fr/catalogue?q=insee', '14:32', 'a?b', "l'", 'rien'])
      assert.equal(frenchTypography(text), text, text);
  });

  it('finds ordinary spaces where no-break ones belong', () => {
    assert.deepEqual(typographyProblems(frenchTypography('Adresse : « ici » ; oui ?')), []);
    assert.equal(typographyProblems('Adresse : ici').length, 1);
    assert.equal(typographyProblems('le « mot »').length, 1);
  });
});
