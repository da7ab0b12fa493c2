import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPassword, PASSWORD_MAX } from '../../src/domain/password-policy.ts';
import { commonPasswords } from '../../src/services/password-dictionary.ts';

const dictionary = commonPasswords();

describe('password policy', () => {
  it('refuses fewer than 12 characters with the count and an example', () => {
    const check = checkPassword('Abcdef!12', dictionary);
    assert.equal(check.ok, false);
    if (!check.ok) assert.match(check.message, /au moins 12 caractères \(vous en avez saisi 9\)/);
  });

  it('counts Unicode characters, not bytes: 64 emojis are accepted, 129 characters refused', () => {
    assert.deepEqual(checkPassword('🦊'.repeat(32) + '🐝'.repeat(32), dictionary), { ok: true });
    assert.equal(checkPassword('a'.repeat(60) + 'b'.repeat(69), dictionary).ok, false);
    assert.equal(checkPassword('ab'.repeat(PASSWORD_MAX / 2), dictionary).ok, true);
  });

  it('accepts a passphrase and refuses common and breached passwords', () => {
    assert.deepEqual(checkPassword('correct horse battery staple', dictionary), { ok: true });
    for (const weak of [
      'motdepasse123',
      'azertyuiop12',
      'password1234',
      'Soleil2026!!',
      '123456789012',
      'aaaaaaaaaaaaaa',
      'administrateur',
    ]) {
      assert.equal(checkPassword(weak, dictionary).ok, false, weak);
    }
  });

  it('refuses the user’s own name or email', () => {
    assert.equal(checkPassword('marie.durand@clamart.fr', dictionary, ['marie.durand@clamart.fr', 'Durand']).ok, false);
    assert.equal(checkPassword('Durandurand2026', dictionary, ['Durand']).ok, false);
  });
});
