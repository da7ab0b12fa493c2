import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CATCH_UP_DAYS,
  REMINDERS,
  addMonths,
  archiveBefore,
  archiveDate,
  reminderWindow,
} from '../../src/domain/reminders.ts';
import { eventsFor, nextStatus } from '../../src/domain/request-states.ts';

const at = (iso: string) => new Date(iso);
const rule = (kind: string) => REMINDERS.find((r) => r.kind === kind)!;

describe('reminder windows', () => {
  it('is due from 15 days (drafts) and 30 days (changes asked), with a bounded catch-up', () => {
    const now = at('2027-03-31T10:00:00Z');
    assert.deepEqual(reminderWindow(rule('draft'), now), {
      from: at(`2027-03-${String(31 - 15 - CATCH_UP_DAYS).padStart(2, '0')}T10:00:00Z`),
      before: at('2027-03-16T10:00:00Z'),
    });
    assert.deepEqual(reminderWindow(rule('changes'), now).before, at('2027-03-01T10:00:00Z'));
    assert.equal(rule('draft').status, 'draft');
    assert.equal(rule('changes').status, 'changes_requested');
  });
});

describe('calendar months', () => {
  it('adds and removes months, the 31st becoming the last day of a shorter month', () => {
    assert.deepEqual(addMonths(at('2027-01-15T08:00:00Z'), 6), at('2027-07-15T08:00:00Z'));
    assert.deepEqual(addMonths(at('2027-08-31T08:00:00Z'), 6), at('2028-02-29T08:00:00Z')); // leap year
    assert.deepEqual(addMonths(at('2027-08-31T08:00:00Z'), -6), at('2027-02-28T08:00:00Z'));
    assert.deepEqual(addMonths(at('2027-12-01T00:00:00Z'), 1), at('2028-01-01T00:00:00Z'));
  });

  it('archives what was last changed six months before now; the reminder tells that date', () => {
    assert.deepEqual(archiveBefore(at('2027-09-10T12:00:00Z')), at('2027-03-10T12:00:00Z'));
    assert.deepEqual(archiveDate(at('2027-03-10T12:00:00Z')), at('2027-09-10T12:00:00Z'));
  });
});

describe('the automatic archive in the state table', () => {
  it('only moves a request sent back for changes, and only the service sends it', () => {
    assert.equal(nextStatus('changes_requested', 'expire'), 'archived');
    for (const status of ['draft', 'submitted', 'validated', 'refused', 'revoked', 'archived'] as const)
      assert.equal(nextStatus(status, 'expire'), undefined, status);
    assert.deepEqual(eventsFor('changes_requested', 'system'), ['expire']);
    assert.ok(!eventsFor('changes_requested', 'applicant').includes('expire'));
  });
});
