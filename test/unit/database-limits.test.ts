import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectionLimits, discardOnReadTimeout, isDatabaseUnavailable } from '../../src/db/knex.ts';
import { retriedByTheQueue } from '../../src/jobs/runner.ts';
import { untilAnswered } from '../../src/jobs/send-email.ts';

/** A node-postgres client as far as these functions see it: its query fails with `error`, or succeeds. */
function fakeClient(error?: Error) {
  const calls = { ended: 0, destroyed: 0 };
  const client = {
    __knex__disposed: undefined as unknown,
    connection: {
      stream: {
        destroy: () => {
          calls.destroyed += 1;
        },
      },
    },
    end: () => {
      calls.ended += 1;
      return Promise.resolve();
    },
    query: (...args: unknown[]) => {
      const callback = args.at(-1);
      if (typeof callback === 'function')
        return void setImmediate(() =>
          (callback as (e?: Error, r?: unknown) => void)(error, error ? undefined : { rows: [] }),
        );
      return error ? Promise.reject(error) : Promise.resolve({ rows: [] });
    },
  };
  return { client, calls };
}

describe('database limits', () => {
  it('limit connecting, each statement on the server and each query on the client, with TCP keepalive', () => {
    assert.deepEqual(connectionLimits(3000), {
      connectionTimeoutMillis: 3000,
      statement_timeout: 3000,
      query_timeout: 3000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
  });

  it('close a connection whose query timed out, and mark it for knex’s pool (promise and callback forms)', async () => {
    const { client, calls } = fakeClient(new Error('Query read timeout'));
    discardOnReadTimeout(client as never);
    await assert.rejects(client.query('SELECT 1') as Promise<unknown>, /Query read timeout/);
    assert.deepEqual(calls, { ended: 1, destroyed: 1 });
    assert.match(String(client.__knex__disposed), /Query read timeout/);

    const other = fakeClient(new Error('Query read timeout'));
    discardOnReadTimeout(other.client as never);
    const failed = await new Promise<unknown>((resolve) =>
      other.client.query({ text: 'SELECT 1' }, (error: unknown) => resolve(error)),
    );
    assert.match(String(failed), /Query read timeout/);
    assert.deepEqual(other.calls, { ended: 1, destroyed: 1 });
  });

  it('keep a connection whose query failed for another reason (a bug, a constraint) or succeeded', async () => {
    const { client, calls } = fakeClient(
      Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }),
    );
    discardOnReadTimeout(client as never);
    await assert.rejects(client.query('INSERT …') as Promise<unknown>);
    const fine = fakeClient();
    discardOnReadTimeout(fine.client as never);
    await fine.client.query('SELECT 1');
    assert.deepEqual(
      [calls, fine.calls],
      [
        { ended: 0, destroyed: 0 },
        { ended: 0, destroyed: 0 },
      ],
    );
    assert.equal(client.__knex__disposed, undefined);
  });

  it('count a timed-out query, a statement cancelled by its limit, a closed client and a failed connection as the database being away', () => {
    for (const message of [
      'Query read timeout',
      'timeout expired',
      'Client was closed and is not queryable',
      'Connection terminated unexpectedly',
    ]) {
      assert.ok(isDatabaseUnavailable(new Error(message)), message);
    }
    assert.ok(
      isDatabaseUnavailable(
        Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
      ),
    );
    assert.ok(!isDatabaseUnavailable(Object.assign(new Error('syntax error'), { code: '42601' })));
  });

  it('give the job queue’s retried code to errors of an absent database only, keeping the original code', () => {
    const refused = retriedByTheQueue(
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ) as { code: string; originalCode: string };
    assert.deepEqual([refused.code, refused.originalCode], ['ETIMEDOUT', 'ECONNREFUSED']);
    assert.equal((retriedByTheQueue(new Error('Query read timeout')) as { code: string }).code, 'ETIMEDOUT');
    assert.equal(
      (retriedByTheQueue(Object.assign(new Error('syntax error'), { code: '42601' })) as { code: string }).code,
      '42601',
    );
  });
});

describe('work that must be recorded', () => {
  const fast = { maxMs: 60_000, firstDelayMs: 1, maxDelayMs: 2 };

  it('is run again while the database is away, then gives its result', async () => {
    let calls = 0;
    const result = await untilAnswered(async () => {
      calls += 1;
      if (calls < 4) throw new Error('Query read timeout');
      return 'enregistré';
    }, fast);
    assert.deepEqual([result, calls], ['enregistré', 4]);
  });

  it('fails at once on any other error, and after the wait on an absence that lasts', async () => {
    let calls = 0;
    await assert.rejects(
      untilAnswered(() => {
        calls += 1;
        return Promise.reject(new Error('violates check constraint'));
      }, fast),
      /check constraint/,
    );
    assert.equal(calls, 1);
    await assert.rejects(
      untilAnswered(() => Promise.reject(new Error('Query read timeout')), {
        maxMs: 0,
        firstDelayMs: 1,
        maxDelayMs: 1,
      }),
      /Query read timeout/,
    );
  });
});
