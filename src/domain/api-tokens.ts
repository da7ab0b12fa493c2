import { createHash, randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * API Entreprise tokens (« jetons »): `sgu_`, 30 random base62 characters (178 bits), then 6 base62 characters of
 * the CRC32 of the random part. The prefix lets secret scanners recognise a leaked token; the checksum tells a
 * mistyped or truncated token from one that was real (revoked, expired), without a lookup. Only the SHA-256 of the
 * whole token is stored.
 */
export const TOKEN_PREFIX = 'sgu_';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;
export const TOKEN_LENGTH = TOKEN_PREFIX.length + RANDOM_LENGTH + CHECKSUM_LENGTH;
const SHAPE = new RegExp(`^${TOKEN_PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);

/** A token lives 18 months unless renewed or revoked. */
export const TOKEN_LIFETIME_MONTHS = 18;
/** When renewed, the old token keeps working for this many days at most, as the user chooses. */
export const MAX_OVERLAP_DAYS = 30;
/** Reminders before a token expires, in days (0: on the day). */
export const EXPIRY_REMINDER_DAYS = [90, 30, 7, 0] as const;
/** Reminders to renew an authorization (three years), in days before it expires, while no renewal is open. */
export const RENEWAL_REMINDER_DAYS = [90, 30] as const;

function base62(value: number, length: number): string {
  let out = '';
  for (let n = value; out.length < length; n = Math.floor(n / 62)) out = ALPHABET[n % 62] + out;
  return out;
}

function checksum(random: string): string {
  return base62(crc32(random), CHECKSUM_LENGTH);
}

export function hashApiToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** A new token, its hash to store and the hint shown in lists (the prefix and the checksum: no secret bit). */
export function newApiToken(): { token: string; hash: Buffer; hint: string } {
  let random = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) random += ALPHABET[randomInt(62)];
  const token = `${TOKEN_PREFIX}${random}${checksum(random)}`;
  return { token, hash: hashApiToken(token), hint: tokenHint(token) };
}

export function tokenHint(token: string): string {
  return `${TOKEN_PREFIX}…${token.slice(-CHECKSUM_LENGTH)}`;
}

export type TokenCheck =
  | { kind: 'well_formed'; hash: Buffer }
  /** Not a SignUp token at all (wrong prefix, length or characters). */
  | { kind: 'malformed' }
  /** Shaped like one but its checksum is wrong: mistyped or truncated, never issued. */
  | { kind: 'mistyped' };

/** What a presented token is, before any lookup. */
export function checkApiToken(value: unknown): TokenCheck {
  if (typeof value !== 'string' || !SHAPE.test(value)) return { kind: 'malformed' };
  const random = value.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + RANDOM_LENGTH);
  if (checksum(random) !== value.slice(-CHECKSUM_LENGTH)) return { kind: 'mistyped' };
  return { kind: 'well_formed', hash: hashApiToken(value) };
}

export type TokenState = 'active' | 'overlap' | 'expired' | 'revoked' | 'replaced';

export type TokenDates = { expiresAt: Date; revokedAt: Date | null; replacedBy: string | null };

/** A token's state at `now`: a renewed token works until its (brought forward) expiry, as an « overlap ». */
export function tokenState(token: TokenDates, now: Date): TokenState {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt.getTime() <= now.getTime()) return token.replacedBy ? 'replaced' : 'expired';
  return token.replacedBy ? 'overlap' : 'active';
}

export const TOKEN_STATE_LABELS: Record<TokenState, string> = {
  active: 'Actif',
  overlap: 'Remplacé, fonctionne encore',
  expired: 'Expiré',
  revoked: 'Révoqué',
  replaced: 'Remplacé',
};

/** The day a token renewed now with `overlapDays` stops: never later than it would have. */
export function overlapEnd(now: Date, overlapDays: number, expiresAt: Date): Date {
  const end = new Date(now.getTime() + overlapDays * 86_400_000);
  return end < expiresAt ? end : expiresAt;
}

/**
 * The reminder due at `now` for a token expiring at `expiresAt` (the smallest threshold reached), if any: whole days
 * left, so that « on the day » is the last 24 hours and an expired token gets none.
 */
export function dueExpiryReminder(
  expiresAt: Date,
  now: Date,
  thresholds: readonly number[] = EXPIRY_REMINDER_DAYS,
): number | undefined {
  const daysLeft = Math.floor((expiresAt.getTime() - now.getTime()) / 86_400_000);
  if (daysLeft < 0) return undefined;
  return [...thresholds].sort((a, b) => a - b).find((days) => daysLeft <= days);
}
