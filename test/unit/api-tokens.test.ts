import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkApiToken,
  dueExpiryReminder,
  hashApiToken,
  newApiToken,
  overlapEnd,
  tokenState,
} from '../../src/domain/api-tokens.ts';
import { gatewayOf } from '../../src/services/introspection.ts';

const DAY = 86_400_000;

describe('API tokens', () => {
  it('carry a prefix and a checksum: a mistyped token is told apart from a malformed one, without a lookup', () => {
    const { token, hash, hint } = newApiToken();
    assert.match(token, /^sgu_[0-9A-Za-z]{36}$/);
    assert.deepEqual(hash, hashApiToken(token));
    assert.equal(hint, `sgu_…${token.slice(-6)}`);
    assert.equal(checkApiToken(token).kind, 'well_formed');
    const swapped = token.slice(0, 10) + (token[10] === 'a' ? 'b' : 'a') + token.slice(11);
    assert.equal(checkApiToken(swapped).kind, 'mistyped');
    for (const bad of [token.slice(0, -1), `ghp_${token.slice(4)}`, `${token} `, 42, undefined, ''])
      assert.equal(checkApiToken(bad).kind, 'malformed', String(bad));
    assert.notEqual(newApiToken().token, token);
  });

  it('work until their expiry; a renewed one until the end of its overlap, never later than it would have', () => {
    const now = new Date('2027-01-10T12:00:00Z');
    const expiresAt = new Date(now.getTime() + 100 * DAY);
    assert.equal(tokenState({ expiresAt, revokedAt: null, replacedBy: null }, now), 'active');
    assert.equal(tokenState({ expiresAt, revokedAt: null, replacedBy: '2' }, now), 'overlap');
    assert.equal(tokenState({ expiresAt: now, revokedAt: null, replacedBy: '2' }, now), 'replaced');
    assert.equal(tokenState({ expiresAt: now, revokedAt: null, replacedBy: null }, now), 'expired');
    assert.equal(tokenState({ expiresAt, revokedAt: now, replacedBy: null }, now), 'revoked');
    assert.deepEqual(overlapEnd(now, 7, expiresAt), new Date(now.getTime() + 7 * DAY));
    assert.deepEqual(overlapEnd(now, 0, expiresAt), now);
    assert.deepEqual(overlapEnd(now, 30, new Date(now.getTime() + DAY)), new Date(now.getTime() + DAY));
  });

  it('are reminded at 90, 30 and 7 days and in their last 24 hours, and not once expired', () => {
    const expiresAt = new Date('2027-06-30T08:00:00Z');
    const before = (days: number) => new Date(expiresAt.getTime() - days * DAY);
    assert.equal(dueExpiryReminder(expiresAt, before(120)), undefined);
    assert.equal(dueExpiryReminder(expiresAt, before(90.5)), 90);
    assert.equal(dueExpiryReminder(expiresAt, before(45)), 90);
    assert.equal(dueExpiryReminder(expiresAt, before(30)), 30);
    assert.equal(dueExpiryReminder(expiresAt, before(7.9)), 7);
    assert.equal(dueExpiryReminder(expiresAt, before(0.5)), 0);
    assert.equal(dueExpiryReminder(expiresAt, before(-0.1)), undefined);
  });
});

describe('the gateway’s credentials', () => {
  const clients = [
    { id: 'passerelle', secret: 'a'.repeat(32) },
    { id: 'secours', secret: 'b'.repeat(40) },
  ];
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  it('are HTTP Basic (id and secret, form-encoded) or a bearer secret, for any of the configured gateways', () => {
    assert.equal(gatewayOf(clients, basic('passerelle', 'a'.repeat(32))), 'passerelle');
    assert.equal(gatewayOf(clients, basic('secours', 'b'.repeat(40))), 'secours');
    assert.equal(gatewayOf(clients, `Bearer ${'b'.repeat(40)}`), 'secours');
    assert.equal(gatewayOf(clients, `bearer ${'a'.repeat(32)}`), 'passerelle');
  });

  it('refuse a wrong secret, a secret of another gateway, broken encodings and other schemes', () => {
    for (const header of [
      basic('passerelle', 'b'.repeat(40)),
      basic('inconnue', 'a'.repeat(32)),
      basic('%zz', 'a'.repeat(32)),
      'Basic pas-du-base64',
      `Bearer ${'a'.repeat(31)}`,
      `Digest ${'a'.repeat(32)}`,
      '',
      undefined,
    ])
      assert.equal(gatewayOf(clients, header), undefined, String(header));
    assert.equal(gatewayOf([], `Bearer ${'a'.repeat(32)}`), undefined);
  });
});
