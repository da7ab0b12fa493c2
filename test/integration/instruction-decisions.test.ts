/**
 * A request's instruction page and the decisions taken on it: every answer, the organisation, the history and what
 * changed since the previous submission; each decision through the transition use case with its guard, its reason,
 * its emails (right recipients, once each), a stale page and two instructors deciding at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CLAMART, COMPLETE_ANSWERS, createAccount, createRequest } from '../helpers/fixtures.ts';
import { emailsTo } from '../helpers/mailbox.ts';
import { requestContacts } from '../../src/forms/steps/contacts.ts';
import { bodyCells, errorSummaryTargets, type PageClient } from '../helpers/page-client.ts';
import { signedInClient } from '../helpers/sign-in.ts';

const STEP_FORM = 'form[action^="/demandes/"]:has(button[value="continuer"])';
let app: TestApp;
let applicant: PageClient;
let instructor: PageClient;
let second: PageClient;
let applicantId: string;

before(async () => {
  app = await startTestApp();
  applicantId = (await createAccount(app.db, { email: 'agent@clamart.fr', siret: CLAMART, givenName: 'Hélène' })).id;
  await createAccount(app.db, { email: 'irene@api-entreprise.gouv.fr', roles: ['instructor'], givenName: 'Irène' });
  await createAccount(app.db, { email: 'ivan@api-entreprise.gouv.fr', roles: ['instructor'], givenName: 'Ivan' });
  await createAccount(app.db, { email: 'rapporteur@api-entreprise.gouv.fr', roles: ['reporter'] });
  applicant = await signedInClient(app.app, 'agent@clamart.fr');
  instructor = await signedInClient(app.app, 'irene@api-entreprise.gouv.fr');
  second = await signedInClient(app.app, 'ivan@api-entreprise.gouv.fr');
});
after(() => app.stop());

/** A complete draft, submitted by the applicant through the summary's form (the real transition). */
async function submitted(): Promise<string> {
  const id = await createRequest(app.db, applicantId, CLAMART);
  await app
    .db('access_requests')
    .where({ id })
    .update({ answers: JSON.stringify(COMPLETE_ANSWERS), title: COMPLETE_ANSWERS.demarche.title });
  await applicant.get(`/demandes/${id}/recapitulatif`);
  const sent = await applicant.submit(
    { certification: 'oui' },
    { selector: `form[action="/demandes/${id}/soumettre"]` },
  );
  assert.equal(sent.status, 303);
  return id;
}

const templates = async (address: string) => (await emailsTo(app.db, address)).map((m) => m.template);
const status = async (id: string) =>
  ((await app.db('access_requests').where({ id }).first()) as { status: string }).status;

describe('the instruction page of a request', () => {
  it('shows every answer, the organisation as the directory knows it, the applicant and the history', async () => {
    const id = await submitted();
    const page = await instructor.get(`/instruction/demandes/${id}`);
    assert.equal(page.status, 200);
    assert.equal(page.$('h1').text().trim(), `Demande n° ${id}\u00a0: Aides au commerce de proximité`);
    assert.match(page.$('#reponses').text(), /Moins de 1 000 appels par jour/); // a choice's label, not its code
    assert.match(page.$('#reponses').text(), /dpo\.lea@clamart\.fr/);
    assert.match(page.$('#organisation').text(), /SIRET\s*21920023500014/);
    assert.match(page.$('#organisation').text(), /Éligible à l’API Entreprise\s*Oui/);
    assert.match(page.$('#demande-resume').text(), /agent@clamart\.fr/);
    assert.match(page.$('#historique').text(), /Demande soumise[\s\S]*par Hélène/);
    assert.deepEqual(
      page
        .$('#decisions ~ ul a')
        .toArray()
        .map((a) => page.$(a).attr('href')),
      ['valider', 'refuser', 'modifications'].map((k) => `/instruction/demandes/${id}/${k}`),
    );
    assert.equal(page.$('#changements').length, 0, 'une seule soumission : rien à comparer');
  });

  it('is not found for a draft, an unknown number, and for applicants; reporters read it but cannot decide', async () => {
    const draft = await createRequest(app.db, applicantId, CLAMART);
    assert.equal((await instructor.get(`/instruction/demandes/${draft}`)).status, 404);
    assert.equal((await instructor.get('/instruction/demandes/99999999')).status, 404);
    assert.equal((await instructor.get('/instruction/demandes/abc')).status, 404);
    const id = await submitted();
    assert.equal((await applicant.get(`/instruction/demandes/${id}`)).status, 404);
    const reporter = await signedInClient(app.app, 'rapporteur@api-entreprise.gouv.fr');
    const read = await reporter.get(`/instruction/demandes/${id}`);
    assert.equal(read.status, 200);
    assert.equal(read.$('#decisions').length, 0);
    assert.equal((await reporter.get(`/instruction/demandes/${id}/valider`)).status, 404);
    await instructor.get(`/instruction/demandes/${id}/valider`);
    const token = instructor.csrfToken();
    const forged = await reporter.post(`/instruction/demandes/${id}/valider`, { _csrf: token, version: '2' });
    assert.ok([403, 404].includes(forged.status), String(forged.status));
    assert.equal(await status(id), 'submitted');
  });
});

