import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const root = path.resolve(import.meta.dirname, '../..');

function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, ms = 20_000) => {
    const deadline = Date.now() + ms;
    while (!pattern.test(output)) {
      if (Date.now() > deadline) throw new Error(`« ${pattern} » attendu, reçu :\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { child, exited, waitFor, output: () => output };
}

describe('the server process', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.drop());

  it('refuses to start in production without its required configuration, saying what is missing', async () => {
    const server = startServer({ NODE_ENV: 'production' });
    assert.equal(await server.exited, 1);
    assert.match(
      server.output(),
      /Configuration incomplète pour la production : SESSION_SECRET, DATABASE_URL, BASE_URL, SMTP_URL, CLAMD_URL/,
    );
  });

  it('serves, then stops cleanly on SIGTERM, finishing the request in flight', async () => {
    const server = startServer({
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      PORT: '0',
      HOST: '127.0.0.1',
      RUN_WORKER: '1',
    });
    await server.waitFor(/SignUp is listening/);
    await server.waitFor(/Worker connected/);
    const port = Number(/"port":(\d+)/.exec(server.output())?.[1]);
    // A request in flight: headers and half of the body sent before SIGTERM, the rest after.
    const socket = connect(port, '127.0.0.1');
    let response = '';
    socket.on('data', (chunk) => (response += chunk.toString()));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write(
      'POST /eligibilite HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10\r\nConnection: close\r\n\r\nsiret=',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    server.child.kill('SIGTERM');
    await server.waitFor(/shutting down/);
    socket.write('1234'); // the rest of the body; the answer (Connection: close) then closes the connection
    await closed;
    assert.match(response, /^HTTP\/1\.1 403/, `la requête en cours a reçu sa réponse ${server.output()}`);
    assert.equal(await server.exited, 0);
    assert.match(server.output(), /shutting down/);
    assert.match(server.output(), /"msg":"stopped"/);
  });
});

describe('the create-user command', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.drop());

  const run = (args: string[]) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/create-user.ts', ...args], {
        cwd: root,
        env: { PATH: process.env.PATH, DATABASE_URL: database.url },
      });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      child.on('exit', (code) => resolve({ code, output }));
    });

  it('creates an activated instructor with a one-time password, then adds roles, and refuses bad arguments', async () => {
    const created = await run([
      '--email',
      'Instructrice@Exemple.gouv.fr',
      '--prenom',
      'Inès',
      '--nom',
      'Martin',
      '--role',
      'instructor',
    ]);
    assert.equal(created.code, 0, created.output);
    assert.match(created.output, /Compte créé : instructrice@exemple\.gouv\.fr \(instructor\)/);
    assert.match(created.output, /Mot de passe provisoire, affiché une seule fois : \S{20,}/);
    const updated = await run(['--email', 'instructrice@exemple.gouv.fr', '--role', 'admin']);
    assert.match(updated.output, /Rôles ajoutés/);
    const bad = await run(['--email', 'x', '--role', 'chef']);
    assert.equal(bad.code, 1);
    assert.match(bad.output, /Usage : npm run create-user/);
  });
});
