import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerChanges, shownValue } from '../../src/domain/answer-text.ts';
import { fillTemplate, parseTemplate } from '../../src/domain/decision-templates.ts';
import { decisionsFor, parseDecision } from '../../src/domain/decisions.ts';
import { eventText } from '../../src/domain/timeline.ts';
import { delayText, lastMonths, monthText, shareText } from '../../src/domain/instruction-statistics.ts';

const STEPS = [
  {
    slug: 'demarche',
    title: 'Votre démarche',
    fields: [
      { name: 'title', label: 'Intitulé' },
      { name: 'goLiveDate', label: 'Date' },
    ],
  },
  { slug: 'donnees', title: 'Données', fields: [{ name: 'scopes', label: 'Données demandées' }] },
];

describe('decisions', () => {
  it('are the instructor events the state table allows from each status', () => {
    assert.deepEqual(decisionsFor('submitted'), ['valider', 'refuser', 'modifications']);
    assert.deepEqual(decisionsFor('validated'), ['revoquer']);
    for (const status of ['draft', 'changes_requested', 'refused', 'archived', 'revoked'] as const)
      assert.deepEqual(decisionsFor(status), [], status);
  });

  it('need a reason for a refusal, a revocation and changes, and at least one flagged field for changes', () => {
    assert.deepEqual(parseDecision('valider', { version: '3' }, STEPS).problems, []);
    assert.deepEqual(
      parseDecision('refuser', { version: '3', motif: '  ' }, STEPS).problems.map((p) => p.field),
      ['motif'],
    );
    const changes = parseDecision(
      'modifications',
      { version: '3', motif: 'x', champs: ['demarche.title', 'demarche.nope', 'x.y'] },
      STEPS,
    );
    assert.deepEqual(changes.problems, []);
    assert.deepEqual(changes.input.flagged, { demarche: ['title'] }, 'only fields that exist are kept');
    assert.deepEqual(
      parseDecision('modifications', { version: '3', motif: 'x', champs: 'donnees.nope' }, STEPS).problems.map(
        (p) => p.field,
      ),
      ['champs'],
    );
    assert.deepEqual(
      parseDecision('revoquer', { motif: 'x'.repeat(5001), version: 'abc' }, STEPS).problems.map((p) => p.field),
      ['motif', 'version'],
    );
    assert.equal(parseDecision('refuser', { version: '2', motif: ' a\r\nb ' }, STEPS).input.reason, 'a\nb');
  });
});

describe('what changed between two submissions', () => {
  it('lists the fields whose answer differs, in the wizard order, ignoring blanks and the order of a list', () => {
    const before = { demarche: { title: 'A', goLiveDate: '2027-03-01' }, donnees: { scopes: ['x', 'y'] } };
    const after = { demarche: { title: 'A', goLiveDate: '2027-06-01' }, donnees: { scopes: ['y', 'x'] } };
    assert.deepEqual(
      answerChanges(STEPS, before, after).map((c) => `${c.step}.${c.field}`),
      ['demarche.goLiveDate'],
    );
    assert.deepEqual(answerChanges(STEPS, { demarche: { title: '' } }, {}), []);
    assert.equal(shownValue('2027-06-01', {}, 'goLiveDate'), '1er juin 2027');
    assert.equal(shownValue(['x'], { x: 'Attestation' }), 'Attestation');
    assert.equal(shownValue(undefined), '(vide)');
  });
});

describe('the history as sentences', () => {
  it('tells a resubmission from a first submission and names who took a request', () => {
    assert.equal(eventText('submitted', { from: 'draft' }), 'Demande soumise');
    assert.equal(eventText('submitted', { from: 'changes_requested' }), 'Demande modifiée et soumise à nouveau');
    assert.equal(
      eventText('assigned', { assigneeName: 'Irène Martin', self: true }),
      'Demande prise en charge par Irène Martin',
    );
    assert.equal(eventText('assigned', { assigneeName: 'Ivan Durand' }), 'Demande attribuée à Ivan Durand');
    assert.match(eventText('assigned', {}), /libérée/);
  });
});

describe('decision templates', () => {
  it('fill their variables and leave any other brace as it is', () => {
    assert.equal(
      fillTemplate('N° {numero} « {titre} » ({organisation}) : {lien} {autre}', {
        numero: '42',
        titre: 'Marchés',
        organisation: 'Clamart',
        lien: 'https://signup.example/demandes/42/recapitulatif',
      }),
      'N° 42 « Marchés » (Clamart) : https://signup.example/demandes/42/recapitulatif {autre}',
    );
  });

  it('refuse an unknown decision, an empty title or text, and an unknown variable, naming the possible ones', () => {
    const { problems } = parseTemplate({ genre: 'supprimer', intitule: '', texte: 'Bonjour {nom}' });
    assert.deepEqual(
      problems.map((p) => p.field),
      ['genre', 'intitule', 'texte'],
    );
    assert.match(problems[2]!.message, /\{nom\}[\s\S]*\{numero\}, \{titre\}, \{organisation\}, \{lien\}/);
    assert.deepEqual(parseTemplate({ genre: 'refuser', intitule: 'A', texte: 'B {numero}' }).problems, []);
  });
});

describe('instruction figures', () => {
  it('read as French text: delays in days, months in words, shares in percent', () => {
    assert.equal(delayText(null), '–');
    assert.equal(delayText(3600), 'moins d’un jour');
    assert.equal(delayText(86_400), '1 jour');
    assert.equal(delayText(2.54 * 86_400), '2,5 jours');
    assert.equal(monthText('2026-11'), 'novembre 2026');
    assert.equal(shareText(1, 3), '33,3\u202f%');
    assert.equal(shareText(0, 0), '–');
    assert.deepEqual(lastMonths(new Date('2027-01-15T12:00:00Z'), 3), ['2026-11', '2026-12', '2027-01']);
    assert.deepEqual(lastMonths(new Date('2026-12-31T23:30:00Z'), 1), ['2027-01'], 'le mois de Paris');
  });
});
