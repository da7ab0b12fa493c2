import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newRecoveryCodes, normaliseRecoveryCode, RECOVERY_CODE_COUNT } from '../../src/domain/recovery-codes.ts';

describe('recovery codes', () => {
  it('makes ten different codes of ten characters without I, L, O or U', () => {
    const codes = newRecoveryCodes();
    assert.equal(codes.length, RECOVERY_CODE_COUNT);
    assert.equal(new Set(codes).size, RECOVERY_CODE_COUNT);
    for (const code of codes) assert.match(code, /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
  });

  it('reads them as people type them', () => {
    assert.equal(normaliseRecoveryCode('K7M2Q-9XH4T'), 'K7M2Q9XH4T');
    assert.equal(normaliseRecoveryCode(' k7m2q 9xh4t '), 'K7M2Q9XH4T');
    assert.equal(normaliseRecoveryCode('K7M2Q–9XH4T'), 'K7M2Q9XH4T', 'an en dash from a word processor');
    assert.equal(normaliseRecoveryCode('O1234-I5L67'), '0123415167', 'O for 0, I and L for 1');
  });

  it('refuses what cannot be a code', () => {
    for (const typed of [
      '',
      'K7M2Q',
      'K7M2Q-9XH4T-1',
      'K7M2Q-9XH4U',
      '12345-6789é',
      'x'.repeat(41),
      42,
      undefined,
      ['K7M2Q9XH4T'],
    ])
      assert.equal(normaliseRecoveryCode(typed), undefined, String(typed));
  });

  it('a normalised code is its own normal form', () => {
    for (const code of newRecoveryCodes()) {
      const plain = normaliseRecoveryCode(code)!;
      assert.equal(normaliseRecoveryCode(plain), plain);
    }
  });
});
