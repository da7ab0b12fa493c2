import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emailDomain, isFreeMailDomain, normaliseEmail } from '../../src/domain/email.ts';
import { checkPhone, formatPhone } from '../../src/domain/phone.ts';

describe('phone numbers', () => {
  const valid: [string, string][] = [
    ['01 23 45 67 89', '+33123456789'],
    ['01.23.45.67.89', '+33123456789'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['0033612345678', '+33612345678'],
    ['0692 12 34 56', '+33692123456'],
    ['+262 692 12 34 56', '+262692123456'],
    ['+590 590 12 34 56', '+590590123456'],
    ['+687 27 12 34', '+687271234'],
    ['+689 40 12 34 56', '+68940123456'],
    ['+508 41 12 34', '+508411234'],
  ];
  for (const [input, e164] of valid) {
    it(`accepts ${input}`, () => assert.deepEqual(checkPhone(input), { ok: true, e164 }));
  }
  const invalid = [
    '',
    '01 23 45 67',
    '1234567890',
    '+33 0 12 34 56 78',
    '+687 27 12 34 5',
    'téléphone',
    '+44 20 7946 0958',
  ];
  for (const input of invalid) {
    it(`refuses « ${input} » with a French message and an example`, () => {
      const check = checkPhone(input);
      assert.equal(check.ok, false);
      if (!check.ok) assert.match(check.message, /01 23 45 67 89/);
    });
  }
  it('formats French numbers for display', () => {
    assert.equal(formatPhone('+33123456789'), '01 23 45 67 89');
    assert.equal(formatPhone('+687271234'), '+687271234');
  });
});

describe('email addresses', () => {
  it('normalise and give their domain', () => {
    assert.equal(normaliseEmail('  Marie.Durand@Clamart.FR '), 'marie.durand@clamart.fr');
    assert.equal(emailDomain('marie@Clamart.fr'), 'clamart.fr');
  });
  it('recognise free mail providers', () => {
    assert.equal(isFreeMailDomain('gmail.com'), true);
    assert.equal(isFreeMailDomain('ORANGE.fr'), true);
    assert.equal(isFreeMailDomain('clamart.fr'), false);
  });
});
