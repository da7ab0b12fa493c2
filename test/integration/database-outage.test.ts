import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { loadConfig } from '../../src/config.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';
import { seedReferenceData } from '../../src/db/seed.ts';
import { createLogger } from '../../src/logger.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { PageClient } from '../helpers/page-client.ts';

// This file runs a PostgreSQL of its own, so that it can stop and restart it without disturbing other test files.
const dataDir = mkdtempSync(path.join(tmpdir(), 'signup-outage-pg-'));
let port: number;
let postgres: EmbeddedDatabase;
let runtime: Runtime;

const startPostgres = () => startEmbeddedPostgres({ dataDir, port, database: 'signup', ephemeral: true });

before(async () => {
  port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
  postgres = await startPostgres();
  const url = postgres.url('signup');
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, BASE_URL: 'http://127.0.0.1' });
  runtime = createRuntime(config, createLogger('silent'), url);
  await migrate(url, createLogger('silent'));
  await seedReferenceData(runtime.db);
});

after(async () => {
  await runtime.close();
  await postgres.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function timed(path: string, client?: PageClient) {
  const started = Date.now();
  const res = client ? await client.get(path) : await request(runtime.app).get(path);
  return {
    status: res.status,
    ms: Date.now() - started,
    headers: res.headers,
    text: 'text' in res ? res.text : res.html,
  };
}

describe('database outage', () => {
  it('answers a French 503 while PostgreSQL is stopped, and recovers when it restarts (how fast: bench/frozen-database.ts)', async () => {
    const worker = await runtime.startWorker(); // its pool must survive the outage too
    after(() => worker.stop());
    const visitor = new PageClient(runtime.app);
    await visitor.get('/eligibilite');
    const token = visitor.csrfToken();
    assert.equal((await timed('/cas-usage')).status, 200);

    await postgres.stop();

    const page = await timed('/cas-usage');
    assert.equal(page.status, 503);
    assert.equal(page.headers['retry-after'], '30');
    assert.match(page.text, /<title>Service momentanément indisponible – SignUp<\/title>/);
    const withSession = await timed('/eligibilite', visitor);
    assert.equal(withSession.status, 503, 'le magasin de sessions indisponible donne aussi une 503');
    assert.equal((await timed('/readyz')).status, 503);
    assert.equal((await timed('/healthz')).status, 200);
    assert.equal((await timed('/')).status, 200, 'les pages sans base restent servies');

    postgres = await startPostgres();

    let recovered = await timed('/cas-usage');
    for (let attempt = 0; attempt < 20 && recovered.status !== 200; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      recovered = await timed('/cas-usage');
    }
    assert.equal(recovered.status, 200);
    assert.equal((await timed('/readyz')).status, 200);
    const posted = await visitor.post('/eligibilite', { _csrf: token, siret: '13002526500013' });
    assert.equal(posted.status, 303, 'la session a survécu à la coupure');
  });

  it('survives connections killed by the server (pg_terminate_backend)', async () => {
    assert.equal((await timed('/cas-usage')).status, 200);
    const killer = createRuntime(
      loadConfig({ NODE_ENV: 'test', DATABASE_URL: postgres.url('signup') }),
      createLogger('silent'),
      postgres.url('signup'),
    );
    await killer.db.raw(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    await killer.close();
    let status = (await timed('/cas-usage')).status;
    if (status !== 200) status = (await timed('/cas-usage')).status; // one retry at most
    assert.equal(status, 200);
  });
});
