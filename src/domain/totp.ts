import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1, 30-second steps, 6 digits, codes of the
 * previous and next steps accepted (clock drift). Pure: the caller gives the time and the last accepted step, and
 * refuses reuse by storing the step this module returns.
 */
export const STEP_SECONDS = 30;
export const DIGITS = 6;
/** Steps accepted on each side of the current one. */
export const WINDOW = 1;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32 (RFC 4648, case-insensitive, spaces and padding ignored); undefined when not base32. */
export function base32Decode(text: string): Buffer | undefined {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  if (!/^[A-Z2-7]*$/.test(clean)) return undefined;
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    value = (value << 5) | BASE32.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A new secret of 160 bits (RFC 4226 § 4 recommends it), base32-encoded: 32 characters. */
export function newSecret(): string {
  return base32Encode(randomBytes(20));
}

export function timeStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / STEP_SECONDS);
}

/** The HOTP value of `counter` (RFC 4226 § 5.3, dynamic truncation), `digits` long, zero-padded. */
export function hotp(key: Buffer, counter: number, digits = DIGITS): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const hmac = createHmac('sha1', key).update(message).digest();
  const offset = (hmac[hmac.length - 1] as number) & 0x0f;
  const binary = hmac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The code shown by an authenticator app at `nowMs` for a base32 secret. */
export function totp(secret: string, nowMs: number, digits = DIGITS): string {
  const key = base32Decode(secret);
  if (!key) throw new Error('Secret TOTP invalide');
  return hotp(key, timeStep(nowMs), digits);
}

/** A code as typed: digits only, spaces allowed (« 123 456 »). */
export function normaliseCode(input: unknown): string | undefined {
  if (typeof input !== 'string') return undefined;
  const code = input.replace(/\s/g, '');
  return new RegExp(`^\\d{${DIGITS}}$`).test(code) ? code : undefined;
}

export type CodeCheck = { ok: true; step: number } | { ok: false; reason: 'wrong' | 'reused' };

/**
 * Checks `code` against the steps around `nowMs`. A code whose step is at or before `lastStep` (the last accepted
 * one) is refused as reused, even when it would otherwise match; on success, store the returned step.
 */
export function checkCode(secret: string, code: string, nowMs: number, lastStep: number | null): CodeCheck {
  const key = base32Decode(secret);
  if (!key || !/^\d+$/.test(code) || code.length !== DIGITS) return { ok: false, reason: 'wrong' };
  const current = timeStep(nowMs);
  let reused = false;
  for (let step = current - WINDOW; step <= current + WINDOW; step += 1) {
    if (!timingSafeEqual(Buffer.from(hotp(key, step)), Buffer.from(code))) continue;
    if (lastStep !== null && step <= lastStep) reused = true;
    else return { ok: true, step };
  }
  return { ok: false, reason: reused ? 'reused' : 'wrong' };
}

/** The secret as shown to a person typing it: groups of 4 characters. */
export function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/** The otpauth:// URI read by authenticator apps (Key Uri Format). */
export function otpauthUri(secret: string, account: string, issuer = 'SignUp'): string {
  const label = encodeURIComponent(`${issuer}:${account}`);
  const params = new URLSearchParams({
    secret,
    issuer,
    algorithm: 'SHA1',
    digits: String(DIGITS),
    period: String(STEP_SECONDS),
  });
  return `otpauth://totp/${label}?${params.toString()}`;
}
