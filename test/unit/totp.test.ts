import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { derivedKey, seal, unseal } from '../../src/domain/sealing.ts';
import {
  base32Decode,
  base32Encode,
  checkCode,
  groupedSecret,
  hotp,
  newSecret,
  normaliseCode,
  otpauthUri,
  timeStep,
  totp,
} from '../../src/domain/totp.ts';

// RFC 6238 appendix B, SHA1 rows: the 20-byte ASCII secret "12345678901234567890", 8-digit codes.
const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii');
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it('gives the RFC 6238 SHA1 test vectors with 8 digits, and their last 6 digits with 6', () => {
    const secret = base32Encode(RFC_SECRET);
    assert.equal(secret, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    for (const [seconds, expected] of RFC_VECTORS) {
      assert.equal(totp(secret, seconds * 1000, 8), expected, `T = ${seconds}`);
      assert.equal(totp(secret, seconds * 1000), expected.slice(2), `T = ${seconds}, 6 chiffres`);
      assert.equal(hotp(RFC_SECRET, timeStep(seconds * 1000), 8), expected);
    }
  });

  it('encodes and decodes base32 (RFC 4648), ignoring case, spaces and padding', () => {
    assert.equal(base32Encode(Buffer.from('foobar')), 'MZXW6YTBOI');
    assert.deepEqual(base32Decode('mzxw 6ytb oi======'), Buffer.from('foobar'));
    assert.equal(base32Decode('not base32!'), undefined);
    const secret = newSecret();
    assert.match(secret, /^[A-Z2-7]{32}$/, '160 bits');
    assert.equal(base32Decode(secret)?.length, 20);
    assert.notEqual(newSecret(), secret);
  });

  it('accepts the previous, current and next steps only', () => {
    const secret = newSecret();
    const now = 1_700_000_015_000;
    const step = timeStep(now);
    for (const offset of [-1, 0, 1]) {
      assert.deepEqual(checkCode(secret, totp(secret, now + offset * 30_000), now, null), {
        ok: true,
        step: step + offset,
      });
    }
    for (const offset of [-2, 2])
      assert.deepEqual(checkCode(secret, totp(secret, now + offset * 30_000), now, null), {
        ok: false,
        reason: 'wrong',
      });
  });

  it('refuses a code whose step is at or before the last accepted one', () => {
    const secret = newSecret();
    const now = 1_700_000_015_000;
    const code = totp(secret, now);
    assert.deepEqual(checkCode(secret, code, now, timeStep(now)), { ok: false, reason: 'reused' });
    assert.deepEqual(checkCode(secret, totp(secret, now - 30_000), now, timeStep(now)), {
      ok: false,
      reason: 'reused',
    });
    assert.deepEqual(checkCode(secret, totp(secret, now + 30_000), now, timeStep(now)), {
      ok: true,
      step: timeStep(now) + 1,
    });
    assert.deepEqual(checkCode(secret, '12345', now, null), { ok: false, reason: 'wrong' });
  });

  it('reads codes typed with spaces, and shows the secret grouped by 4 and as an otpauth URI', () => {
    assert.equal(normaliseCode(' 123 456 '), '123456');
    assert.equal(normaliseCode('12345a'), undefined);
    assert.equal(normaliseCode(['123456']), undefined);
    assert.equal(groupedSecret('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'), 'GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ');
    assert.equal(
      otpauthUri('GEZDGNBVGY3TQOJQ', 'marie@exemple.gouv.fr'),
      'otpauth://totp/SignUp%3Amarie%40exemple.gouv.fr?secret=GEZDGNBVGY3TQOJQ&issuer=SignUp&algorithm=SHA1&digits=6&period=30',
    );
  });
});

describe('sealing (AES-256-GCM, HKDF keys)', () => {
  it('opens what it sealed with the same key and additional data only', () => {
    const key = derivedKey('a-session-secret-with-at-least-32-characters', 'test/v1');
    const sealed = seal(key, 'secret', Buffer.from('row 1'));
    assert.ok(!sealed.includes(Buffer.from('secret')));
    assert.equal(unseal(key, sealed, Buffer.from('row 1')), 'secret');
    assert.equal(unseal(key, sealed, Buffer.from('row 2')), undefined);
    assert.equal(
      unseal(derivedKey('a-session-secret-with-at-least-32-characters', 'test/v2'), sealed, Buffer.from('row 1')),
      undefined,
    );
    assert.equal(unseal(key, sealed.subarray(0, 20), Buffer.from('row 1')), undefined);
  });
});
