import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CLAMART, createAccount, createRequest } from '../helpers/fixtures.ts';
import { errorSummaryTargets, type Page, type PageClient } from '../helpers/page-client.ts';
import { signedInClient } from '../helpers/sign-in.ts';

/**
 * Every field of every step, with its bad inputs (without JavaScript): each gets a 422, the field flagged and described
 * by a French message that says what to do with an example, a summary link to it, and the value typed kept.
 * Then each step complete (« Continuer » → next step) and partial (« Enregistrer le brouillon » → same step).
 */
let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());
beforeEach(() => app.reset());

const STEP_FORM = 'form[action^="/demandes/"]:has(button[value="continuer"])';
const long = (n: number) => 'a'.repeat(n);

const contact = (role: string) => ({
  [`${role}GivenName`]: 'Marie',
  [`${role}FamilyName`]: 'Durand',
  [`${role}Email`]: 'marie.durand@clamart.fr',
  [`${role}Phone`]: '01 23 45 67 89',
  [`${role}JobTitle`]: 'Juriste',
});
const COMPLETE: Record<string, Record<string, string>> = {
  demarche: {
    title: 'Aides au commerce',
    description: 'Instruction des demandes d’aide.',
    goLiveDate: '2027-03-01',
    volume: 'faible',
  },
  donnees: { scopes: 'attestation_fiscale_dgfip' },
  'cadre-juridique': {
    nature: 'deliberation',
    reference: 'Délibération n° 2026-12 du conseil municipal',
    url: 'https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000037730589',
  },
  'donnees-personnelles': {
    recipients: 'Les agents du service des aides',
    retentionMonths: '36',
    retentionJustification: '',
  },
  contacts: { ...contact('dpo'), ...contact('controller'), ...contact('business'), ...contact('technical') },
  cgu: { accept: 'oui', dpoInformed: 'oui' },
};
const NEXT: Record<string, string> = {
  demarche: 'donnees',
  donnees: 'cadre-juridique',
  'cadre-juridique': 'donnees-personnelles',
  'donnees-personnelles': 'contacts',
  contacts: 'cgu',
  cgu: 'recapitulatif',
};

