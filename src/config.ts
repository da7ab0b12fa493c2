import path from 'node:path';
import Joi from 'joi';

export type Config = Readonly<{
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  baseUrl: URL;
  databaseUrl: string | undefined;
  embeddedDataDir: string;
  embeddedPort: number;
  sessionSecret: string;
  sessionIdleMinutes: number;
  trustProxy: string | number | boolean;
  smtpUrl: string | undefined;
  /** The development pages (/dev: the outbox read as a mailbox, error previews): outside production, and only without SMTP. */
  devPages: boolean;
  mailFrom: string;
  runWorker: boolean;
  logLevel: string;
  bodyLimit: string;
  dbTimeoutMs: number;
  accessibilityRate: number | null;
  sireneApiUrl: string | undefined;
  sireneApiTimeoutMs: number;
  /** Absolute directory of the attachments, outside any static root. */
  uploadDir: string;
  /** clamd (`tcp://host:port`) scanning every attachment; without it (never in production) files are `unscanned`. */
  clamdUrl: string | undefined;
  /** The gateways allowed to introspect tokens (`POST /api/v1/introspection`), each with its own secret. */
  introspectionClients: readonly IntrospectionClient[];
  /** Where the endpoints of « État des endpoints » are probed; outside production, a local stub when empty. */
  endpointProbeBaseUrl: string | undefined;
  /** A token of API Entreprise sent with the probes (expected status 200); without it, set the expected status. */
  endpointProbeToken: string | undefined;
}>;

export type IntrospectionClient = Readonly<{ id: string; secret: string }>;

/** `id:secret,id:secret`: ids of letters, digits, « - » and « _ », secrets of 32 characters or more. */
const INTROSPECTION_CLIENTS = /^[A-Za-z0-9_-]{1,40}:[^,\s]{32,200}(,[A-Za-z0-9_-]{1,40}:[^,\s]{32,200})*$/;
const DEV_INTROSPECTION_CLIENTS = 'passerelle:dev-only-introspection-secret-not-for-production';

function parseClients(value: string): IntrospectionClient[] {
  return value.split(',').map((pair) => {
    const at = pair.indexOf(':');
    return Object.freeze({ id: pair.slice(0, at), secret: pair.slice(at + 1) });
  });
}

const productionRequired = ['SESSION_SECRET', 'DATABASE_URL', 'BASE_URL', 'SMTP_URL', 'CLAMD_URL'] as const;

const schema = Joi.object({
  NODE_ENV: Joi.string().valid('development', 'test', 'production').default('development'),
  PORT: Joi.number().integer().min(0).max(65535).default(3000),
  // production listens on every interface (behind its load balancer); elsewhere on the machine itself only
  HOST: Joi.string(),
  BASE_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
  DATABASE_URL: Joi.string().uri({ scheme: ['postgres', 'postgresql'] }),
  EMBEDDED_PG_DIR: Joi.string().default('.data/postgres'),
  EMBEDDED_PG_PORT: Joi.number().integer().min(1).max(65535).default(5433),
  SESSION_SECRET: Joi.string().min(32),
  SESSION_IDLE_MINUTES: Joi.number().integer().min(5).max(600).default(30),
  TRUST_PROXY: Joi.string().default('false'),
  SMTP_URL: Joi.string().uri({ scheme: ['smtp', 'smtps'] }),
  MAIL_FROM: Joi.string().default('SignUp <ne-pas-repondre@signup.api.gouv.fr>'),
  RUN_WORKER: Joi.boolean().truthy('1').falsy('0').default(true),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
  BODY_LIMIT: Joi.string()
    .pattern(/^\d+(kb|mb)$/i)
    .default('100kb'),
  DB_TIMEOUT_MS: Joi.number().integer().min(200).max(30000).default(3000),
  ACCESSIBILITY_RATE: Joi.number().min(0).max(100),
  SIRENE_API_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
  SIRENE_API_TIMEOUT_MS: Joi.number().integer().min(100).max(10000).default(2000),
  UPLOAD_DIR: Joi.string().default('.data/uploads'),
  CLAMD_URL: Joi.string()
    .uri({ scheme: ['tcp'] })
    .pattern(/^tcp:\/\/[^/]+:\d+\/?$/),
  ENDPOINT_PROBE_BASE_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
  ENDPOINT_PROBE_TOKEN: Joi.string().max(200),
  INTROSPECTION_CLIENTS: Joi.string().pattern(INTROSPECTION_CLIENTS).messages({
    'string.pattern.base':
      'INTROSPECTION_CLIENTS doit être de la forme id:secret,id:secret (secrets de 32 caractères ou plus)',
  }),
}).unknown(true);

