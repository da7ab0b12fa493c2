import { randomInt } from 'node:crypto';

/**
 * Recovery codes of the staff second factor: ten single-use codes of ten characters from Crockford's base 32 (digits
 * and capitals without I, L, O, U, so that nothing reads as something else), 50 random bits each, written
 * « K7M2Q-9XH4T ». A person types them as they like: lower case, spaces, hyphens, O for 0, I or L for 1.
 */
export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 10;

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const codes = new Set<string>();
  while (codes.size < count) {
    let code = '';
    for (let i = 0; i < LENGTH; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
    codes.add(`${code.slice(0, 5)}-${code.slice(5)}`);
  }
  return [...codes];
}

/** The code as stored (ten characters of the alphabet), or undefined when what was typed cannot be one. */
export function normaliseRecoveryCode(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length > 40) return undefined;
  const plain = input
    .toUpperCase()
    .replace(/[\s\-‐‑–—.]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (plain.length !== LENGTH) return undefined;
  for (const character of plain) if (!ALPHABET.includes(character)) return undefined;
  return plain;
}
