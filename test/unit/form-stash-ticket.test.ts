import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Knex } from 'knex';
import { stashableValues } from '../../src/middleware/form-stash.ts';
import { findStep } from '../../src/forms/steps/index.ts';
import { formStashService } from '../../src/services/form-stashes.ts';

const stashes = formStashService(undefined as unknown as Knex, 'test-session-secret-with-at-least-32-characters');
const other = formStashService(undefined as unknown as Knex, 'another-session-secret-with-32-characters!!');
const now = Date.now();

describe('form stash tickets', () => {
  it('name the user a form was served to, with the CSRF token it was served with', () => {
    const ticket = stashes.ticket('42', 'jeton-csrf', now);
    assert.equal(stashes.ticketUser(ticket, 'jeton-csrf', now), '42');
    assert.equal(stashes.ticketUser(ticket, 'autre-jeton', now), undefined);
    assert.equal(stashes.ticketUser(ticket.replace(/^42\./, '43.'), 'jeton-csrf', now), undefined);
    assert.equal(other.ticketUser(ticket, 'jeton-csrf', now), undefined, 'another secret');
    assert.equal(stashes.ticketUser(undefined, 'jeton-csrf', now), undefined);
    assert.equal(stashes.ticketUser(ticket, '', now), undefined);
  });

  it('are worth nothing after the 12-hour session limit', () => {
    const ticket = stashes.ticket('42', 'jeton-csrf', now - 12 * 3600_000 - 1000);
    assert.equal(stashes.ticketUser(ticket, 'jeton-csrf', now), undefined);
  });

  it('leave out everything but the step’s fields and what saving needs', () => {
    const step = findStep('donnees')!;
    const values = stashableValues(step, {
      scopes: ['a', 'b'],
      _csrf: 'x',
      _jeton_reprise: 'y',
      password: 'z',
      version: '3',
      action: 'continuer',
      moi: 'dpo',
    });
    assert.deepEqual(values, { scopes: ['a', 'b'], version: '3' });
  });
});
