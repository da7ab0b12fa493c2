/**
 * Every use case a person can choose leads to a request that can be completed: the data step as each use case shows
 * it (locked scopes ticked, hidden ones absent), continued as a person would, then the summary with six complete
 * steps. « Socle de base » locks all its scopes ticked: nothing to tick, and it continues.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CLAMART, createAccount } from '../helpers/fixtures.ts';
import type { PageClient } from '../helpers/page-client.ts';
import { signedInClient } from '../helpers/sign-in.ts';

type UseCase = {
  id: string;
  label: string;
  scopes: string[];
  disabled_scopes: string[];
  hidden_scopes: string[];
  included_open_data_scopes: string[];
  startable_by_applicant: boolean;
};
const catalogue = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../../data/api-entreprise-catalogue.json'), 'utf8'),
) as { use_cases: UseCase[] };
const offered = catalogue.use_cases.filter((u) => u.startable_by_applicant);

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());
beforeEach(() => app.reset());

const contact = (role: string) => ({
  [`${role}GivenName`]: 'Marie',
  [`${role}FamilyName`]: 'Durand',
  [`${role}Email`]: 'marie.durand@clamart.fr',
  [`${role}Phone`]: '01 23 45 67 89',
  [`${role}JobTitle`]: 'Juriste',
});
const OTHER_STEPS: [string, Record<string, string>][] = [
  [
    'cadre-juridique',
    {
      nature: 'deliberation',
      reference: 'Délibération n° 2026-12 du conseil municipal',
      url: 'https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000037730589',
    },
  ],
  ['donnees-personnelles', { recipients: 'Les agents du service des aides', retentionMonths: '36' }],
  ['contacts', { ...contact('dpo'), ...contact('controller'), ...contact('business'), ...contact('technical') }],
  ['cgu', { accept: 'oui', dpoInformed: 'oui' }],
];

async function continueStep(
  client: PageClient,
  id: string,
  slug: string,
  values: Record<string, string | string[]>,
): Promise<string | undefined> {
  await client.get(`/demandes/${id}/${slug}`);
  const form = client.formFields('#formulaire-etape');
  const page = await client.post(form.action, {
    ...form.fields,
    ...(values as Record<string, string>),
    action: 'continuer',
  });
  assert.equal(page.status, 303, `${slug} : ${page.$('#resume-erreurs').text().trim()}`);
  return page.location;
}

describe('every use case offered can be completed to the summary', () => {
  for (const useCase of offered) {
    it(useCase.label, async () => {
      const account = await createAccount(app.db, { email: 'agent@clamart.fr', siret: CLAMART });
      const client = await signedInClient(app.app, account.email);
      await client.get(`/demandes/nouvelle?cas-usage=${useCase.id}`);
      assert.equal(
        client.last!.$('input[name="useCase"]:checked').attr('value'),
        useCase.id,
        '« Faire une demande » arrive avec ce cas d’usage choisi',
      );
      const created = await client.submit({}, { selector: 'form[action="/demandes/nouvelle"]' });
      const id =
        /^\/demandes\/(\d+)\/demarche$/.exec(created.location ?? '')?.[1] ??
        assert.fail(`création : ${created.status} ${created.location}`);
      await continueStep(client, id, 'demarche', {
        title: `Démarche ${useCase.id}`,
        description: 'Une démarche.',
        goLiveDate: '01/03/2027',
        volume: 'faible',
      });

      const step = await client.get(`/demandes/${id}/donnees`);
      const labels = step
        .$('input[name="scopes"] + label')
        .toArray()
        .map((label) => step.$(label).contents().first().text().trim());
      assert.equal(new Set(labels).size, labels.length, `no two data with the same name: ${labels.join(' | ')}`);
      for (const label of labels) assert.doesNotMatch(label, /- (.+) \(\1\)$/i, `the provider once: ${label}`);
      assert.doesNotMatch(step.$('main').text(), /Carte professionnelles|Dites-le nous|d'/);
      const box = (scope: string) => step.$(`input[name="scopes"][value="${scope}"]`);
      const locked = useCase.disabled_scopes.filter((s) => useCase.scopes.includes(s));
      for (const scope of locked)
        assert.ok(box(scope).is(':checked') && box(scope).is(':disabled'), `${scope} : verrouillée cochée`);
      for (const scope of useCase.disabled_scopes.filter((s) => !locked.includes(s)))
        assert.ok(!box(scope).is(':checked') && box(scope).is(':disabled'), `${scope} : verrouillée décochée`);
      for (const scope of useCase.hidden_scopes) assert.equal(box(scope).length, 0, `${scope} : masquée`);
      // A person ticks one box when the use case ticks nothing that counts (« éditeurs », « Demande libre »).
      const ticked = step
        .$('input[name="scopes"]:checked:not(:disabled)')
        .toArray()
        .map((el) => step.$(el).attr('value') as string);
      const tick =
        ticked.length || locked.length
          ? []
          : [step.$('input[name="scopes"]:not(:disabled)').first().attr('value') as string];
      const form = client.formFields('#formulaire-etape');
      const scopes = [...ticked, ...tick];
      const answer = await client.agent
        .post(form.action)
        .type('form')
        .send(
          `${new URLSearchParams({ ...form.fields, action: 'continuer' }).toString()}${scopes.map((s) => `&scopes=${encodeURIComponent(s)}`).join('')}`,
        );
      assert.equal(answer.status, 303, `données : ${answer.text.slice(0, 300)}`);
      const stored = (await app.db('access_requests').where({ id }).first()).answers.donnees.scopes as string[];
      for (const scope of [...locked, ...useCase.included_open_data_scopes, ...scopes])
        assert.ok(stored.includes(scope), `${scope} enregistrée`);

      for (const [slug, values] of OTHER_STEPS) await continueStep(client, id, slug, values);
      const summary = await client.get(`/demandes/${id}/recapitulatif`);
      assert.equal(
        summary.$('main section .fr-badge').filter((_i, b) => summary.$(b).text().trim() === 'Complète').length,
        6,
        'les six étapes sont complètes',
      );
      const contacts = summary
        .$('#etape-contacts .signup-summary-list__lines')
        .first()
        .find('li')
        .toArray()
        .map((li) =>
          summary
            .$(li)
            .text()
            .replace(/[ \t\n]+/g, ' ')
            .trim(),
        );
      assert.deepEqual(
        contacts,
        [
          'Prénom\u00a0: Marie',
          'Nom\u00a0: Durand',
          'Adresse électronique\u00a0: marie.durand@clamart.fr',
          'Téléphone\u00a0: 01 23 45 67 89',
          'Fonction\u00a0: Juriste',
        ],
        'each part of a contact is named',
      );
      assert.match(summary.$('#etape-demarche').text(), /1er mars 2027/, 'the date in words');
    });
  }
});

describe('a step never opened', () => {
  it('keeps the request from being submitted, even when the use case locks all its data (« Socle de base »)', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr', siret: CLAMART });
    const client = await signedInClient(app.app, account.email);
    await client.get('/demandes/nouvelle?cas-usage=socle_de_base');
    const created = await client.submit({}, { selector: 'form[action="/demandes/nouvelle"]' });
    const id =
      /^\/demandes\/(\d+)\/demarche$/.exec(created.location ?? '')?.[1] ?? assert.fail(`création : ${created.status}`);
    await continueStep(client, id, 'demarche', {
      title: 'Démarche',
      description: 'Une démarche.',
      goLiveDate: '01/03/2027',
      volume: 'faible',
    });
    for (const [slug, values] of OTHER_STEPS) await continueStep(client, id, slug, values);
    const summary = await client.get(`/demandes/${id}/recapitulatif`);
    assert.equal(summary.$('#etape-donnees .fr-badge').text().trim(), 'À compléter', 'the data step was never opened');
    const refused = await client.submit(
      { certification: 'oui' },
      { selector: `form[action="/demandes/${id}/soumettre"]` },
    );
    assert.equal(refused.status, 422);
    assert.match(refused.$('#resume-erreurs').text(), /Complétez l’étape «\u202fDonnées\u202f»/);
    assert.equal((await app.db('access_requests').where({ id }).first()).status, 'draft');
  });
});
