/**
 * A frozen PostgreSQL (every process stopped with SIGSTOP): connections stay open and nothing answers, unlike a
 * stopped one, which refuses connections at once (database-outage.test.ts). This file runs a PostgreSQL of its own.
 *
 * What is asserted is what a person gets: an answer (the French 503, what they typed shown back), and everything
 * working again after the thaw. How long each answer took is printed for the record, never asserted (the suite
 * shares a busy machine): bench/frozen-database.ts measures it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';
import { seedReferenceData, seedSireneSample } from '../../src/db/seed.ts';
import { createLogger } from '../../src/logger.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import type { Worker } from '../../src/jobs/runner.ts';
import { CLAMART, createAccount, createRequest, TEST_SESSION_SECRET } from '../helpers/fixtures.ts';
import { freezePostgres } from '../helpers/frozen-postgres.ts';
import { PageClient, type Page } from '../helpers/page-client.ts';
import { freePort } from '../helpers/ports.ts';
import { signedInClient } from '../helpers/sign-in.ts';
import { startFakeSmtp, type FakeSmtp } from '../helpers/smtp.ts';

/** The limit under test (DB_TIMEOUT_MS). */
const LIMIT_MS = 2000;
/** A request that has not answered by then is hanging: far beyond the limit, so that a busy machine never trips it. */
const HANGING_MS = 60_000;
const STEP_FORM = 'form[action^="/demandes/"]';
const HTMX = { 'HX-Request': 'true' };

const dataDir = mkdtempSync(path.join(tmpdir(), 'signup-frozen-pg-'));
let postgres: EmbeddedDatabase;
let runtime: Runtime;
let server: Server;
let base: string;
let smtp: FakeSmtp;
let freezeOnNextMail = false;
let thawMail: (() => void) | undefined;
const arrived: string[] = [];

before(async () => {
  const port = await freePort();
  postgres = await startEmbeddedPostgres({ dataDir, port, database: 'signup', ephemeral: true });
  smtp = await startFakeSmtp({
    beforeAccept: async () => {
      if (!freezeOnNextMail) return;
      freezeOnNextMail = false;
      thawMail = freezePostgres(dataDir); // the email is handed over; recording it as sent meets a frozen database
    },
  });
  const url = postgres.url('signup');
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    BASE_URL: 'http://127.0.0.1',
    SESSION_SECRET: TEST_SESSION_SECRET,
    SMTP_URL: smtp.url,
    DB_TIMEOUT_MS: String(LIMIT_MS),
  });
  runtime = createRuntime(config, createLogger(process.env.FROZEN_LOG ? 'error' : 'silent'), url);
  await migrate(url, createLogger('silent'));
  await seedReferenceData(runtime.db);
  await seedSireneSample(runtime.db);
  server = runtime.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  server.on('request', (req: { url?: string }) => arrived.push(req.url ?? ''));
});

