import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import session from 'express-session';
import { loadConfig } from '../../src/config.ts';
import { sessionMiddleware } from '../../src/middleware/session.ts';

/** A store whose writes take a while, as a busy database's do; it records when each write starts and ends. */
class SlowStore extends session.MemoryStore {
  events: string[] = [];
  override set(sid: string, data: session.SessionData, callback?: (error?: unknown) => void): void {
    this.events.push('écriture commencée');
    setTimeout(() => {
      super.set(sid, data, (error) => {
        this.events.push('écriture terminée');
        callback?.(error);
      });
    }, 100);
  }
}

type Answer = { status: number; location?: string; setCookie?: string[] };

/** A POST whose headers are noted in the store's event list the moment they arrive, as a browser reads them. */
function post(port: number, path: string, store: SlowStore, cookie?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request({ port, path, method: 'POST', headers: cookie ? { cookie } : {} }, (response) => {
      store.events.push('en-têtes reçus');
      response.resume();
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          location: response.headers.location,
          setCookie: response.headers['set-cookie'],
        }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

describe('redirects after a session change', () => {
  const store = new SlowStore();
  let server: http.Server;
  let port: number;

  before(async () => {
    const app = express();
    app.use(sessionMiddleware(loadConfig({ NODE_ENV: 'test' }), store));
    app.post('/change', (req, res) => {
      (req.session as unknown as { notice: string }).notice = 'Votre demande est transmise.';
      res.redirect(303, '/suite');
    });
    app.post('/rien', (_req, res) => res.redirect(303, '/suite'));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  it('send their headers only once the changed session is stored, so the next page reads the change', async () => {
    store.events = [];
    const answer = await post(port, '/change', store);
    assert.equal(answer.status, 303);
    assert.deepEqual(store.events, ['écriture commencée', 'écriture terminée', 'en-têtes reçus']);
    assert.ok(
      answer.setCookie?.some((c) => c.startsWith('signup=')),
      'le cookie de la session est posé',
    );
  });

  it('go at once when nothing changed, and store nothing for a visitor nobody wrote to', async () => {
    store.events = [];
    const answer = await post(port, '/rien', store);
    assert.equal(answer.status, 303);
    assert.deepEqual(store.events, ['en-têtes reçus']);
    assert.equal(answer.setCookie, undefined);
    const stored = await new Promise<number>((resolve) => store.length((_error, length) => resolve(length ?? 0)));
    assert.equal(stored, 1, 'seule la session modifiée du premier test est enregistrée');
  });
});
