import { createHash, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import { checkApiToken } from '../domain/api-tokens.ts';
import type { IntrospectionClient } from '../config.ts';
import type { Queryable } from '../db/hot-path.ts';
import type { Logger } from '../logger.ts';
import { recordTokenUses, tokenByHash, type IntrospectedToken } from '../repositories/api-tokens.ts';

/** RFC 7662's answer: `active` alone when the token does not work, whatever the reason. */
export type Introspection =
  | { active: false }
  | { active: true; scope: string; exp: number; iat: number; sub: string; client_id: string; token_type: 'Bearer' };

/** Why a token is inactive: never in the answer (the same for all), only for the logs and the tests. */
export type InactiveReason = 'malformed' | 'mistyped' | 'unknown' | 'revoked' | 'expired' | 'authorization_ended';

/** How often the last uses kept in memory are written (one UPDATE for all of them). */
export const LAST_USE_FLUSH_MS = 30_000;

const digest = (value: string) => createHash('sha256').update(value).digest();

/** RFC 6749 § 2.3.1: the client's id and secret are form-encoded before Basic; undefined when that is broken. */
function formDecoded(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * The gateway's credentials: HTTP Basic (id and secret) or a bearer secret. Every configured secret is compared, in
 * constant time, whatever matched before: the time of a refusal says nothing about which part was wrong.
 */
export function gatewayCheck(clients: readonly IntrospectionClient[]): (authorization: unknown) => string | undefined {
  const known = clients.map((client) => ({ id: client.id, digest: digest(client.secret) }));
  return (authorization) => {
    if (typeof authorization !== 'string') return undefined;
    const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
    let id: string | undefined;
    let secret: string | undefined;
    if (/^basic$/i.test(scheme ?? '')) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const at = decoded.indexOf(':');
      if (at < 0) return undefined;
      id = formDecoded(decoded.slice(0, at));
      secret = formDecoded(decoded.slice(at + 1));
      if (id === undefined || secret === undefined) return undefined;
    } else if (/^bearer$/i.test(scheme ?? '')) secret = value;
    else return undefined;
    const presented = digest(secret);
    let found: string | undefined;
    for (const client of known) {
      const same = timingSafeEqual(presented, client.digest);
      if (same && (id === undefined || id === client.id) && found === undefined) found = client.id;
    }
    return found;
  };
}

/** One check of credentials (tests): see `gatewayCheck`, which the route builds once. */
export function gatewayOf(clients: readonly IntrospectionClient[], authorization: unknown): string | undefined {
  return gatewayCheck(clients)(authorization);
}

/** How long an answer read from the database may be given again without a notice of change (a safety net). */
export const ANSWER_CACHE_MS = 60_000;
const CACHE_LIMIT = 100_000;
const RELISTEN_MS = 5_000;
export const TOKEN_CHANGES_CHANNEL = 'signup_token_changes';

/** Listens to the database's notices of token changes on a connection of its own. */
export type ChangeListener = {
  connect(onChange: () => void, onLost: () => void): Promise<void>;
  close(): Promise<void>;
};

/**
 * Token introspection for API Entreprise's gateway: the hot path. One indexed read by the token's hash, on a pool of
 * its own (db/hot-path.ts), whose answer is kept in memory for the same token until the database says that tokens or
 * authorizations changed (a notice on commit, migration 20261204000002) or ANSWER_CACHE_MS pass; while the listening
 * connection is down, nothing is kept. Expiry is checked on every call. The last use is kept in memory and written
 * for every token at once every LAST_USE_FLUSH_MS (and at shutdown), never a write per call. A malformed or mistyped
 * token (the checksum says so) costs no read at all.
 */
export function introspectionService(
  db: Knex,
  pool: Queryable & { end(): Promise<void> },
  logger: Logger,
  listener?: ChangeListener,
) {
  const uses = new Map<string, Date>();
  const answers = new Map<string, { row: IntrospectedToken | undefined; at: number }>();
  let timer: NodeJS.Timeout | undefined;
  let relisten: NodeJS.Timeout | undefined;
  let listening = false;
  let stopped = false;
  let ended = false;
  /** Bumped by every change: an answer read before a change is not kept after it. */
  let generation = 0;

  function forget(): void {
    generation += 1;
    answers.clear();
  }

  async function listen(): Promise<void> {
    if (!listener || stopped) return;
    try {
      await listener.connect(forget, () => {
        listening = false;
        forget();
        if (!stopped) relisten = setTimeout(() => void listen(), RELISTEN_MS).unref();
      });
      forget(); // changes made while not listening
      listening = true;
    } catch (error) {
      logger.warn({ err: error }, 'token change notices unavailable: introspection answers are not kept');
      if (!stopped) relisten = setTimeout(() => void listen(), RELISTEN_MS).unref();
    }
  }

  /** The same token asked by many connections at once is read once (its callers wait for that one read). */
  const reading = new Map<string, { generation: number; row: Promise<IntrospectedToken | undefined> }>();

  async function read(key: string, hash: Buffer, now: number): Promise<IntrospectedToken | undefined> {
    const seen = generation;
    try {
      const row = await tokenByHash(pool, hash);
      if (listening && seen === generation) {
        if (answers.size >= CACHE_LIMIT) answers.delete(answers.keys().next().value!);
        answers.set(key, { row, at: now });
      }
      return row;
    } finally {
      if (reading.get(key)?.generation === seen) reading.delete(key);
    }
  }

  function lookUp(hash: Buffer, now: number): Promise<IntrospectedToken | undefined> {
    const key = hash.toString('base64');
    const kept = listening ? answers.get(key) : undefined;
    if (kept && now - kept.at < ANSWER_CACHE_MS) return Promise.resolve(kept.row);
    const pending = reading.get(key);
    if (pending && pending.generation === generation) return pending.row;
    const row = read(key, hash, now);
    reading.set(key, { generation, row });
    return row;
  }

  async function flush(): Promise<void> {
    if (!uses.size) return;
    const batch = new Map(uses);
    uses.clear();
    try {
      await recordTokenUses(db, batch);
    } catch (error) {
      // Kept for the next flush, unless a newer use came meanwhile.
      for (const [id, at] of batch) if (!uses.has(id)) uses.set(id, at);
      logger.warn({ err: error, tokens: batch.size }, 'token last-use flush failed');
    }
  }

  return {
    async introspect(token: unknown, now = new Date()): Promise<{ answer: Introspection; reason?: InactiveReason }> {
      const check = checkApiToken(token);
      if (check.kind !== 'well_formed') return { answer: { active: false }, reason: check.kind };
      const row = await lookUp(check.hash, Date.now());
      if (!row) return { answer: { active: false }, reason: 'unknown' };
      if (row.revoked) return { answer: { active: false }, reason: 'revoked' };
      if (row.authorizationStatus !== 'active') return { answer: { active: false }, reason: 'authorization_ended' };
      // A token never outlives its authorization (three years, unless renewed).
      const ends = Math.min(row.expiresAt.getTime(), row.authorizationExpiresAt.getTime());
      if (ends <= now.getTime()) return { answer: { active: false }, reason: 'expired' };
      uses.set(row.id, now);
      return {
        answer: {
          active: true,
          scope: row.scopes.join(' '),
          exp: Math.floor(ends / 1000),
          iat: Math.floor(row.createdAt.getTime() / 1000),
          sub: row.siret,
          client_id: row.authorizationId,
          token_type: 'Bearer',
        },
      };
    },

    /** Forgets the answers kept: this process changed a token (the notice reaches the other processes). */
    forget,

    /** Writes the last uses now (tests, shutdown). */
    flush,

    async start(): Promise<void> {
      timer ??= setInterval(() => void flush(), LAST_USE_FLUSH_MS);
      timer.unref();
      await listen();
    },

    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      if (relisten) clearTimeout(relisten);
      timer = undefined;
      listening = false;
      await flush();
      await listener?.close();
      if (!ended) await pool.end();
      ended = true;
    },
  };
}

export type IntrospectionService = ReturnType<typeof introspectionService>;
