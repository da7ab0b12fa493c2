import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkClockTime, parisDateAndTime, parisInstant } from '../../src/domain/calendar-date.ts';
import { availability, availabilityText, probeState } from '../../src/domain/endpoint-status.ts';

describe('a probe’s state', () => {
  const settings = { expectedStatus: 200, slowMs: 1000 };
  it('is up, slow past the threshold, down on another status or no answer', () => {
    assert.equal(probeState({ kind: 'answered', status: 200, durationMs: 80 }, settings), 'up');
    assert.equal(probeState({ kind: 'answered', status: 200, durationMs: 1001 }, settings), 'slow');
    assert.equal(probeState({ kind: 'answered', status: 503, durationMs: 80 }, settings), 'down');
    assert.equal(
      probeState({ kind: 'answered', status: 401, durationMs: 80 }, { ...settings, expectedStatus: 401 }),
      'up',
    );
    assert.equal(probeState({ kind: 'failed', durationMs: 5000, detail: 'délai' }, settings), 'down');
  });

  it('adds up to an availability in French, never rounded up to 100 %', () => {
    assert.equal(availabilityText(availability(2, 3)), '66,66\u00a0%');
    assert.equal(availabilityText(availability(9999, 10000)), '99,99\u00a0%');
    assert.equal(availabilityText(availability(99999, 100000)), '99,99\u00a0%');
    assert.equal(availabilityText(availability(5, 5)), '100\u00a0%');
    assert.equal(availabilityText(availability(0, 0)), '–');
  });
});

describe('a Paris date and time', () => {
  it('reads « 14:30 », « 14h30 », « 9 h 05 » and refuses the rest', () => {
    assert.equal(checkClockTime('14:30'), 870);
    assert.equal(checkClockTime('14h30'), 870);
    assert.equal(checkClockTime('9 h 05'), 545);
    for (const bad of ['25:00', '12:60', '1430', '', 'midi']) assert.equal(checkClockTime(bad), undefined, bad);
  });

  it('is the instant Paris reads, in winter and in summer time, and is shown back the same', () => {
    assert.equal(parisInstant('2026-12-10', 22 * 60).toISOString(), '2026-12-10T21:00:00.000Z');
    assert.equal(parisInstant('2027-07-14', 9 * 60).toISOString(), '2027-07-14T07:00:00.000Z');
    assert.deepEqual(parisDateAndTime(new Date('2027-07-14T07:00:00Z')), { date: '14/07/2027', time: '09:00' });
    assert.deepEqual(parisDateAndTime(new Date('2026-12-31T23:30:00Z')), { date: '01/01/2027', time: '00:30' });
  });
});