export class ConfigError extends Error {}

const PUBLIC_DIR = path.resolve(import.meta.dirname, '../public');

function parseTrustProxy(value: string): string | number | boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/** Reads the environment into a frozen, typed configuration; throws a readable ConfigError when it is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const { error, value } = schema.validate(env, { abortEarly: false, convert: true });
  if (error) {
    throw new ConfigError(`Configuration invalide : ${error.details.map((d) => d.message).join('; ')}`);
  }
  const nodeEnv = value.NODE_ENV as Config['env'];
  if (nodeEnv === 'production') {
    const missing = productionRequired.filter((name) => !value[name]);
    if (missing.length > 0) {
      throw new ConfigError(
        `Configuration incomplète pour la production : ${missing.join(', ')} manquant(s). Voir .env.example.`,
      );
    }
  }
  const port = value.PORT as number;
  const uploadDir = path.resolve(value.UPLOAD_DIR as string);
  if (
    `${uploadDir}${path.sep}`.startsWith(`${PUBLIC_DIR}${path.sep}`) ||
    PUBLIC_DIR.startsWith(`${uploadDir}${path.sep}`)
  ) {
    throw new ConfigError(
      `Configuration invalide : UPLOAD_DIR (${uploadDir}) ne doit pas être servi par le site (${PUBLIC_DIR}).`,
    );
  }
  return Object.freeze({
    env: nodeEnv,
    port,
    host: value.HOST ?? (nodeEnv === 'production' ? '0.0.0.0' : '127.0.0.1'),
    baseUrl: new URL(value.BASE_URL ?? `http://localhost:${port}`),
    databaseUrl: value.DATABASE_URL,
    embeddedDataDir: value.EMBEDDED_PG_DIR,
    embeddedPort: value.EMBEDDED_PG_PORT,
    sessionSecret: value.SESSION_SECRET ?? 'dev-only-session-secret-not-for-production-use',
    sessionIdleMinutes: value.SESSION_IDLE_MINUTES,
    trustProxy: parseTrustProxy(value.TRUST_PROXY),
    smtpUrl: value.SMTP_URL,
    devPages: nodeEnv !== 'production' && !value.SMTP_URL,
    mailFrom: value.MAIL_FROM,
    runWorker: value.RUN_WORKER,
    logLevel: value.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    bodyLimit: value.BODY_LIMIT,
    dbTimeoutMs: value.DB_TIMEOUT_MS,
    accessibilityRate: value.ACCESSIBILITY_RATE ?? null,
    sireneApiUrl: value.SIRENE_API_URL,
    sireneApiTimeoutMs: value.SIRENE_API_TIMEOUT_MS,
    uploadDir,
    clamdUrl: value.CLAMD_URL,
    // Outside production, one gateway with a known secret, so that the introspection can be tried and tested.
    endpointProbeBaseUrl:
      value.ENDPOINT_PROBE_BASE_URL ?? (nodeEnv === 'production' ? 'https://entreprise.api.gouv.fr' : undefined),
    endpointProbeToken: value.ENDPOINT_PROBE_TOKEN,
    introspectionClients: parseClients(
      value.INTROSPECTION_CLIENTS ?? (nodeEnv === 'production' ? '' : DEV_INTROSPECTION_CLIENTS),
    ).filter((c) => c.id),
  });
}
