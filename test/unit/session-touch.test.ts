import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import session from 'express-session';
import { throttleTouches } from '../../src/middleware/session.ts';

describe('session touches', () => {
  it('push the row’s expiry back at most once per interval and per session, and always answer', () => {
    mock.timers.enable({ apis: ['Date'], now: 1_000_000 });
    try {
      const store = new session.MemoryStore();
      const touched: string[] = [];
      store.touch = (sid, _sess, callback) => {
        touched.push(sid);
        callback?.();
      };
      throttleTouches(store, 60_000);
      let answered = 0;
      const touch = (sid: string) =>
        store.touch!(sid, {} as session.SessionData, () => {
          answered += 1;
        });
      touch('a');
      touch('a');
      touch('b');
      mock.timers.tick(59_999);
      touch('a');
      mock.timers.tick(1);
      touch('a');
      assert.deepEqual(touched, ['a', 'b', 'a']);
      assert.equal(answered, 5);
    } finally {
      mock.timers.reset();
    }
  });
});
