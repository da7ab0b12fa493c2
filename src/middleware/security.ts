import { randomFillSync } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { Config } from '../config.ts';

/** Stands for the request's nonce while helmet writes the policy once; replaced on each request. */
const NONCE_MARK = 'signup-nonce-mark';

/** helmet's options: a strict policy (no inline code, no eval, no foreign origin) and the other headers. */
function helmetOptions(config: Config): Parameters<typeof helmet>[0] {
  const https = config.baseUrl.protocol === 'https:';
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", `'nonce-${NONCE_MARK}'`],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
  };
}

/**
 * The headers helmet sets, read once at start-up: helmet stays the source of every header and of the policy's text,
 * and a request pays for one loop of `setHeader` instead of helmet's chain of thirteen middlewares (a fifth of the
 * CPU of a public page went to headers, random bytes and gzip: bench/README.md).
 */
function helmetHeaders(config: Config): [string, string][] {
  const headers = new Map<string, string>();
  const response = {
    setHeader: (name: string, value: string) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
    getHeader: (name: string) => headers.get(name),
  } as unknown as ServerResponse;
  let called = false;
  helmet(helmetOptions(config))({} as IncomingMessage, response, () => (called = true));
  if (!called) throw new Error('helmet n’a pas rendu la main : en-têtes de sécurité illisibles');
  return [...headers];
}

/**
 * CSP nonces: 128 bits each from the system's CSPRNG, drawn from a pool filled 256 nonces at a time (one system call
 * instead of one per request; the bytes are as random).
 */
const POOL_NONCES = 256;
const pool = Buffer.alloc(16 * POOL_NONCES);
let next = POOL_NONCES;
function nonce(): string {
  if (next === POOL_NONCES) {
    randomFillSync(pool);
    next = 0;
  }
  const value = pool.toString('base64', next * 16, next * 16 + 16);
  next += 1;
  return value;
}

/** A fresh CSP nonce per request, in the policy and in `res.locals` (the templates' script tags). */
export function securityHeaders(config: Config): RequestHandler[] {
  const headers = helmetHeaders(config);
  const csp = headers.find(([name]) => name === 'Content-Security-Policy');
  if (!csp || !csp[1].includes(NONCE_MARK)) throw new Error('politique de sécurité du contenu sans nonce');
  const [before, after] = csp[1].split(NONCE_MARK) as [string, string];
  const others = headers.filter(([name]) => name !== 'Content-Security-Policy');
  return [
    (_req, res, next) => {
      const value = nonce();
      res.locals.cspNonce = value;
      for (const [name, header] of others) res.setHeader(name, header);
      res.setHeader('Content-Security-Policy', before + value + after);
      next();
    },
  ];
}
/** Pages that show personal data must not be kept by browsers or proxies. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};