describe('decisions', () => {
  it('asks for changes with a reason and flagged fields; the resubmission shows what changed, and instructors are told it is modified', async () => {
    const id = await submitted();
    const form = await instructor.get(`/instruction/demandes/${id}/modifications`);
    assert.equal(form.status, 200);
    const missing = await instructor.submit({ motif: '  ' }, { selector: 'main form' });
    assert.equal(missing.status, 422);
    assert.match(missing.$('title').text(), /^Erreur/);
    assert.equal(missing.$('#resume-erreurs li').length, 2);
    assert.ok(errorSummaryTargets(missing).every((t) => t.exists));
    const done = await instructor.submit(
      { motif: 'Précisez la date de mise en service.', champs: 'demarche.goLiveDate' },
      { selector: 'main form' },
    );
    assert.equal(done.status, 303);
    assert.equal(done.location, `/instruction/demandes/${id}`);
    assert.equal(await status(id), 'changes_requested');
    const mail = (await emailsTo(app.db, 'agent@clamart.fr')).at(-1)!;
    assert.equal(mail.template, 'modifications-demandees');
    assert.match(mail.text, /Précisez la date de mise en service/);
    assert.match(mail.text, /Votre démarche\u00a0: Date de mise en service prévue/);
    assert.match(mail.text, new RegExp(`/demandes/${id}/recapitulatif`));

    const summary = await applicant.get(`/demandes/${id}/recapitulatif`);
    assert.match(summary.$('#decision').text(), /Modifications demandées par l’instruction[\s\S]*Précisez la date/);
    assert.equal(
      summary.$('#decision a').attr('href'),
      `/demandes/${id}/demarche#goLiveDate`,
      'le champ signalé est un lien vers lui',
    );
    const step = await applicant.get(`/demandes/${id}/demarche`);
    assert.match(step.$('#decision').text(), /Votre démarche\u00a0: Date de mise en service prévue/);
    assert.equal(step.$('#goLiveDate').length, 1);
    assert.match(step.$('#goLiveDate-messages').text(), /À modifier/, 'le champ le dit, en mots');
    assert.match(step.$('#goLiveDate').attr('aria-describedby') ?? '', /goLiveDate-messages/);
    assert.equal(step.$('#title-messages .signup-flag').length, 0, 'les autres champs, non');
    const edited = await applicant.submit(
      { title: 'Aides au commerce de proximité', goLiveDate: '01/06/2027', action: 'continuer' },
      { selector: STEP_FORM },
    );
    assert.equal(edited.status, 303);
    await applicant.get(`/demandes/${id}/recapitulatif`);
    await applicant.submit({ certification: 'oui' }, { selector: `form[action="/demandes/${id}/soumettre"]` });
    assert.equal(await status(id), 'submitted');
    assert.equal(
      (await applicant.get(`/demandes/${id}/recapitulatif`)).$('#decision').length,
      0,
      'plus rien à modifier',
    );
    assert.equal((await templates('irene@api-entreprise.gouv.fr')).filter((t) => t === 'demande-modifiee').length, 1);
    const page = await instructor.get(`/instruction/demandes/${id}`);
    const rows = bodyCells(page, page.$('#changements')).map((cells) => cells.join(' | '));
    assert.deepEqual(rows, ['Votre démarche | Date de mise en service prévue | 1er mars 2027 | 1er juin 2027']);
    assert.match(
      page.$('#historique').text(),
      /Modifications demandées[\s\S]*Précisez la date[\s\S]*modifiée et soumise à nouveau/,
    );
  });

  it('validates once: a stale page is refused, a replay changes and sends nothing, and only the applicant is told', async () => {
    const id = await submitted();
    await instructor.get(`/instruction/demandes/${id}/valider`);
    const stale = await instructor.submit({ version: '1' }, { selector: 'main form' });
    assert.equal(stale.status, 409);
    assert.match(stale.$('main').text(), /Votre décision n’a pas été enregistrée/);
    assert.equal(await status(id), 'submitted');
    await instructor.get(`/instruction/demandes/${id}/valider`);
    const { fields } = instructor.formFields('main form');
    const done = await instructor.post(`/instruction/demandes/${id}/valider`, { ...fields, motif: 'Bienvenue.' });
    assert.equal(done.status, 303);
    const replay = await instructor.post(`/instruction/demandes/${id}/valider`, { ...fields, motif: 'Bienvenue.' });
    assert.equal(replay.status, 303);
    const shown = await instructor.get(replay.location!);
    assert.match(shown.$('[role="status"]').text(), /déjà enregistrée/);
    assert.equal(await status(id), 'validated');
    assert.equal((await app.db('request_events').where({ request_id: id, kind: 'validated' })).length, 1);
    const sent = (await emailsTo(app.db, 'agent@clamart.fr')).filter((m) => m.template === 'demande-validee');
    assert.equal(sent.length, 1);
    assert.match(sent[0]!.text, /Bienvenue\./);
    assert.equal(
      await app
        .db('emails')
        .where({ template: 'demande-validee' })
        .whereNot({ to_address: 'agent@clamart.fr' })
        .first(),
      undefined,
    );
  });

  it('two instructors deciding at once: one wins, the other is told what happened, nothing is applied or sent twice', async () => {
    const id = await submitted();
    await instructor.get(`/instruction/demandes/${id}/valider`);
    const validate = instructor.formFields('main form').fields;
    await second.get(`/instruction/demandes/${id}/refuser`);
    const refuse = { ...second.formFields('main form').fields, motif: 'Cadre juridique insuffisant.' };
    const before = (await app.db('emails').pluck('id')) as string[];
    const [a, b] = await Promise.all([
      instructor.post(`/instruction/demandes/${id}/valider`, validate),
      second.post(`/instruction/demandes/${id}/refuser`, refuse),
    ]);
    const statuses = [a.status, b.status].sort();
    assert.deepEqual(statuses, [303, 409]);
    const loser = a.status === 409 ? a : b;
    const final = await status(id);
    assert.match(
      loser.$('main').text(),
      final === 'validated' ? /Demande validée[\s\S]*par Irène/ : /Demande refusée[\s\S]*par Ivan/,
    );
    const events = await app.db('request_events').where({ request_id: id }).whereIn('kind', ['validated', 'refused']);
    assert.equal(events.length, 1);
    // The winner's emails, once each: the applicant's decision, and on validation each contact's access or notice.
    const sent = (await app.db('emails').whereNotIn('id', before).select('template', 'to_address')) as {
      template: string;
      to_address: string;
    }[];
    const pairs = sent.map((e) => `${e.template} ${e.to_address}`);
    assert.equal(new Set(pairs).size, pairs.length, pairs.join(', '));
    const decision = final === 'validated' ? 'demande-validee' : 'demande-refusee';
    assert.deepEqual(
      sent.filter((e) => e.template === decision).map((e) => e.to_address),
      ['agent@clamart.fr'],
    );
    const contacts = new Set(requestContacts(COMPLETE_ANSWERS).map((c) => c.email));
    assert.equal(sent.length, final === 'validated' ? 1 + contacts.size : 1, pairs.join(', '));
  });

  it('refuses with a required reason, then no decision is offered; revoking a validated request tells the applicant and each contact once', async () => {
    const id = await submitted();
    await instructor.get(`/instruction/demandes/${id}/refuser`);
    assert.equal((await instructor.submit({ motif: '' }, { selector: 'main form' })).status, 422);
    assert.equal(instructor.last!.$('#motif').text(), '');
    const long = await instructor.submit({ motif: 'x'.repeat(5001) }, { selector: 'main form' });
    assert.equal(long.status, 422);
    assert.match(long.$('#resume-erreurs').text(), /5000 caractères au plus/);
    assert.equal(long.$('#motif').text().length, 5001, 'ce qui a été tapé est rendu');
    await instructor.get(`/instruction/demandes/${id}/refuser`);
    assert.equal((await instructor.submit({ motif: 'Hors du champ.' }, { selector: 'main form' })).status, 303);
    const refusal = (await emailsTo(app.db, 'agent@clamart.fr')).at(-1)!;
    assert.equal(refusal.template, 'demande-refusee');
    assert.match(refusal.text, /Motif\u00a0: Hors du champ\./);
    const page = await instructor.get(`/instruction/demandes/${id}`);
    assert.equal(page.$('#decisions').length, 0);
    assert.equal((await instructor.get(`/instruction/demandes/${id}/valider`)).status, 409);

    const other = await submitted();
    await instructor.get(`/instruction/demandes/${other}/valider`);
    await instructor.submit({}, { selector: 'main form' });
    await instructor.get(`/instruction/demandes/${other}/revoquer`);
    assert.equal((await instructor.submit({ motif: 'Usage détourné.' }, { selector: 'main form' })).status, 303);
    assert.equal(await status(other), 'revoked');
    const recipients = (await app.db('emails').where({ template: 'habilitation-revoquee' }).pluck('to_address')).sort();
    assert.deepEqual(recipients, [
      'agent@clamart.fr',
      'business.lea@clamart.fr',
      'controller.lea@clamart.fr',
      'dpo.lea@clamart.fr',
      'technical.lea@clamart.fr',
    ]);
  });
});

