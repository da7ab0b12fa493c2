import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { runDueJobs } from '../../src/jobs/runner.ts';
import { enqueueEmail } from '../../src/mail/outbox.ts';
import { renderEmail } from '../../src/mail/render.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { PageClient } from '../helpers/page-client.ts';
import { startFakeSmtp, type FakeSmtp } from '../helpers/smtp.ts';

let smtp: FakeSmtp;
let app: TestApp;

before(async () => {
  smtp = await startFakeSmtp();
  app = await startTestApp({ SMTP_URL: smtp.url, BASE_URL: 'https://signup.example.gouv.fr' });
});
after(async () => {
  await app.stop();
  await smtp.close();
});
beforeEach(async () => {
  await app.reset();
  smtp.messages.length = 0;
  smtp.setMode('accept');
});

const deliver = () => runDueJobs(app.db, app.database.url, app.config, app.logger);
const message = (to = 'agent@mairie-exemple.fr', subject = 'Objet de test') => ({
  to,
  subject,
  text: 'Bonjour',
  template: 'test',
});
const jobs = () => app.db('graphile_worker._private_jobs').select('attempts', 'run_at', 'last_error');
const email = async (id: string) => app.db('emails').where({ id }).first();

describe('email outbox', () => {
  it('keeps nothing when the transaction that causes the email rolls back', async () => {
    await assert.rejects(
      app.db.transaction(async (trx) => {
        await enqueueEmail(trx, message());
        throw new Error('échec métier après l’écriture');
      }),
    );
    assert.equal((await app.db('emails')).length, 0);
    assert.equal((await jobs()).length, 0);
  });

  it('delivers a committed email to the SMTP server, once, with a Message-ID derived from its id', async () => {
    const id = await app.db.transaction((trx) => enqueueEmail(trx, message()));
    await deliver();
    await deliver();
    assert.equal(smtp.messages.length, 1);
    const [received] = smtp.messages;
    assert.deepEqual(received!.to, ['agent@mairie-exemple.fr']);
    assert.match(received!.raw, new RegExp(`Message-ID: <${id}@signup\\.example\\.gouv\\.fr>`, 'i'));
    const row = await email(id);
    assert.equal(row.status, 'sent');
    assert.equal(row.attempts, 1);
    assert.ok(row.sent_at);
    assert.equal((await jobs()).length, 0, 'le travail est terminé');
  });

  it('records the failure and retries later with backoff when SMTP refuses, then delivers', async () => {
    smtp.setMode('refuse');
    const id = await app.db.transaction((trx) => enqueueEmail(trx, message()));
    await deliver();
    let row = await email(id);
    assert.equal(row.status, 'pending');
    assert.equal(row.attempts, 1);
    assert.match(row.last_error, /421|indisponible/i);
    const [job] = await jobs();
    assert.equal(job.attempts, 1);
    assert.ok(new Date(job.run_at).getTime() > Date.now() + 1000, 'la nouvelle tentative est différée');

    await deliver();
    assert.equal((await email(id)).attempts, 1, 'pas de nouvelle tentative avant l’échéance');

    smtp.setMode('accept');
    await app.db('graphile_worker._private_jobs').update({ run_at: app.db.fn.now() });
    await deliver();
    row = await email(id);
    assert.equal(row.status, 'sent');
    assert.equal(row.attempts, 2);
    assert.equal(smtp.messages.length, 1);
  });

  it('retries when the SMTP server is down altogether', async () => {
    const down = await startTestApp({ SMTP_URL: 'smtp://127.0.0.1:9', LOG_LEVEL: 'silent' });
    try {
      const id = await down.db.transaction((trx) => enqueueEmail(trx, message()));
      await runDueJobs(down.db, down.database.url, down.config, down.logger);
      const row = await down.db('emails').where({ id }).first();
      assert.equal(row.status, 'pending');
      assert.match(row.last_error, /ECONNREFUSED/);
    } finally {
      await down.stop();
    }
  });

  it('cannot be used to inject headers through the subject', async () => {
    await app.db.transaction((trx) =>
      enqueueEmail(trx, message('agent@mairie-exemple.fr', 'Bonjour\r\nBcc: pirate@evil.example')),
    );
    await deliver();
    const [received] = smtp.messages;
    assert.deepEqual(received!.to, ['agent@mairie-exemple.fr']);
    assert.doesNotMatch(received!.raw, /^Bcc:/im);
  });

  it('renders text and HTML bodies from templates, escaping what it is given', () => {
    const built = renderEmail(app.views, 'test', 'agent@mairie-exemple.fr', {
      baseUrl: '<b>x</b>',
      sentAt: new Date('2026-11-28T13:32:00Z'),
    });
    assert.equal(built.subject, 'Courriel de test de SignUp');
    assert.match(built.text, /le 28 novembre 2026 à 14 h 32/);
    assert.match(built.html!, /&lt;b&gt;x&lt;\/b&gt;/);
  });
});

describe('development mailbox', () => {
  it('lists queued emails at /dev/courriels and shows their links', async () => {
    const dev = await startTestApp();
    after(() => dev.stop());
    const client = new PageClient(dev.app);
    await client.get('/dev/courriels');
    const posted = await client.submit({});
    assert.equal(posted.status, 303);
    const list = await client.get('/dev/courriels');
    const link = list.$('main table a').attr('href');
    assert.match(link ?? '', /^\/dev\/courriels\/[0-9a-f-]{36}$/);
    const detail = await client.get(link!);
    assert.equal(detail.status, 200);
    assert.equal(detail.$('h1').text(), 'Courriel de test de SignUp');
    assert.equal(detail.headers['cache-control'], 'no-store');
    assert.equal(detail.$('main ul a').attr('href'), 'http://127.0.0.1');
  });

  it('is not mounted when real emails go out (SMTP_URL), even outside production: their links are not for all to read', async () => {
    assert.equal((await new PageClient(app.app).get('/dev/courriels')).status, 404, 'this app has SMTP_URL');
    assert.equal((await new PageClient(app.app).get('/dev/erreurs/500')).status, 404);
  });

  it('is not mounted in production', async () => {
    const production = await startTestApp({
      NODE_ENV: 'production',
      SMTP_URL: smtp.url,
      CLAMD_URL: 'tcp://127.0.0.1:3310',
      LOG_LEVEL: 'silent',
    });
    try {
      assert.equal((await new PageClient(production.app).get('/dev/courriels')).status, 404);
      assert.equal((await new PageClient(production.app).get('/dev/erreurs/500')).status, 404);
    } finally {
      await production.stop();
    }
  });
});
