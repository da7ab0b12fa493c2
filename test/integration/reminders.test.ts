/**
 * Reminders and archives of requests left waiting for their applicant, on a clock the test chooses: a draft untouched
 * for 15 days and a request waiting 30 days for its changes get one reminder each; a request left six months in
 * changes-requested is archived with an event and an email; every run after the first changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseCrontab } from 'graphile-worker';
import { CATCH_UP_DAYS } from '../../src/domain/reminders.ts';
import { reminderTasks } from '../../src/jobs/reminder-tasks.ts';
import { CRONTAB, runDueJobs, taskList } from '../../src/jobs/runner.ts';
import { serviceTasks } from '../../src/runtime.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CLAMART, COMPLETE_ANSWERS, createAccount, createRequest } from '../helpers/fixtures.ts';
import { emailsTo } from '../helpers/mailbox.ts';
import type { PageClient } from '../helpers/page-client.ts';
import { signedInClient } from '../helpers/sign-in.ts';

const DAY = 24 * 60 * 60 * 1000;
const APPLICANT = 'agent@clamart.fr';
let app: TestApp;
let applicant: PageClient;
let instructor: PageClient;
let applicantId: string;

before(async () => {
  app = await startTestApp();
  applicantId = (await createAccount(app.db, { email: APPLICANT, siret: CLAMART, givenName: 'Hélène' })).id;
  await createAccount(app.db, { email: 'irene@api-entreprise.gouv.fr', roles: ['instructor'] });
  applicant = await signedInClient(app.app, APPLICANT);
  instructor = await signedInClient(app.app, 'irene@api-entreprise.gouv.fr');
});
after(() => app.stop());

const mails = async (template: string, id: string) =>
  (await emailsTo(app.db, APPLICANT)).filter((m) => m.template === template && m.text.includes(`/demandes/${id}/`));
const row = async (id: string) =>
  (await app.db('access_requests').where({ id }).first()) as { status: string; version: number; updated_at: Date };
/** The clock `days` after the request's last change. */
const after_ = async (id: string, days: number) => new Date((await row(id)).updated_at.getTime() + days * DAY);
const run = (now: Date) => app.services.reminders.run(now);

/** A complete request, submitted by the applicant and sent back for changes by the instructor, both through their pages. */
async function sentBackForChanges(): Promise<string> {
  const id = await createRequest(app.db, applicantId, CLAMART);
  await app
    .db('access_requests')
    .where({ id })
    .update({ answers: JSON.stringify(COMPLETE_ANSWERS), title: `Demande ${id}` });
  await applicant.get(`/demandes/${id}/recapitulatif`);
  const sent = await applicant.submit(
    { certification: 'oui' },
    { selector: `form[action="/demandes/${id}/soumettre"]` },
  );
  assert.equal(sent.status, 303);
  await instructor.get(`/instruction/demandes/${id}/modifications`);
  const asked = await instructor.submit(
    { motif: 'Précisez la date de mise en service.', champs: 'demarche.goLiveDate' },
    { selector: 'main form' },
  );
  assert.equal(asked.status, 303);
  assert.equal((await row(id)).status, 'changes_requested');
  return id;
}

describe('reminders of drafts', () => {
  it('reminds a draft untouched for 15 days once, in French with the link to the request', async () => {
    const id = await createRequest(app.db, applicantId, CLAMART);
    await run(await after_(id, 14.9));
    assert.equal((await mails('rappel-brouillon', id)).length, 0, 'not before 15 days');
    const result = await run(await after_(id, 15.1));
    assert.ok(result.reminded.draft >= 1);
    const [mail, ...others] = await mails('rappel-brouillon', id);
    assert.ok(mail);
    assert.equal(others.length, 0);
    assert.equal(mail.subject, `Votre demande «\u202fn° ${id}\u202f» n’est pas encore envoyée`);
    assert.match(mail.text, /^Bonjour Hélène,/);
    assert.match(mail.text, /enregistrée comme brouillon/);
    assert.match(mail.text, new RegExp(`^${app.config.baseUrl.origin}/demandes/${id}/recapitulatif$`, 'm'));

    for (const days of [15.1, 16, 20]) await run(await after_(id, days)); // every later run
    assert.equal((await mails('rappel-brouillon', id)).length, 1, 'reminded once');
    assert.equal((await row(id)).status, 'draft', 'a reminder changes nothing on the request');
  });

  it('reminds again only a draft edited after its reminder and forgotten again', async () => {
    const id = await createRequest(app.db, applicantId, CLAMART);
    await run(await after_(id, 16));
    assert.equal((await mails('rappel-brouillon', id)).length, 1);
    const page = await applicant.get(`/demandes/${id}/demarche`);
    assert.equal(page.status, 200);
    const saved = await applicant.submit(
      { title: 'Marchés de Clamart', action: 'enregistrer' },
      { selector: `form[action="/demandes/${id}/demarche"]` },
    );
    assert.equal(saved.status, 303);
    await run(await after_(id, 10));
    assert.equal((await mails('rappel-brouillon', id)).length, 1, 'edited 10 days ago: not yet');
    await run(await after_(id, 16));
    assert.equal((await mails('rappel-brouillon', id)).length, 2, 'a new untouched period, one new reminder');
  });

  it(`does not remind drafts left longer than ${CATCH_UP_DAYS} days past the delay (the first run after a deployment)`, async () => {
    const id = await createRequest(app.db, applicantId, CLAMART);
    await run(await after_(id, 15 + CATCH_UP_DAYS + 1));
    assert.equal((await mails('rappel-brouillon', id)).length, 0);
  });

  it('skips a draft that changed between the query and its reminder (the guarded insert)', async () => {
    const id = await createRequest(app.db, applicantId, CLAMART);
    const now = await after_(id, 16);
    await app.db('access_requests').where({ id }).update({ version: 2 }); // saved meanwhile, same date
    const wrote = await app.db.raw(
      `INSERT INTO request_reminders (request_id, kind, version, sent_at) VALUES (?, 'draft', 1, now()) RETURNING 1`,
      [id],
    ); // what a run that found version 1 would have written
    assert.equal((wrote as { rows: unknown[] }).rows.length, 1);
    await run(now);
    assert.equal((await mails('rappel-brouillon', id)).length, 1, 'version 2 is reminded once, by this run');
  });
});

