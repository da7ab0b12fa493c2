/**
 * Webhooks to API Entreprise's systems: an admin subscribes an address (the secret shown once), decisions and a token
 * revocation send signed JSON events that a test receiver verifies, failures are retried and recorded, an admin
 * replays one, and a webhook failing ten times in a row is disabled with an email to the admins.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DISABLE_AFTER_FAILURES, verifySignature } from '../../src/domain/webhooks.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CLAMART, COMPLETE_ANSWERS, createAccount, createRequest } from '../helpers/fixtures.ts';
import { emailsTo } from '../helpers/mailbox.ts';
import type { PageClient } from '../helpers/page-client.ts';
import { signedInClient } from '../helpers/sign-in.ts';

type Received = { body: string; headers: Record<string, string | string[] | undefined>; verified?: boolean };

let app: TestApp;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
/** What the receiver answers next: a list of statuses consumed one by one, then 200. */
const answers: number[] = [];
let admin: PageClient;
let applicant: PageClient;
let instructor: PageClient;
let applicantId: string;

before(async () => {
  app = await startTestApp();
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ body, headers: req.headers });
      res.writeHead(answers.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/signup`;
  await createAccount(app.db, { email: 'admin@api-entreprise.gouv.fr', roles: ['admin'] });
  await createAccount(app.db, { email: 'irene@api-entreprise.gouv.fr', roles: ['instructor'] });
  applicantId = (await createAccount(app.db, { email: 'agent@clamart.fr', siret: CLAMART })).id;
  admin = await signedInClient(app.app, 'admin@api-entreprise.gouv.fr');
  applicant = await signedInClient(app.app, 'agent@clamart.fr');
  instructor = await signedInClient(app.app, 'irene@api-entreprise.gouv.fr');
});
after(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await app.stop();
});

/** Subscribes the receiver through the admin form; returns the webhook's id and its secret as shown once. */
async function subscribe(events: string[]): Promise<{ id: string; secret: string }> {
  await admin.get('/admin/webhooks');
  // Ticked boxes, as a browser sends them: the same name once per box.
  const form = new URLSearchParams({ _csrf: admin.csrfToken(), nom: 'Récepteur de test', adresse: receiverUrl });
  for (const event of events) form.append('evenements', event);
  const made = await admin.agent.post('/admin/webhooks').type('form').send(form.toString());
  assert.equal(made.status, 303, made.text);
  const location = made.headers.location as string;
  const page = await admin.get(location);
  const secret = page.$('#secret-webhook').attr('value')!;
  assert.match(secret, /^whsec_/);
  return { id: location.split('/').pop()!, secret };
}

/** A request submitted by the applicant and decided by the instructor, through their forms. */
async function decided(decision: 'valider' | 'refuser'): Promise<string> {
  const id = await createRequest(app.db, applicantId, CLAMART);
  await app
    .db('access_requests')
    .where({ id })
    .update({ answers: JSON.stringify(COMPLETE_ANSWERS), title: 'Marchés publics' });
  await applicant.get(`/demandes/${id}/recapitulatif`);
  await applicant.submit({ certification: 'oui' }, { selector: `form[action="/demandes/${id}/soumettre"]` });
  await instructor.get(`/instruction/demandes/${id}/${decision}`);
  const done = await instructor.submit(decision === 'refuser' ? { motif: 'Hors cadre.' } : {}, {
    selector: 'main form',
  });
  assert.equal(done.status, 303);
  return id;
}

const deliveryIds = async (webhookId: string) =>
  (await app.db('webhook_deliveries').where({ webhook_id: webhookId }).orderBy('id').pluck('id')) as string[];

describe('webhooks', () => {
  it('are subscribed by admins: a wrong form is 422 with what was typed; the secret is shown once', async () => {
    await admin.get('/admin/webhooks');
    const wrong = await admin.post('/admin/webhooks', {
      _csrf: admin.csrfToken(),
      nom: 'X',
      adresse: 'ftp://ailleurs',
    });
    assert.equal(wrong.status, 422);
    assert.equal(wrong.$('#adresse').attr('value'), 'ftp://ailleurs');
    assert.match(wrong.$('#evenements-messages').text(), /au moins un événement/);
    const { id } = await subscribe(['demande.validee']);
    const again = await admin.get(`/admin/webhooks/${id}`);
    assert.equal(again.$('#secret-webhook').length, 0, 'affiché une seule fois');
    const stored = (await app.db('webhooks').where({ id }).first()) as { secret_sealed: Buffer };
    assert.ok(!stored.secret_sealed.toString('latin1').includes('whsec_'), 'chiffré en base');
  });

  it('send each decision and a token revocation as signed JSON, verified by the receiver, once each', async () => {
    await app.db('webhooks').update({ active: false });
    const { id, secret } = await subscribe(['demande.validee', 'demande.refusee', 'jeton.revoque']);
    received.length = 0;
    const accepted = await decided('valider');
    await decided('refuser');
    await app.runJobs();
    const events = received.map(
      (r) => JSON.parse(r.body) as { type: string; id: string; data: Record<string, unknown> },
    );
    assert.deepEqual(
      events.map((e) => e.type),
      ['demande.validee', 'demande.refusee'],
    );
    const now = Math.floor(Date.now() / 1000);
    for (const r of received)
      assert.ok(verifySignature(secret, r.body, r.headers['signup-signature'] as string, now), 'signature valide');
    assert.equal(
      verifySignature('whsec_autre', received[0]!.body, received[0]!.headers['signup-signature'] as string, now),
      false,
    );
    assert.equal(
      verifySignature(secret, received[0]!.body, received[0]!.headers['signup-signature'] as string, now + 3600),
      false,
      'trop ancienne : refusée (rejeu)',
    );
    assert.equal(events[0]!.data.demande, accepted);
    assert.equal(events[0]!.data.siret, CLAMART);
    assert.ok(events[0]!.data.habilitation);
    assert.equal(received[0]!.headers['signup-event'], 'demande.validee');
    await app.runJobs();
    assert.equal(received.length, 2, 'rien deux fois');
    // A token of the accepted request, created then revoked from the dashboard.
    const authorization = (await app.db('authorizations').where({ request_id: accepted }).first('id')) as {
      id: string;
    };
    await applicant.get(`/tableau-de-bord/jetons/nouveau?habilitation=${authorization.id}`);
    assert.equal((await applicant.submit({ nom: 'Production' })).status, 303);
    const token = (await app.db('api_tokens').where({ authorization_id: authorization.id }).first('id')) as {
      id: string;
    };
    await applicant.get(`/tableau-de-bord/jetons/${token.id}/revoquer`);
    assert.equal((await applicant.submit({})).status, 303);
    await app.runJobs();
    const revoked = JSON.parse(received.at(-1)!.body) as { type: string; data: Record<string, unknown> };
    assert.equal(revoked.type, 'jeton.revoque');
    assert.equal(revoked.data.habilitation, authorization.id);
    assert.match(String((revoked.data.jeton as { repere: string }).repere), /^sgu_…/);
    const statuses = (await app.db('webhook_deliveries').where({ webhook_id: id }).pluck('status')) as string[];
    assert.deepEqual(statuses, ['delivered', 'delivered', 'delivered']);
  });

  it('record every attempt, are retried after a failure, replayed by an admin, and disabled after ten failures in a row', async () => {
    await app.db('webhooks').update({ active: false });
    const { id } = await subscribe(['demande.validee']);
    received.length = 0;
    answers.push(500);
    await decided('valider');
    const [delivery] = await deliveryIds(id);
    await assert.rejects(app.services.webhooks.deliver(delivery!), /webhook/); // what the queue retries
    assert.equal(await app.services.webhooks.deliver(delivery!), 'delivered');
    const attempts = await app
      .db('webhook_attempts')
      .where({ delivery_id: delivery })
      .orderBy('id')
      .pluck('http_status');
    assert.deepEqual(attempts, [500, 200]);
    // The admin page shows them, and replays the delivery.
    const page = await admin.get(`/admin/webhooks/${id}`);
    assert.match(page.$('main').text(), /HTTP 500[\s\S]*HTTP 200/);
    const replayed = await admin.submit({}, { selector: `form[action$="/livraisons/${delivery}/rejouer"]` });
    assert.equal(replayed.status, 303);
    await app.runJobs();
    assert.equal(received.length, 3, 'rejouée');
    assert.equal(received[2]!.body, received[1]!.body, 'le même événement');

    // Ten failures in a row: disabled, the admins told once.
    answers.push(...Array.from({ length: DISABLE_AFTER_FAILURES }, () => 503));
    await decided('valider');
    const last = (await deliveryIds(id)).at(-1)!;
    for (let i = 0; i < DISABLE_AFTER_FAILURES - 1; i++) await assert.rejects(app.services.webhooks.deliver(last));
    assert.equal(await app.services.webhooks.deliver(last), 'dropped');
    const webhook = (await app.db('webhooks').where({ id }).first()) as {
      active: boolean;
      consecutive_failures: number;
    };
    assert.equal(webhook.active, false);
    const told = (await emailsTo(app.db, 'admin@api-entreprise.gouv.fr')).filter(
      (m) => m.template === 'webhook-desactive',
    );
    assert.equal(told.length, 1);
    assert.match(told[0]!.text, /10 fois de suite/);
    answers.length = 0;
    await admin.get(`/admin/webhooks/${id}`);
    const enabled = await admin.submit({}, { selector: `form[action$="/activer"]` });
    assert.equal(enabled.status, 303);
    assert.equal(((await app.db('webhooks').where({ id }).first()) as { active: boolean }).active, true);
    const actions = await app.db('audit_log').where({ subject_type: 'webhook', subject_id: id }).pluck('action');
    assert.deepEqual(actions, ['webhook.created', 'webhook.replayed', 'webhook.enabled']);
  });
});
