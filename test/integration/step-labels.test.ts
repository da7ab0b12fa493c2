import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { findStep, postedLists } from '../../src/forms/steps/index.ts';
import { findRequestForMember } from '../../src/repositories/requests.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CLAMART, createAccount, createRequest } from '../helpers/fixtures.ts';
import { signedInClient } from '../helpers/sign-in.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());
beforeEach(() => app.reset());

const answers = {
  demarche: {
    title: 'Aides au commerce',
    description: 'Instruction des aides.',
    goLiveDate: '2027-03-01',
    volume: 'faible',
  },
  donnees: { scopes: ['attestation_fiscale_dgfip'] },
  'cadre-juridique': {
    nature: 'decret',
    reference: 'Article R2143-13',
    url: 'https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000037730589',
  },
};

describe('labels of the answers, declared once with the steps', () => {
  it('gives every choice of every step its label: from the step definition, or from the use case’s data', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr', siret: CLAMART });
    const id = await createRequest(app.db, account.id, CLAMART);
    const request = (await findRequestForMember(app.db, id, account.id))!;
    const labels = await app.services.stepRules.allChoiceLabels(request);
    assert.equal(labels.demarche!.volume!.faible, 'Moins de 1 000 appels par jour');
    assert.equal(labels['cadre-juridique']!.nature!.decret, 'Décret');
    assert.match(labels.donnees!.scopes!.attestation_fiscale_dgfip!, /^Attestation fiscale/);
    assert.deepEqual(labels.contacts, {});
  });

  it('shows labels, not stored codes, on the summary and on the read-only step of a submitted request', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr', siret: CLAMART });
    const id = await createRequest(app.db, account.id, CLAMART);
    await app
      .db('access_requests')
      .where({ id })
      .update({ answers: JSON.stringify(answers) });
    const client = await signedInClient(app.app, 'agent@clamart.fr');
    const summary = (await client.get(`/demandes/${id}/recapitulatif`)).$('main').text();
    for (const shown of ['Moins de 1 000 appels par jour', 'Décret', 'Attestation fiscale'])
      assert.ok(summary.includes(shown), shown);
    assert.ok(!summary.includes('attestation_fiscale_dgfip'));
    await app.db('access_requests').where({ id }).update({ status: 'submitted' });
    const step = (await client.get(`/demandes/${id}/donnees`)).$('main').text();
    assert.ok(
      step.includes('Attestation fiscale') && !step.includes('attestation_fiscale_dgfip'),
      'étape en lecture seule',
    );
  });

  it('ticks again the boxes a person had ticked, under the name the step’s view reads', () => {
    const donnees = findStep('donnees')!;
    assert.deepEqual(postedLists(donnees, { scopes: 'a' }), { checkedScopes: ['a'] });
    assert.deepEqual(postedLists(donnees, { scopes: ['a', 'b'] }), { checkedScopes: ['a', 'b'] });
    assert.deepEqual(postedLists(donnees, {}), { checkedScopes: [] });
    assert.deepEqual(postedLists(findStep('demarche')!, { scopes: ['a'] }), {});
  });
});