describe('requests waiting for the applicant’s changes', () => {
  it('reminds once after 30 days, with the date of the archive', async () => {
    const id = await sentBackForChanges();
    await run(await after_(id, 29));
    assert.equal((await mails('rappel-modifications', id)).length, 0);
    const now = await after_(id, 31);
    await run(now);
    await run(now);
    await run(await after_(id, 33));
    const reminders = await mails('rappel-modifications', id);
    assert.equal(reminders.length, 1);
    assert.equal(reminders[0]!.subject, `Votre demande «\u202fDemande ${id}\u202f» attend toujours vos modifications`);
    const archiveOn = new Date((await row(id)).updated_at);
    archiveOn.setUTCMonth(archiveOn.getUTCMonth() + 6);
    const day = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric' }).format(archiveOn);
    assert.match(reminders[0]!.text, new RegExp(`sera archivée le ${day}`));
    assert.equal((await row(id)).status, 'changes_requested');
  });

  it('archives after six months untouched, with an event without user, the email once, and the applicant reads why', async () => {
    const id = await sentBackForChanges();
    const before6 = new Date((await row(id)).updated_at);
    before6.setUTCMonth(before6.getUTCMonth() + 6);
    await run(new Date(before6.getTime() - DAY));
    assert.equal((await row(id)).status, 'changes_requested', 'not a day before');
    const counted = async () =>
      (await app.db('request_counts').where({ status: 'archived' }).sum('count as n').first()) as { n: string | null };
    const archivedBefore = Number((await counted()).n ?? 0);

    const result = await run(new Date(before6.getTime() + DAY));
    assert.ok(result.archived >= 1);
    assert.equal((await row(id)).status, 'archived');
    const events = (await app.db('request_events').where({ request_id: id, kind: 'archived' })) as {
      user_id: string | null;
      details: { reason: string; from: string };
    }[];
    assert.equal(events.length, 1);
    assert.equal(events[0]!.user_id, null, 'the service archived it, no one in its name');
    assert.equal(events[0]!.details.from, 'changes_requested');
    assert.match(events[0]!.details.reason, /Archivage automatique après 6\u00a0mois/);
    assert.equal(Number((await counted()).n), archivedBefore + result.archived, 'the list’s counters follow');

    for (const days of [1, 2, 40]) await run(new Date(before6.getTime() + days * DAY));
    const archived = await mails('demande-archivee', id);
    assert.equal(archived.length, 1, 'archived and emailed once');
    assert.match(archived[0]!.text, /depuis plus de 6 mois/);
    assert.match(archived[0]!.text, new RegExp(`/demandes/${id}/recapitulatif`));
    assert.equal(
      (await app.db('request_events').where({ request_id: id, kind: 'archived' })).length,
      1,
      'no second event',
    );

    const summary = await applicant.get(`/demandes/${id}/recapitulatif`);
    assert.match(summary.$('#decision').text(), /Demande archivée[\s\S]*Archivage automatique après 6\u00a0mois/);
    const detail = await instructor.get(`/instruction/demandes/${id}`);
    assert.match(detail.$('#historique').text(), /Demande archivée[\s\S]*Archivage automatique/);
  });

  it('does not archive a request the applicant edited in the meantime', async () => {
    const id = await sentBackForChanges();
    // Sent back 200 days ago (due for the archive), then edited today by the applicant.
    await app.db.raw("UPDATE access_requests SET updated_at = updated_at - interval '200 days' WHERE id = ?", [id]);
    await applicant.get(`/demandes/${id}/demarche`);
    const saved = await applicant.submit(
      { title: 'Aides au commerce, date précisée', action: 'enregistrer' },
      { selector: `form[action="/demandes/${id}/demarche"]` },
    );
    assert.equal(saved.status, 303);
    await run(new Date(Date.now() + DAY));
    assert.equal((await row(id)).status, 'changes_requested');
  });
});

describe('the cron task', () => {
  it('is in the worker’s crontab and in its task list', () => {
    const tasks = { ...taskList(app.db, app.config, app.logger), ...serviceTasks(app.services) };
    const identifiers = parseCrontab(CRONTAB).map((item) => item.task);
    assert.ok(identifiers.includes('request_reminders'));
    for (const identifier of identifiers) assert.ok(identifier in tasks, identifier);
  });

  it('reminds through the job queue, on the clock it is given', async () => {
    const id = await createRequest(app.db, applicantId, CLAMART);
    const clock = await after_(id, 16);
    await app.db.raw(`SELECT graphile_worker.add_job('request_reminders', '{}'::json)`);
    await runDueJobs(
      app.db,
      app.database.url,
      app.config,
      app.logger,
      reminderTasks(app.services.reminders, app.services.tokenReminders, () => clock),
    );
    assert.equal((await mails('rappel-brouillon', id)).length, 1);
  });
});
