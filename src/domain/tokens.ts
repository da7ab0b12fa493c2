import { createHash, randomBytes } from 'node:crypto';

/** Secrets sent by email: 32 random bytes (256 bits), base64url; only their SHA-256 is stored. */
export function newSecret(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashSecret(token) };
}

export function hashSecret(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** How long an emailed link works: a contact invited on approval gets a week to choose a password. */
export const TOKEN_LIFETIME_MS = {
  activation: 24 * 3600_000,
  reset: 3600_000,
  email_change: 24 * 3600_000,
  invitation: 7 * 24 * 3600_000,
} as const;
export type TokenPurpose = keyof typeof TOKEN_LIFETIME_MS;
