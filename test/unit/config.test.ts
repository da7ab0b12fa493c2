import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { accessibilityStatus } from '../../src/domain/accessibility.ts';

describe('configuration', () => {
  it('needs nothing in development', () => {
    const config = loadConfig({});
    assert.equal(config.env, 'development');
    assert.equal(config.port, 3000);
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.clamdUrl, undefined, 'sans antivirus hors production : fichiers « unscanned »');
    assert.ok(Object.isFrozen(config));
  });

  it('listens on the machine itself outside production, on every interface in production, unless HOST says otherwise', () => {
    assert.equal(loadConfig({}).host, '127.0.0.1');
    assert.equal(loadConfig({ HOST: '0.0.0.0' }).host, '0.0.0.0');
    const production = {
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      DATABASE_URL: 'postgres://u:p@db/signup',
      BASE_URL: 'https://signup.example.gouv.fr',
      SMTP_URL: 'smtp://mail:25',
      CLAMD_URL: 'tcp://clamd:3310',
    };
    assert.equal(loadConfig(production).host, '0.0.0.0');
  });

  it('has the development pages (the outbox as a mailbox) only outside production and without SMTP', () => {
    assert.equal(loadConfig({}).devPages, true);
    assert.equal(
      loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' }).devPages,
      false,
      'real emails go out: the links must not be readable on /dev',
    );
    assert.equal(loadConfig({ NODE_ENV: 'test', SMTP_URL: 'smtp://127.0.0.1:2525' }).devPages, false);
  });

  it('stops production when a required variable is missing, naming every one', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', BASE_URL: 'https://signup.example.gouv.fr' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /SESSION_SECRET/.test(error.message) &&
        /DATABASE_URL/.test(error.message) &&
        /SMTP_URL/.test(error.message) &&
        /CLAMD_URL/.test(error.message) &&
        !/[\s:,]BASE_URL/.test(error.message),
    );
  });

  it('accepts a complete production configuration', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      BASE_URL: 'https://signup.example.gouv.fr',
      DATABASE_URL: 'postgres://u:p@db/signup',
      SMTP_URL: 'smtp://mail.example:587',
      SESSION_SECRET: 'x'.repeat(40),
      TRUST_PROXY: '1',
      CLAMD_URL: 'tcp://clamd.internal:3310',
    });
    assert.equal(config.trustProxy, 1);
    assert.equal(config.clamdUrl, 'tcp://clamd.internal:3310');
    assert.equal(config.baseUrl.protocol, 'https:');
  });

  it('rejects malformed values with a French message', () => {
    assert.throws(() => loadConfig({ PORT: 'abc' }), /Configuration invalide/);
    assert.throws(() => loadConfig({ SESSION_SECRET: 'short' }), /Configuration invalide/);
    assert.throws(() => loadConfig({ CLAMD_URL: 'http://clamd:3310' }), /Configuration invalide.*CLAMD_URL/);
    assert.throws(() => loadConfig({ CLAMD_URL: 'tcp://clamd' }), /Configuration invalide.*CLAMD_URL/);
  });
});

describe('accessibility mention', () => {
  it('derives the mandatory mention from the audit rate', () => {
    assert.equal(accessibilityStatus(null).label, 'non conforme');
    assert.equal(accessibilityStatus(49.9).label, 'non conforme');
    assert.equal(accessibilityStatus(50).label, 'partiellement conforme');
    assert.equal(accessibilityStatus(100).label, 'totalement conforme');
  });
});
