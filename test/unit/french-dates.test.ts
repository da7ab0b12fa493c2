import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frenchTime } from '../../src/domain/french-dates.ts';

describe('French times', () => {
  it('read « 14 h 32 » in Paris, the same for every second of a minute, however often asked', () => {
    for (let i = 0; i < 3; i++) {
      assert.equal(frenchTime(new Date('2027-01-10T13:32:00Z')), '14 h 32');
      assert.equal(frenchTime(new Date('2027-01-10T13:32:59.999Z')), '14 h 32');
      assert.equal(frenchTime(new Date('2027-01-10T13:33:00Z')), '14 h 33');
    }
  });

  it('follow the change to summer time and back, and an hour before 1970', () => {
    assert.equal(frenchTime(new Date('2027-03-28T00:59:00Z')), '1 h 59');
    assert.equal(frenchTime(new Date('2027-03-28T01:00:00Z')), '3 h 00');
    assert.equal(frenchTime(new Date('2027-10-31T00:30:00Z')), '2 h 30');
    assert.equal(frenchTime(new Date('2027-10-31T01:30:00Z')), '2 h 30');
    assert.equal(frenchTime(new Date('1969-12-31T22:15:30Z')), '23 h 15');
  });

  it('more minutes than it keeps, each still right; an invalid date still refused', () => {
    const start = Date.UTC(2027, 0, 10, 0, 0);
    for (let m = 0; m < 3000; m += 1) {
      const expected = `${Math.floor(((m + 60) % 1440) / 60)} h ${String(m % 60).padStart(2, '0')}`;
      assert.equal(frenchTime(new Date(start + m * 60_000 + 30_000)), expected);
    }
    assert.throws(() => frenchTime(new Date('pas une date')), RangeError);
  });
});
