import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideJoin, type JoinSituation } from '../../src/domain/join.ts';

const base: JoinSituation = {
  userEmail: 'marie.durand@clamart.fr',
  organisationExists: false,
  organisationDomain: null,
  activeMemberEmails: [],
  userMembership: null,
};

describe('joining an organisation (the three cases)', () => {
  it('1. no member yet: creates the organisation with the user’s domain', () => {
    assert.deepEqual(decideJoin(base), { kind: 'create', domain: 'clamart.fr', moderation: null });
  });

  it('1. no member yet with a free mail address: creates, but goes to moderation and sets no domain', () => {
    assert.deepEqual(decideJoin({ ...base, userEmail: 'marie@gmail.com' }), {
      kind: 'create',
      domain: null,
      moderation: 'free_mail',
    });
  });

  it('2. members with the same domain: joins (case-insensitive)', () => {
    const situation = {
      ...base,
      organisationExists: true,
      organisationDomain: 'clamart.fr',
      activeMemberEmails: ['Paul.Martin@Clamart.fr'],
    };
    assert.deepEqual(decideJoin({ ...situation, userEmail: 'MARIE@CLAMART.FR' }), { kind: 'join' });
  });

  it('2. the organisation’s verified domain counts even if members use another one', () => {
    const situation = {
      ...base,
      organisationExists: true,
      organisationDomain: 'clamart.fr',
      activeMemberEmails: ['dsi@prestataire.fr'],
    };
    assert.deepEqual(decideJoin(situation), { kind: 'join' });
  });

  it('3. members with other domains only: suspended', () => {
    const situation = {
      ...base,
      organisationExists: true,
      organisationDomain: 'ville-clamart.fr',
      activeMemberEmails: ['paul@ville-clamart.fr'],
    };
    assert.deepEqual(decideJoin(situation), { kind: 'suspended', reason: 'other_domain' });
  });

  it('a free mail domain never proves membership, even when a member uses the same provider', () => {
    const situation = {
      ...base,
      userEmail: 'marie@gmail.com',
      organisationExists: true,
      activeMemberEmails: ['paul@gmail.com'],
    };
    assert.deepEqual(decideJoin(situation), { kind: 'suspended', reason: 'free_mail' });
  });

  it('already a member, or already waiting', () => {
    assert.deepEqual(decideJoin({ ...base, userMembership: 'active' }), { kind: 'already_member' });
    assert.deepEqual(decideJoin({ ...base, userMembership: 'pending' }), { kind: 'already_pending' });
  });

  it('a refused membership can ask again and follows the rules', () => {
    const situation = {
      ...base,
      organisationExists: true,
      activeMemberEmails: ['paul@ville-clamart.fr'],
      userMembership: 'refused' as const,
    };
    assert.deepEqual(decideJoin(situation), { kind: 'suspended', reason: 'other_domain' });
  });
});
