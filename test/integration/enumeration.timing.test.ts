/**
 * No account enumeration by timing (checklist S-5). This file's name ends in `.timing.test.ts`: `npm test` runs such
 * files after all the others, alone, so that the machine is quiet while they measure.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/fixtures.ts';
import { PageClient } from '../helpers/page-client.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());
beforeEach(() => app.reset());

const person = { givenName: 'Marie', familyName: 'Durand', password: 'quatre chevaux mangent du foin', siret: '21920023500014', confirmation: 'oui', action: 'creer' };

async function signUp(email: string) {
  const client = new PageClient(app.app);
  await client.get('/inscription');
  assert.equal((await client.submit({ ...person, email })).status, 303);
}

/**
 * Medians (ms) of two kinds of calls, interleaved (a, b, a, b…) after two warm-up rounds, so that both see the same
 * machine load: the suite runs next to other test files.
 */
async function interleavedMedians(times: number, a: (i: number) => Promise<unknown>, b: (i: number) => Promise<unknown>): Promise<[number, number]> {
  const timed = async (run: () => Promise<unknown>) => {
    const started = process.hrtime.bigint();
    await run();
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const median = (values: number[]) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)] as number;
  const [ta, tb]: [number[], number[]] = [[], []];
  // Pairs alternate their order, so that whatever the machine does in the background weighs on both kinds alike.
  for (let i = 0; i < times + 2; i += 1) {
    let timeA: number;
    let timeB: number;
    if (i % 2 === 0) {
      timeA = await timed(() => a(i));
      timeB = await timed(() => b(i));
    } else {
      timeB = await timed(() => b(i));
      timeA = await timed(() => a(i));
    }
    if (i >= 2) {
      ta.push(timeA);
      tb.push(timeB);
    }
  }
  return [median(ta), median(tb)];
}

function assertComparable(a: number, b: number): void {
  assert.ok(Math.abs(a - b) / Math.max(a, b) < 0.25, `médianes ${a.toFixed(1)} ms et ${b.toFixed(1)} ms`);
}

describe('no account enumeration by timing', () => {
  it('sign-up takes as long for a known address as for a new one', async () => {
    for (let i = 0; i < 18; i += 1) await createAccount(app.db, { email: `connu${i}@clamart.fr` });
    const [known, fresh] = await interleavedMedians(16, (i) => signUp(`connu${i}@clamart.fr`), (i) => signUp(`nouveau${i}@clamart.fr`));
    assertComparable(known, fresh);
  });

  it('a reset request takes as long for a known address as for an unknown one', async () => {
    for (let i = 0; i < 18; i += 1) await createAccount(app.db, { email: `connu${i}@clamart.fr` });
    const ask = async (email: string) => {
      const client = new PageClient(app.app);
      await client.get('/mot-de-passe-oublie');
      assert.equal((await client.submit({ email })).status, 303);
    };
    const [known, unknown] = await interleavedMedians(16, (i) => ask(`connu${i}@clamart.fr`), (i) => ask(`inconnu${i}@clamart.fr`));
    assertComparable(known, unknown);
  });

});

describe('sign-in timing', () => {
  it('takes as long for an unknown address as for a wrong password', async () => {
    await createAccount(app.db, { email: 'agent@clamart.fr' });
    const attempt = async (email: string) => {
      const client = new PageClient(app.app);
      await client.get('/connexion');
      await client.submit({ email, password: 'un mauvais mot de passe' });
    };
    // 2 warm-up + 8 failures for this account: below its limit of 10, so no answer is a quick 429
    const [knownMs, unknownMs] = await interleavedMedians(8, () => attempt('agent@clamart.fr'), (i) => attempt(`inconnu${i}@clamart.fr`));
    assertComparable(knownMs, unknownMs);
  });
});
