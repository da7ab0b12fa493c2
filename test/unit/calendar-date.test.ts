import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkCalendarDate, typedCalendarDate } from '../../src/domain/calendar-date.ts';
import { frenchDate } from '../../src/domain/french-dates.ts';

describe('calendar dates', () => {
  it('reads the dates French people type, and the ISO form of date pickers', () => {
    for (const typed of ['01/03/2027', '1/3/2027', '1.3.2027', '01-03-2027', ' 2027-03-01 ']) {
      assert.deepEqual(checkCalendarDate(typed), { ok: true, iso: '2027-03-01' }, typed);
    }
    assert.deepEqual(checkCalendarDate('29/02/2028'), { ok: true, iso: '2028-02-29' });
  });

  it('tells a wrong format from a day that does not exist', () => {
    for (const typed of ['1er mars', 'demain', '2027/03/01', '01/03/27', ''])
      assert.deepEqual(checkCalendarDate(typed), { ok: false, reason: 'format' }, typed);
    for (const typed of ['31/02/2027', '29/02/2027', '00/01/2027', '12/13/2027'])
      assert.deepEqual(checkCalendarDate(typed), { ok: false, reason: 'calendar' }, typed);
  });

  it('shows a stored date as typed (JJ/MM/AAAA) and as text (« 1er mars 2027 »)', () => {
    assert.equal(typedCalendarDate('2027-03-01'), '01/03/2027');
    assert.equal(typedCalendarDate('n’importe quoi'), 'n’importe quoi');
    assert.equal(frenchDate('2027-03-01'), '1er mars 2027');
    assert.equal(frenchDate('2027-03-12'), '12 mars 2027');
    assert.equal(frenchDate(new Date('2026-12-31T23:30:00Z')), '1er janvier 2027', 'the day in Paris');
    assert.equal(frenchDate('pas une date'), 'pas une date');
    assert.equal(frenchDate('01/03/2027'), '01/03/2027', 'a typed date is never read the American way');
    assert.equal(frenchDate('2027-03-01T10:00:00.000Z'), '1er mars 2027');
  });
});