after(async () => {
  thawMail?.();
  await new Promise((resolve) => server.close(resolve));
  await runtime.close();
  await smtp.close();
  await postgres.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

type Timed = { page: Page; ms: number };

/** One request, timed; a request with no answer in HANGING_MS fails the test instead of waiting for ever. */
async function timed(label: string, send: () => Promise<Page>): Promise<Timed> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const hanging = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} : pas de réponse en ${HANGING_MS / 1000} s`)), HANGING_MS);
  });
  try {
    const page = await Promise.race([send(), hanging]);
    return { page, ms: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until `count` more requests have reached the server (they are then in flight). */
async function untilArrived(count: number, since: number): Promise<void> {
  while (arrived.length - since < count) await new Promise((resolve) => setImmediate(resolve));
}

async function member(email: string): Promise<{ client: PageClient; requestId: string }> {
  const account = await createAccount(runtime.db, { email, siret: CLAMART });
  const requestId = await createRequest(runtime.db, account.id, CLAMART);
  const client = await signedInClient(base, email);
  return { client, requestId };
}

function assertFrench503(page: Page, what: string): void {
  assert.equal(page.status, 503, `${what} : ${page.status}`);
  assert.equal(page.headers['retry-after'], '30', what);
  assert.match(page.$('title').text(), /^Service momentanément indisponible – SignUp$/, what);
}

describe('frozen database', () => {
  let worker: Worker;
  before(async () => {
    worker = await runtime.startWorker();
  });
  after(() => worker.stop());

  it('answers the French 503 on every kind of page while PostgreSQL is frozen, keeps what was typed, and recovers after the thaw', async (t) => {
    const visitor = new PageClient(base);
    const { client, requestId } = await member('marie.durand@clamart.fr');
    const step = `/demandes/${requestId}/demarche`;
    assert.equal((await visitor.get('/cas-usage')).status, 200);
    assert.equal((await client.get('/demandes')).status, 200);
    assert.equal((await client.get(step)).status, 200);
    const { fields } = client.formFields(STEP_FORM);
    const autosave = (title: string) => client.post(step, { ...fields, title, action: 'autosave' }, HTMX);
    const before = await autosave('Avant le gel');
    assert.equal(before.status, 200);
    // As the page does: the answer's out-of-band fields are the form's new version and base.
    fields.version = before.$('#version').attr('value') ?? '';
    fields.base = before.$('#base').attr('value') ?? '';

    // Requests in flight when the database freezes: each gets an answer, the page or the 503.
    const since = arrived.length;
    const inFlight = [
      timed('page publique en cours', () => visitor.get('/cas-usage')),
      timed('page connectée en cours', () => client.get('/demandes')),
      timed('enregistrement automatique en cours', () => autosave('Pendant le gel')),
    ];
    await untilArrived(inFlight.length, since);
    const thaw = freezePostgres(dataDir);
    const times: Record<string, number> = {};
    try {
      for (const { page } of await Promise.all(inFlight)) {
        assert.ok(
          [200, 503].includes(page.status),
          `une requête en cours : ${page.status} ${page.$('body').text().trim().slice(0, 300)}`,
        );
      }

      const publicPage = await timed('page publique', () => visitor.get('/cas-usage'));
      assertFrench503(publicPage.page, 'page publique lisant la base');
      const signedIn = await timed('page connectée', () => client.get('/demandes'));
      assertFrench503(signedIn.page, 'page connectée (magasin de sessions)');
      const saved = await timed('enregistrement automatique', () => autosave('Tapé pendant le gel'));
      assert.equal(
        saved.page.status,
        503,
        'l’enregistrement automatique échoue : le script montre l’alerte « Réessayer » et garde la saisie',
      );
      const posted = await timed('formulaire envoyé', () =>
        client.post(step, { ...fields, title: 'Tapé pendant le gel, envoyé', action: 'continuer' }),
      );
      assertFrench503(posted.page, 'formulaire envoyé');
      assert.match(
        posted.page.$('#saisies-non-enregistrees').text(),
        /Tapé pendant le gel, envoyé/,
        'la page 503 montre ce qui a été saisi',
      );
      const ready = await timed('/readyz', () => visitor.get('/readyz'));
      assert.equal(ready.page.status, 503);
      assert.equal((await visitor.get('/healthz')).status, 200);
      Object.assign(times, {
        publique: publicPage.ms,
        connectée: signedIn.ms,
        autosave: saved.ms,
        formulaire: posted.ms,
        readyz: ready.ms,
      });
    } finally {
      thaw();
    }

    // After the thaw: everything answers again, without a restart.
    const thawedAt = performance.now();
    let recovered = await timed('page publique après le dégel', () => visitor.get('/cas-usage'));
    while (recovered.page.status !== 200)
      recovered = await timed('page publique après le dégel', () => visitor.get('/cas-usage'));
    times.rétablissement = Math.round(performance.now() - thawedAt);
    assert.equal((await client.get('/demandes')).status, 200);
    assert.equal((await visitor.get('/readyz')).status, 200);
    await client.get(step);
    const again = client.formFields(STEP_FORM).fields;
    assert.equal(
      (await client.post(step, { ...again, title: 'Après le dégel', action: 'autosave' }, HTMX)).status,
      200,
    );
    const stored = (await runtime.db('access_requests').where({ id: requestId }).first()) as {
      answers: { demarche: { title: string } };
    };
    assert.equal(stored.answers.demarche.title, 'Après le dégel');
    t.diagnostic(`limite ${LIMIT_MS} ms ; réponses pendant le gel (ms) : ${JSON.stringify(times)}`);
  });

  it('records an email sent just before the freeze once the database answers again: delivered once, its job done once', async () => {
    const { client } = await member('paul.martin@clamart.fr');
    await client.get('/compte');
    freezeOnNextMail = true;
    const delivered = smtp.messages.length;
    const visitor = new PageClient(base);
    await visitor.get('/mot-de-passe-oublie');
    assert.equal((await visitor.submit({ email: 'paul.martin@clamart.fr' })).status, 303);
    while (!thawMail) await new Promise((resolve) => setTimeout(resolve, 50)); // the worker sends it: the hook freezes
    // Two readiness checks answer 503, each after the limit: by then, recording the email as sent has timed out once.
    assert.equal((await timed('/readyz', () => visitor.get('/readyz'))).page.status, 503);
    assert.equal((await timed('/readyz', () => visitor.get('/readyz'))).page.status, 503);
    thawMail();

    const email = async () =>
      (await runtime.db('emails').where({ to_address: 'paul.martin@clamart.fr' }).orderBy('id', 'desc').first()) as {
        id: string;
        status: string;
        attempts: number;
      };
    while ((await email()).status !== 'sent') await new Promise((resolve) => setTimeout(resolve, 100));
    const { id, attempts } = await email();
    assert.equal(attempts, 1, 'envoyé une fois');
    const jobs = async () =>
      (await runtime.db.raw("SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'send_email'"))
        .rows[0].n as number;
    while ((await jobs()) > 0) await new Promise((resolve) => setTimeout(resolve, 100)); // its job is recorded as done
    const copies = smtp.messages.slice(delivered).filter((m) => m.raw.includes(`<${id}@127.0.0.1>`));
    assert.equal(copies.length, 1, 'le serveur SMTP l’a reçu une fois');
  });
});