describe('decision templates', () => {
  it('are managed by admins (audited) and inserted on a decision page, filled in, after what was typed', async () => {
    await createAccount(app.db, { email: 'support@api-entreprise.gouv.fr', roles: ['admin'] });
    const admin = await signedInClient(app.app, 'support@api-entreprise.gouv.fr');
    await admin.get('/admin/modeles');
    const wrong = await admin.submit(
      { genre: 'refuser', intitule: 'Hors champ', texte: 'Bonjour {nom}' },
      { selector: 'form[action="/admin/modeles"]' },
    );
    assert.equal(wrong.status, 422);
    assert.equal(wrong.$('#intitule').attr('value'), 'Hors champ', 'ce qui a été tapé est gardé');
    assert.match(wrong.$('#resume-erreurs').text(), /Variable inconnue\u00a0: \{nom\}/);
    const created = await admin.submit(
      { texte: 'La demande n° {numero} « {titre} » sort du champ. Voir {lien}' },
      { selector: 'form[action="/admin/modeles"]' },
    );
    assert.equal(created.status, 303);
    const list = await admin.get('/admin/modeles');
    const href = list.$('a:contains("Hors champ")').attr('href')!;
    assert.match(href, /^\/admin\/modeles\/\d+$/);
    assert.equal((await app.db('audit_log').where({ action: 'decision_template.create' })).length, 1);

    const id = await submitted();
    await instructor.get(`/instruction/demandes/${id}/refuser`);
    const option = instructor.last!.$('#modele option:contains("Hors champ")').attr('value')!;
    const inserted = await instructor.submit(
      { motif: 'Bonjour,', modele: option, action: 'modele' },
      { selector: 'main form' },
    );
    assert.equal(inserted.status, 200);
    assert.equal(
      inserted.$('#motif').text(),
      `Bonjour,\n\nLa demande n° ${id} « Aides au commerce de proximité » sort du champ. Voir http://127.0.0.1/demandes/${id}/recapitulatif`,
    );
    assert.equal(await status(id), 'submitted', 'insérer un modèle ne décide rien');
    const { fields } = instructor.formFields('main form');
    assert.equal((await instructor.post(`/instruction/demandes/${id}/refuser`, { ...fields, action: '' })).status, 303);
    assert.equal(await status(id), 'refused');

    await admin.get(href);
    assert.equal((await admin.submit({}, { selector: `form[action="${href}/supprimer"]` })).status, 303);
    assert.equal((await admin.get(href)).status, 404);
  });
});

