import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import { derivedKey, seal, unseal } from '../domain/sealing.ts';
import { takeStash, upsertStash } from '../repositories/form-stashes.ts';

/** A step form's fields as posted: text fields are strings, repeated fields (checkboxes) arrays of strings. */
export type StashedValues = Record<string, string | string[]>;

/** A stash is kept one hour; the pre-auth cookie lives as long. */
export const STASH_LIFETIME_MS = 3600_000;
/** A ticket is accepted as long as the session that served it could have lasted (the absolute limit). */
const TICKET_LIFETIME_MS = 12 * 3600_000;
const ID_FORMAT = /^[\w-]{43}$/;
const TICKET_FORMAT = /^(\d{1,18})\.(\d{13})\.([\w-]{43})$/;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function asValues(parsed: unknown): StashedValues | undefined {
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const entries = Object.entries(parsed as Record<string, unknown>);
  const valid = entries.every(
    ([, v]) => typeof v === 'string' || (Array.isArray(v) && v.every((item) => typeof item === 'string')),
  );
  return valid ? (Object.fromEntries(entries) as StashedValues) : undefined;
}

/**
 * Values posted by a step form after its session had ended, kept until the same user signs in again (nothing typed is lost, ADR 0009).
 * Rows are keyed by the SHA-256 of a random 256-bit pre-auth id and encrypted with AES-256-GCM under a key derived
 * from SESSION_SECRET; the pre-auth id, the path and the user are bound as additional data, so a row cannot be moved.
 * Tickets prove, without the session, that a form was served by us to a given user (HMAC over user, time, CSRF token).
 */
export function formStashService(db: Knex, secret: string) {
  const encryptionKey = derivedKey(secret, 'form-stash/aes-256-gcm/v1');
  const ticketKey = derivedKey(secret, 'form-stash/ticket/v1');
  const mac = (userId: string, issuedAt: string, csrfToken: string) =>
    createHmac('sha256', ticketKey).update(`${userId}.${issuedAt}.${csrfToken}`).digest('base64url');
  const additionalData = (idHash: string, path: string, userId: string) => Buffer.from(`${idHash}\n${path}\n${userId}`);

  return {
    /** The ticket put in a step form for `userId`, bound to the session's CSRF token. */
    ticket(userId: string, csrfToken: string, now = Date.now()): string {
      return `${userId}.${now}.${mac(userId, String(now), csrfToken)}`;
    },

    /** The user a form was served to, when its ticket matches the CSRF token it carries and is recent enough. */
    ticketUser(ticket: unknown, csrfToken: unknown, now = Date.now()): string | undefined {
      if (typeof ticket !== 'string' || typeof csrfToken !== 'string' || !csrfToken) return undefined;
      const match = TICKET_FORMAT.exec(ticket);
      if (!match) return undefined;
      const [, userId, issuedAt, signature] = match as unknown as [string, string, string, string];
      const age = now - Number(issuedAt);
      if (age < -60_000 || age > TICKET_LIFETIME_MS) return undefined;
      return sameString(signature, mac(userId, issuedAt, csrfToken)) ? userId : undefined;
    },

    newId: (): string => randomBytes(32).toString('base64url'),
    isId: (value: unknown): value is string => typeof value === 'string' && ID_FORMAT.test(value),

    async keep(id: string, userId: string, path: string, values: StashedValues): Promise<void> {
      const idHash = sha256(id);
      const payload = seal(encryptionKey, JSON.stringify(values), additionalData(idHash, path, userId));
      await upsertStash(db, { idHash, path, userId, payload, expiresAt: new Date(Date.now() + STASH_LIFETIME_MS) });
    },

    /** The values stashed by `userId` for `path` under this pre-auth id, once; undefined otherwise. */
    async take(id: string, userId: string, path: string): Promise<StashedValues | undefined> {
      const idHash = sha256(id);
      const payload = await takeStash(db, idHash, userId, path);
      if (!payload) return undefined;
      const plain = unseal(encryptionKey, payload, additionalData(idHash, path, userId));
      if (plain === undefined) return undefined; // sealed under another secret (rotation) or altered: nothing to restore
      try {
        return asValues(JSON.parse(plain));
      } catch {
        return undefined;
      }
    },
  };
}

export type FormStashService = ReturnType<typeof formStashService>;