type Case = { step: string; field: string; value: string; message: RegExp; strict?: boolean; kind?: 'group' };
const CASES: Case[] = [
  { step: 'demarche', field: 'title', value: '', message: /Donnez un intitulé.+par exemple/, strict: true },
  { step: 'demarche', field: 'title', value: long(201), message: /ne doit pas dépasser 200 caractères/ },
  { step: 'demarche', field: 'description', value: '   ', message: /Décrivez votre démarche/, strict: true },
  { step: 'demarche', field: 'description', value: long(5001), message: /ne doit pas dépasser 5000 caractères/ },
  { step: 'demarche', field: 'title', value: 'Aides\nObjet : faux', message: /ni retour à la ligne/ },
  { step: 'cadre-juridique', field: 'reference', value: 'Article\tR2143-13', message: /ni tabulation/ },
  {
    step: 'demarche',
    field: 'goLiveDate',
    value: '31/02/2027',
    message: /Cette date n’existe pas : vérifiez le jour et le mois/,
  },
  {
    step: 'demarche',
    field: 'goLiveDate',
    value: '1er mars',
    message: /format JJ\/MM\/AAAA, par exemple 01\/03\/2027/,
  },
  {
    step: 'demarche',
    field: 'goLiveDate',
    value: '',
    message: /date de mise en service prévue, par exemple/,
    strict: true,
  },
  { step: 'demarche', field: 'volume', value: 'enorme', message: /Choisissez le volume/, kind: 'group' },
  {
    step: 'donnees',
    field: 'scopes',
    value: '',
    message: /Cochez au moins une donnée, par exemple/,
    strict: true,
    kind: 'group',
  },
  { step: 'cadre-juridique', field: 'nature', value: 'coutume', message: /Choisissez la nature du texte/ },
  { step: 'cadre-juridique', field: 'reference', value: long(501), message: /ne doit pas dépasser 500 caractères/ },
  { step: 'cadre-juridique', field: 'reference', value: '', message: /référence du texte, par exemple/, strict: true },
  {
    step: 'cadre-juridique',
    field: 'url',
    value: 'http://www.legifrance.gouv.fr/texte',
    message: /https:\/\/, par exemple/,
  },
  { step: 'cadre-juridique', field: 'url', value: 'javascript:alert(1)', message: /https:\/\//, strict: true },
  {
    step: 'donnees-personnelles',
    field: 'recipients',
    value: long(2001),
    message: /ne doit pas dépasser 2000 caractères/,
  },
  { step: 'donnees-personnelles', field: 'retentionMonths', value: 'trois ans', message: /en mois, par exemple 36/ },
  { step: 'donnees-personnelles', field: 'retentionMonths', value: '0', message: /au moins 1 mois/ },
  { step: 'donnees-personnelles', field: 'retentionMonths', value: '241', message: /240 mois/ },
  {
    step: 'donnees-personnelles',
    field: 'retentionMonths',
    value: '12.5',
    message: /nombre entier de mois, par exemple 36/,
  },
  {
    step: 'donnees-personnelles',
    field: 'retentionJustification',
    value: '',
    message: /Au-delà de 36 mois, justifiez/,
    strict: true,
  },
  {
    step: 'contacts',
    field: 'dpoEmail',
    value: 'dpd-at-clamart.fr',
    message: /L’adresse électronique du délégué ou de la déléguée à la protection des données n’est pas valide/,
  },
  {
    step: 'contacts',
    field: 'technicalPhone',
    value: '12345',
    message:
      /Le numéro de téléphone de l’interlocuteur ou interlocutrice technique doit comporter 10 chiffres, par exemple/,
  },
  {
    step: 'contacts',
    field: 'businessGivenName',
    value: long(101),
    message: /Le prénom de l’interlocuteur ou interlocutrice métier ne doit pas dépasser 100 caractères/,
  },
  {
    step: 'contacts',
    field: 'controllerFamilyName',
    value: '',
    message: /Saisissez le nom du ou de la responsable du traitement/,
    strict: true,
  },
  {
    step: 'cgu',
    field: 'accept',
    value: '',
    message: /Acceptez les conditions générales/,
    strict: true,
    kind: 'group',
  },
  {
    step: 'cgu',
    field: 'dpoInformed',
    value: 'non',
    message: /Confirmez que votre délégué/,
    strict: true,
    kind: 'group',
  },
];

async function stepPage(): Promise<{ client: PageClient; id: string }> {
  const account = await createAccount(app.db, { email: 'agent@clamart.fr', siret: CLAMART });
  const id = await createRequest(app.db, account.id, CLAMART);
  return { client: await signedInClient(app.app, account.email), id };
}

function assertFlagged(page: Page, { field, value, message, kind }: Case): void {
  assert.equal(page.status, 422);
  assert.match(page.$('title').text(), /^Erreur : /);
  const targets = errorSummaryTargets(page);
  assert.ok(
    targets.some((t) => t.href === `#${field}` && t.exists),
    `lien du récapitulatif vers #${field}`,
  );
  assert.match(page.$(`#${field}-erreur`).text(), message);
  if (field === 'scopes') {
    const groups = page.$('#scopes fieldset').toArray();
    assert.ok(groups.length > 1);
    for (const group of groups) assert.match(page.$(group).attr('aria-labelledby') ?? '', /scopes-erreur/);
    return;
  }
  if (kind === 'group') {
    assert.ok(page.$(`fieldset#${field}`).hasClass('fr-fieldset--error'));
    assert.match(page.$(`fieldset#${field}`).attr('aria-labelledby') ?? '', new RegExp(`${field}-messages`));
    return;
  }
  const control = page.$(`#${field}`);
  assert.equal(control.attr('aria-invalid'), 'true');
  assert.match(control.attr('aria-describedby') ?? '', new RegExp(`${field}-messages`));
  const kept = control.is('textarea')
    ? control.text()
    : control.is('select')
      ? (control.find('option:selected').attr('value') ?? '')
      : (control.attr('value') ?? '');
  if (!control.is('select')) assert.equal(kept, value, 'la saisie est gardée telle quelle');
}

describe('bad inputs, field by field', () => {
  for (const c of CASES) {
    it(`${c.step} › ${c.field} = ${JSON.stringify(c.value.length > 30 ? `${c.value.slice(0, 10)}… (${c.value.length})` : c.value)} (${c.strict ? 'Continuer' : 'brouillon'})`, async () => {
      const { client, id } = await stepPage();
      await client.get(`/demandes/${id}/${c.step}`);
      // the other fields filled in where the case needs them: a contact left entirely empty is summarised as a whole
      const values =
        c.step === 'donnees-personnelles' && c.field === 'retentionJustification'
          ? { ...COMPLETE[c.step], retentionMonths: '48' }
          : c.step === 'contacts' && c.strict
            ? COMPLETE.contacts
            : {};
      const page = await client.submit(
        { ...values, [c.field]: c.value, action: c.strict ? 'continuer' : 'enregistrer' },
        { selector: STEP_FORM },
      );
      assertFlagged(page, c);
      const row = await app.db('access_requests').where({ id }).first();
      assert.equal(row.version, 1, 'rien n’est enregistré');
    });
  }
});

describe('multi-line fields', () => {
  it('keep line breaks and tabs, and lose NUL and other control characters', async () => {
    const { client, id } = await stepPage();
    await client.get(`/demandes/${id}/demarche`);
    const page = await client.submit(
      { description: 'Première ligne\n\tseconde\u0000 ligne\u0007', action: 'enregistrer' },
      { selector: STEP_FORM },
    );
    assert.equal(page.status, 303);
    const row = await app.db('access_requests').where({ id }).first();
    assert.equal(row.answers.demarche.description, 'Première ligne\n\tseconde ligne');
  });
});

describe('the contacts step left empty', () => {
  it('summarises each empty contact once, while each of its fields names itself and its contact', async () => {
    const { client, id } = await stepPage();
    await client.get(`/demandes/${id}/contacts`);
    const page = await client.submit({ action: 'continuer' }, { selector: STEP_FORM });
    assert.equal(page.status, 422);
    const summary = page
      .$('#resume-erreurs li')
      .toArray()
      .map((li) => page.$(li).text().trim());
    assert.deepEqual(summary, [
      'Renseignez les coordonnées du délégué ou de la déléguée à la protection des données : prénom, nom, adresse électronique, téléphone et fonction',
      'Renseignez les coordonnées du ou de la responsable du traitement : prénom, nom, adresse électronique, téléphone et fonction',
      'Renseignez les coordonnées de l’interlocuteur ou interlocutrice métier : prénom, nom, adresse électronique, téléphone et fonction',
      'Renseignez les coordonnées de l’interlocuteur ou interlocutrice technique : prénom, nom, adresse électronique, téléphone et fonction',
    ]);
    assert.deepEqual(
      errorSummaryTargets(page).map((t) => [t.href, t.exists]),
      ['dpo', 'controller', 'business', 'technical'].map((role) => [`#${role}GivenName`, true]),
    );
    const inline = page
      .$('.fr-message--error')
      .toArray()
      .map((p) => page.$(p).text().trim());
    assert.equal(inline.length, 20);
    assert.equal(new Set(inline).size, 20, 'no two fields share a message');
    assert.ok(inline.includes('Saisissez la fonction du ou de la responsable du traitement'));
    assert.ok(
      inline.includes(
        'Saisissez le numéro de téléphone de l’interlocuteur ou interlocutrice métier, par exemple 01 23 45 67 89',
      ),
    );
    assert.doesNotMatch(page.html, /pour le interlocuteur|du interlocuteur|Saisissez ce champ/);
  });
});

describe('each step, complete and partial', () => {
  for (const [step, values] of Object.entries(COMPLETE)) {
    it(`${step}: complete → next step; partial draft → same step, saved`, async () => {
      const { client, id } = await stepPage();
      await client.get(`/demandes/${id}/${step}`);
      const [first, ...rest] = Object.entries(values);
      const partial = await client.submit(
        { ...Object.fromEntries(rest.map(([k]) => [k, ''])), [first![0]]: first![1], action: 'enregistrer' },
        { selector: STEP_FORM },
      );
      assert.equal(partial.status, 303);
      assert.equal(partial.location, `/demandes/${id}/${step}`);
      await client.get(`/demandes/${id}/${step}`);
      const complete = await client.post(`/demandes/${id}/${step}`, {
        ...client.formFields(STEP_FORM).fields,
        ...values,
        action: 'continuer',
      });
      assert.equal(complete.status, 303, complete.$('#resume-erreurs').text());
      assert.equal(complete.location, `/demandes/${id}/${NEXT[step]}`);
      const row = await app.db('access_requests').where({ id }).first();
      assert.ok(row.answers[step], 'étape enregistrée');
    });
  }
});
