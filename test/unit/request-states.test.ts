import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EDITABLE_STATUSES,
  eventsFor,
  isCopyable,
  isEditable,
  nextStatus,
  statesAfter,
  statesAllowing,
  STATUS_LABELS,
  type RequestEvent,
  type RequestStatus,
} from '../../src/domain/request-states.ts';

describe('request state machine', () => {
  it('follows draft → submitted → (changes_requested → submitted) → validated | refused', () => {
    assert.equal(nextStatus('draft', 'submit'), 'submitted');
    assert.equal(nextStatus('submitted', 'request_changes'), 'changes_requested');
    assert.equal(nextStatus('changes_requested', 'submit'), 'submitted');
    assert.equal(nextStatus('submitted', 'validate'), 'validated');
    assert.equal(nextStatus('submitted', 'refuse'), 'refused');
    assert.equal(nextStatus('validated', 'revoke'), 'revoked');
    assert.equal(nextStatus('draft', 'archive'), 'archived');
  });

  it('refuses every transition that is not in the table', () => {
    const statuses = Object.keys(STATUS_LABELS) as RequestStatus[];
    const events: RequestEvent[] = ['submit', 'request_changes', 'validate', 'refuse', 'archive', 'revoke'];
    const allowed = new Set([
      'draft:submit',
      'draft:archive',
      'submitted:request_changes',
      'submitted:validate',
      'submitted:refuse',
      'changes_requested:submit',
      'changes_requested:archive',
      'validated:revoke',
    ]);
    for (const status of statuses) {
      for (const event of events) {
        assert.equal(
          nextStatus(status, event) !== undefined,
          allowed.has(`${status}:${event}`),
          `${status} × ${event}`,
        );
      }
    }
  });

  it('lets the applicant edit only drafts and requests sent back for changes', () => {
    assert.deepEqual((Object.keys(STATUS_LABELS) as RequestStatus[]).filter(isEditable), [
      'draft',
      'changes_requested',
    ]);
  });

  it('derives from the same table the starting states of each event, where it leads, and who may send it', () => {
    assert.deepEqual(statesAllowing('submit'), ['draft', 'changes_requested']);
    assert.deepEqual(statesAllowing('archive'), ['draft', 'changes_requested']);
    assert.deepEqual(statesAllowing('validate'), ['submitted']);
    assert.deepEqual(statesAfter('submit'), ['submitted']);
    assert.deepEqual(EDITABLE_STATUSES, ['draft', 'changes_requested']);
    assert.deepEqual(eventsFor('draft', 'applicant'), ['submit', 'archive']);
    assert.deepEqual(eventsFor('submitted', 'applicant'), []);
    assert.deepEqual(eventsFor('submitted', 'instructor'), ['request_changes', 'validate', 'refuse']);
    assert.deepEqual((Object.keys(STATUS_LABELS) as RequestStatus[]).filter(isCopyable), ['validated', 'refused']);
  });
});
