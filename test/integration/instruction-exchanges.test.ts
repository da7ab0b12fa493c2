/**
 * What instructors and applicants say on a request: messages both ways with an email to the other side (a link, never
 * the text), unread counters on « Mes demandes » and the instructors' list cleared when read, internal notes that the
 * applicant never sees, and assignment (take, give, release) shown in the list and the history.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CLAMART, COMPLETE_ANSWERS, createAccount, createSubmittedRequest } from '../helpers/fixtures.ts';
import { emailsTo } from '../helpers/mailbox.ts';
import { errorSummaryTargets, type Page, type PageClient } from '../helpers/page-client.ts';
import { signedInClient } from '../helpers/sign-in.ts';

let app: TestApp;
let applicant: PageClient;
let instructor: PageClient;
let id: string;

before(async () => {
  app = await startTestApp();
  const agent = await createAccount(app.db, { email: 'agent@clamart.fr', siret: CLAMART, givenName: 'Hélène' });
  await createAccount(app.db, {
    email: 'irene@api-entreprise.gouv.fr',
    roles: ['instructor'],
    givenName: 'Irène',
    familyName: 'Martin',
  });
  await createAccount(app.db, {
    email: 'ivan@api-entreprise.gouv.fr',
    roles: ['instructor'],
    givenName: 'Ivan',
    familyName: 'Durand',
  });
  await createAccount(app.db, { email: 'rapporteur@api-entreprise.gouv.fr', roles: ['reporter'] });
  applicant = await signedInClient(app.app, 'agent@clamart.fr');
  instructor = await signedInClient(app.app, 'irene@api-entreprise.gouv.fr');
  id = await createSubmittedRequest(app.db, agent.id, CLAMART, { title: 'Marchés', answers: COMPLETE_ANSWERS });
});
after(() => app.stop());

const unreadInList = (page: Page) =>
  page.$(`tbody tr:has(a[href="/instruction/demandes/${id}"]) td`).last().text().trim();

describe('messages', () => {
  it('go both ways, email the other side a link without the text, and count as unread until seen', async () => {
    await applicant.get(`/demandes/${id}/recapitulatif`);
    const empty = await applicant.submit({ message: '   ' }, { selector: `form[action="/demandes/${id}/messages"]` });
    assert.equal(empty.status, 422);
    assert.ok(errorSummaryTargets(empty).every((t) => t.exists));
    const sent = await applicant.submit(
      { message: 'Faut-il joindre la délibération ?\nMerci.' },
      { selector: `form[action="/demandes/${id}/messages"]` },
    );
    assert.equal(sent.status, 303);
    for (const address of ['irene@api-entreprise.gouv.fr', 'ivan@api-entreprise.gouv.fr']) {
      const mail = (await emailsTo(app.db, address)).at(-1)!;
      assert.equal(mail.template, 'message-demandeur');
      assert.match(mail.text, new RegExp(`/instruction/demandes/${id}#messages`));
      assert.doesNotMatch(mail.text, /délibération/, 'le texte reste derrière la connexion');
    }
    assert.equal(unreadInList(await instructor.get('/instruction')), '1');
    const page = await instructor.get(`/instruction/demandes/${id}`);
    assert.match(page.$('#messages').text(), /Hélène[\s\S]*\(demandeur\)[\s\S]*Faut-il joindre la délibération/);
    assert.equal(unreadInList(await instructor.get('/instruction')), '0', 'lu une fois la page vue');

    await instructor.get(`/instruction/demandes/${id}`);
    const reply = await instructor.submit(
      { message: 'Oui, en PDF.' },
      { selector: `form[action="/instruction/demandes/${id}/messages"]` },
    );
    assert.equal(reply.status, 303);
    const mail = (await emailsTo(app.db, 'agent@clamart.fr')).at(-1)!;
    assert.equal(mail.template, 'message-instruction');
    assert.doesNotMatch(mail.text, /en PDF/);
    const list = await applicant.get('/demandes');
    assert.match(list.$(`a[href="/demandes/${id}/recapitulatif#messages"]`).text(), /1 message non lu/);
    const read = await applicant.get(`/demandes/${id}/recapitulatif`);
    assert.match(read.$('#messages').text(), /Irène Martin[\s\S]*\(instruction\)[\s\S]*Oui, en PDF\./);
    assert.equal((await applicant.get('/demandes')).$(`a[href="/demandes/${id}/recapitulatif#messages"]`).length, 0);
  });
});

describe('internal notes', () => {
  it('are kept for instruction only: the applicant never sees them and nobody is emailed', async () => {
    const before_ = await app.db('emails').count<{ count: string }[]>('* as count');
    await instructor.get(`/instruction/demandes/${id}`);
    const refused = await instructor.submit(
      { note: '' },
      { selector: `form[action="/instruction/demandes/${id}/notes"]` },
    );
    assert.equal(refused.status, 422);
    assert.equal(refused.$('#resume-erreurs a').attr('href'), '#note');
    const saved = await instructor.submit(
      { note: 'SIRET vérifié auprès de la préfecture.' },
      { selector: `form[action="/instruction/demandes/${id}/notes"]` },
    );
    assert.equal(saved.status, 303);
    const page = await instructor.get(`/instruction/demandes/${id}`);
    assert.match(page.$('#notes').text(), /SIRET vérifié auprès de la préfecture/);
    const reporter = await signedInClient(app.app, 'rapporteur@api-entreprise.gouv.fr');
    const read = await reporter.get(`/instruction/demandes/${id}`);
    assert.match(read.$('#notes').text(), /SIRET vérifié/);
    assert.equal(read.$(`form[action="/instruction/demandes/${id}/notes"]`).length, 0, 'lecture seule');
    const forged = await reporter.post(`/instruction/demandes/${id}/notes`, {
      _csrf: read.$('input[name="_csrf"]').attr('value') ?? '',
      note: 'x',
    });
    assert.ok([403, 404].includes(forged.status), String(forged.status));
    const applicantPage = await applicant.get(`/demandes/${id}/recapitulatif`);
    assert.doesNotMatch(applicantPage.html, /préfecture/);
    const after_ = await app.db('emails').count<{ count: string }[]>('* as count');
    assert.equal(after_[0]!.count, before_[0]!.count);
  });
});

describe('assignment', () => {
  it('takes, gives and releases a request, shown in the list, its filters and the history', async () => {
    await instructor.get(`/instruction/demandes/${id}`);
    const taken = await instructor.submit(
      { action: 'prendre' },
      { selector: `form[action="/instruction/demandes/${id}/attribution"]:has(button[value="prendre"])` },
    );
    assert.equal(taken.status, 303);
    const mine = await instructor.get('/instruction?attribution=moi');
    assert.equal(mine.$(`a[href="/instruction/demandes/${id}"]`).length, 1);
    const page = await instructor.get(`/instruction/demandes/${id}`);
    assert.match(page.$('#attribution-titre').parent().text(), /Vous instruisez cette demande/);
    const none = await instructor.submit(
      { instructeur: '' },
      { selector: `form[action="/instruction/demandes/${id}/attribution"]:has(input[value="donner"])` },
    );
    assert.equal(none.status, 422);
    assert.equal(none.$('#resume-erreurs a').attr('href'), '#attribution');
    await instructor.get(`/instruction/demandes/${id}`);
    const ivan = instructor.last!.$('#attribution option:contains("Ivan Durand")').attr('value')!;
    const given = await instructor.submit(
      { instructeur: ivan },
      { selector: `form[action="/instruction/demandes/${id}/attribution"]:has(input[value="donner"])` },
    );
    assert.equal(given.status, 303);
    assert.equal((await emailsTo(app.db, 'ivan@api-entreprise.gouv.fr')).at(-1)!.template, 'demande-attribuee');
    const list = await instructor.get('/instruction?attribution=autre');
    assert.match(list.$(`tr:has(a[href="/instruction/demandes/${id}"])`).text(), /Ivan Durand/);
    await instructor.get(`/instruction/demandes/${id}`);
    await instructor.submit(
      { action: 'liberer' },
      { selector: `form[action="/instruction/demandes/${id}/attribution"]:has(button[value="liberer"])` },
    );
    const history = (await instructor.get(`/instruction/demandes/${id}`)).$('#historique').text();
    assert.match(history, /prise en charge par Irène Martin[\s\S]*attribuée à Ivan Durand[\s\S]*libérée/);
  });
});
