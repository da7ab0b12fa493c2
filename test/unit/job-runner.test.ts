import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { run } from 'graphile-worker';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/knex.ts';
import { startWorker } from '../../src/jobs/runner.ts';
import { createLogger } from '../../src/logger.ts';

/** A stand-in for graphile-worker's `run`: each runner stops by itself (its cron failed) unless told otherwise. */
function fakeRun(failures: number) {
  const runners: { stopped: boolean }[] = [];
  const start = (async () => {
    const state = { stopped: false };
    runners.push(state);
    let settle: (error?: Error) => void = () => {};
    const promise = new Promise<void>((resolve, reject) => {
      settle = (error) => (error ? reject(error) : resolve());
    });
    if (runners.length <= failures) setImmediate(() => settle(new Error('cron: database away')));
    return {
      promise,
      stop: async () => {
        if (state.stopped) throw new Error('Runner is already stopped');
        state.stopped = true;
        settle();
      },
    };
  }) as unknown as typeof run;
  return { start, runners };
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(condition(), 'la condition attendue n’est pas venue');
}

describe('the job queue', () => {
  it('starts its runner again when it stopped by itself, and not once asked to stop', async () => {
    const { start, runners } = fakeRun(2);
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    const worker = await startWorker(
      {} as Db,
      config.databaseUrl!,
      config,
      createLogger('silent'),
      {},
      {
        run: start,
        restartDelayMs: 1,
      },
    );
    await until(() => runners.length === 3);
    await worker.stop();
    assert.equal(runners.at(-1)!.stopped, true, 'le dernier démarré est arrêté');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(runners.length, 3, 'plus de redémarrage après l’arrêt');
  });
});