describe('statistics', () => {
  it('count requests per status and per month, the delays to a first and a final decision, the share sent back; applicants read the expected delay', async () => {
    const page = await instructor.get('/instruction/statistiques');
    assert.equal(page.status, 200);
    const cells = (caption: RegExp) =>
      bodyCells(
        page,
        page.$('table').filter((_i, t) => caption.test(page.$(t).find('caption').text())),
      );
    const statuses = Object.fromEntries(cells(/par statut/));
    const real = async (status: string) =>
      String((await app.db('access_requests').where({ status }).whereNotNull('submitted_at')).length);
    assert.equal(statuses['Validée'], await real('validated'));
    assert.equal(statuses['Refusée'], await real('refused'));
    const months = cells(/par mois/);
    assert.equal(months.length, 12);
    const allSubmitted = await app.db('access_requests').whereNotNull('submitted_at');
    assert.equal(Number(months.at(-1)![1]!.replace(/\s/g, '')), allSubmitted.length, 'toutes soumises ce mois-ci');
    const [year] = cells(/Délais/);
    assert.equal(year![0], '12 derniers mois');
    assert.equal(year![3], 'moins d’un jour', 'les décisions des tests suivent de peu la soumission');
    assert.match(year![6]!, /^\d+(,\d)?\u202f%$/);
    const id = await submitted();
    const summary = await applicant.get(`/demandes/${id}/recapitulatif`);
    assert.match(summary.$('#delai-attendu').text(), /moins d’un jour/);
  });
});
