import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

/** Runs loadConfig and returns the ConfigError it throws (failing the test otherwise). */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('loadConfig: defaults', () => {
  const config = loadConfig({});

  it('listens on port 3000 on every interface', () => {
    expect(config.port).toBe(3000);
    expect(config.host).toBe('0.0.0.0');
  });

  it('keeps data in ./data, resolved to an absolute path', () => {
    expect(path.isAbsolute(config.dataDir)).toBe(true);
    expect(config.dataDir).toBe(path.resolve('./data'));
  });

  it('uses the embedded database in demo mode', () => {
    expect(config.databaseUrl).toBeUndefined();
    expect(config.demo).toBe(true);
  });

  it('derives the base URL from the port, without a trailing slash', () => {
    expect(config.baseUrl).toBe('http://localhost:3000');
  });

  it('accepts bodies up to 20 MiB', () => {
    expect(config.maxBodyBytes).toBe(20 * 1024 * 1024);
  });

  it('has the documented defaults for tokens, logs and page sizes', () => {
    expect(config).toMatchObject({ tokenTtlSeconds: 12 * 3600, logLevel: 'warn', defaultCount: 20, maxCount: 200 });
  });

  it('logs every request outside demo mode, only warnings in demo mode (the terminal shows the e-mails)', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://db/carnet' }).logLevel).toBe('info');
    expect(loadConfig({ DEMO: 'false' }).logLevel).toBe('info');
    expect(loadConfig({ DEMO: 'true', LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
  });

  it('has the documented defaults for the accounts', () => {
    expect(config).toMatchObject({
      smtpUrl: undefined,
      sessionIdleMinutes: 15,
      optOutWindowDays: 42,
      suspensionWindowDays: 42,
      deletionDelayDays: 90,
      codeTtlDays: 90,
      invitationTtlDays: 15,
      lockAfterFailures: 5,
      lockMinutes: 15,
      rateLimitPerMinute: 30,
      jobsIntervalSeconds: 30,
    });
    expect(() => loadConfig({ SMTP_URL: 'http://mail' })).toThrow(/SMTP_URL/);
  });
});

describe('loadConfig: settings', () => {
  it('reads the port and uses it in the default base URL', () => {
    const c = loadConfig({ PORT: '8080' });
    expect(c.port).toBe(8080);
    expect(c.baseUrl).toBe('http://localhost:8080');
  });

  it('accepts the port bounds 0 and 65535', () => {
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
  });

  it('resolves a relative DATA_DIR and keeps an absolute one', () => {
    expect(loadConfig({ DATA_DIR: 'var/carnet' }).dataDir).toBe(path.resolve('var/carnet'));
    expect(loadConfig({ DATA_DIR: '/srv/carnet' }).dataDir).toBe('/srv/carnet');
  });

  it('leaves demo mode when a PostgreSQL URL is given', () => {
    for (const url of ['postgres://u:p@db/carnet', 'postgresql://db/carnet']) {
      const c = loadConfig({ DATABASE_URL: url });
      expect(c.databaseUrl).toBe(url);
      expect(c.demo).toBe(false);
    }
  });

  it('lets DEMO override the default either way', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://db/carnet', DEMO: 'true' }).demo).toBe(true);
    expect(loadConfig({ DEMO: 'false' }).demo).toBe(false);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ])('reads DEMO=%s as %s', (value, expected) => {
    expect(loadConfig({ DEMO: value }).demo).toBe(expected);
  });

  it('removes trailing slashes from BASE_URL', () => {
    expect(loadConfig({ BASE_URL: 'https://carnet.example/' }).baseUrl).toBe('https://carnet.example');
    expect(loadConfig({ BASE_URL: 'https://carnet.example/app///' }).baseUrl).toBe('https://carnet.example/app');
  });

  it('keeps BASE_URL independent of PORT when given', () => {
    expect(loadConfig({ BASE_URL: 'http://carnet.example:9000', PORT: '8080' }).baseUrl).toBe('http://carnet.example:9000');
  });

  it('reads MAX_BODY_BYTES from 1024 up', () => {
    expect(loadConfig({ MAX_BODY_BYTES: '1024' }).maxBodyBytes).toBe(1024);
  });

  it('never lets the default page size exceed the maximum', () => {
    const c = loadConfig({ FHIR_DEFAULT_COUNT: '500', FHIR_MAX_COUNT: '100' });
    expect(c.defaultCount).toBe(100);
    expect(c.maxCount).toBe(100);
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ HOME: '/root', PATH: '/bin', PORTS: 'x' }).port).toBe(3000);
  });
});

describe('loadConfig: empty strings count as unset', () => {
  it('gives the defaults when every variable is empty', () => {
    const empty = { PORT: '', HOST: '', DATA_DIR: '', DATABASE_URL: '', BASE_URL: '', DEMO: '', MAX_BODY_BYTES: '', TOKEN_TTL_SECONDS: '', LOG_LEVEL: '', FHIR_DEFAULT_COUNT: '', FHIR_MAX_COUNT: '' };
    expect(loadConfig(empty)).toEqual(loadConfig({}));
  });

  it('keeps demo mode on with an empty DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: '' }).demo).toBe(true);
  });

  it('does not read a blank PORT as port 0', () => {
    let port: number | undefined;
    try {
      port = loadConfig({ PORT: ' ' }).port;
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return;
    }
    expect(port).toBe(3000);
  });
});

describe('loadConfig: wrong settings', () => {
  it.each([
    ['PORT', 'abc', 'must be a number'],
    ['PORT', '70000', 'must be between 0 and 65535'],
    ['PORT', '-1', 'must be between 0 and 65535'],
    ['PORT', '3000.5', 'must be a whole number'],
    ['DATABASE_URL', 'mysql://x', 'must be a postgres:// or postgresql:// URL'],
    ['DATABASE_URL', 'postgres://', 'must be a postgres:// or postgresql:// URL'],
    ['BASE_URL', 'notaurl', 'must be an absolute http(s) URL'],
    ['BASE_URL', 'ftp://x', 'must be an absolute http(s) URL'],
    ['BASE_URL', '/fhir', 'must be an absolute http(s) URL'],
    ['DEMO', 'maybe', 'must be true or false'],
    ['DEMO', 'TRUE', 'must be true or false'],
    ['MAX_BODY_BYTES', '10', 'must be at least 1024 bytes'],
    ['MAX_BODY_BYTES', 'lots', 'must be a number of bytes'],
    ['MAX_BODY_BYTES', '2048.5', 'must be a whole number of bytes'],
    ['TOKEN_TTL_SECONDS', '10', 'must be at least 60 seconds'],
    ['LOG_LEVEL', 'verbose', ''],
    ['FHIR_DEFAULT_COUNT', '0', ''],
    ['FHIR_MAX_COUNT', '6000', ''],
  ])('refuses %s=%s with a ConfigError naming it', (name, value, reason) => {
    const err = configError({ [name]: value });
    expect(err.message).toMatch(/^Invalid settings?:\n/);
    expect(err.message).toContain(`  ${name}: ${reason}`);
  });

  it('says "setting" in the singular for one wrong variable', () => {
    expect(configError({ PORT: 'abc' }).message).toBe('Invalid setting:\n  PORT: must be a number');
  });

  it('names a wrong BASE_URL once', () => {
    expect(configError({ BASE_URL: 'notaurl' }).message).toBe('Invalid setting:\n  BASE_URL: must be an absolute http(s) URL');
  });

  it('is a plain Error subclass callers can recognise', () => {
    const err = configError({ PORT: 'abc' });
    expect(err).toBeInstanceOf(Error);
  });

  it('names every wrong variable in one message', () => {
    const err = configError({ PORT: 'abc', DATABASE_URL: 'mysql://x', BASE_URL: 'notaurl', DEMO: 'maybe', MAX_BODY_BYTES: '10' });
    expect(err.message.startsWith('Invalid settings:')).toBe(true);
    for (const name of ['PORT', 'DATABASE_URL', 'BASE_URL', 'DEMO', 'MAX_BODY_BYTES']) expect(err.message).toContain(`${name}:`);
  });

  it('does not name the variables that are right', () => {
    const err = configError({ PORT: 'abc', DATABASE_URL: 'postgres://db/carnet', BASE_URL: 'https://carnet.example' });
    expect(err.message).not.toContain('DATABASE_URL');
    expect(err.message).not.toContain('BASE_URL');
  });

  it('names a non-http BASE_URL along with another wrong variable', () => {
    const err = configError({ PORT: 'abc', BASE_URL: 'ftp://x' });
    expect(err.message).toContain('PORT:');
    expect(err.message).toContain('BASE_URL:');
  });

  it('names each wrong variable of any combination (property)', () => {
    const wrong: Record<string, string> = {
      PORT: '70000',
      DATABASE_URL: 'mysql://x',
      BASE_URL: 'notaurl',
      DEMO: 'maybe',
      MAX_BODY_BYTES: '10',
      TOKEN_TTL_SECONDS: '1',
      FHIR_MAX_COUNT: '0',
    };
    fc.assert(
      fc.property(fc.subarray(Object.keys(wrong), { minLength: 1 }), (names) => {
        const err = configError(Object.fromEntries(names.map((n) => [n, wrong[n]!])));
        for (const n of names) expect(err.message).toContain(`  ${n}: `);
        for (const n of Object.keys(wrong).filter((k) => !names.includes(k))) expect(err.message).not.toContain(`  ${n}: `);
      }),
    );
  });

  it('accepts every port from 0 to 65535 and refuses every other whole number (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 200_000 }), (port) => {
        if (port >= 0 && port <= 65535) expect(loadConfig({ PORT: String(port) }).port).toBe(port);
        else expect(configError({ PORT: String(port) }).message).toContain('PORT:');
      }),
    );
  });
});

describe('loadConfig: professional sign-in and practice software', () => {
  const lps = { client_id: 'lps-1', client_name: 'Logiciel de cabinet', redirect_uris: ['http://127.0.0.1/callback'], token_endpoint_auth_method: 'none', scope: 'openid user/*.read user/Patient.rs' };

  it('has the documented defaults: no issuer (the demo test IdP or off), openid scope_all, eidas1, no clients', () => {
    expect(loadConfig({})).toMatchObject({ pscIssuer: undefined, pscClientId: undefined, pscClientSecret: undefined, pscScopes: 'openid scope_all', pscAcr: 'eidas1', oauthClients: [] });
  });

  it('reads a Pro Santé Connect issuer with its client', () => {
    const c = loadConfig({ DEMO: 'false', PSC_ISSUER: 'https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet', PSC_CLIENT_ID: 'carnet', PSC_CLIENT_SECRET: 's3cret', PSC_SCOPES: ' openid   scope_all ', PSC_ACR: 'eidas1' });
    expect(c).toMatchObject({ pscIssuer: 'https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet', pscClientId: 'carnet', pscClientSecret: 's3cret', pscScopes: 'openid scope_all' });
  });

  it('needs the client id and secret with an issuer, https outside demo mode, openid in the scopes and a known eIDAS level', () => {
    expect(configError({ PSC_ISSUER: 'https://idp.example' }).message).toBe(
      'Invalid settings:\n  PSC_CLIENT_ID: is required with PSC_ISSUER\n  PSC_CLIENT_SECRET: is required with PSC_ISSUER',
    );
    expect(configError({ DEMO: 'false', PSC_ISSUER: 'http://idp.example', PSC_CLIENT_ID: 'c', PSC_CLIENT_SECRET: 's' }).message).toContain(
      '  PSC_ISSUER: must be an https URL (http is allowed in demo mode only)',
    );
    expect(loadConfig({ DEMO: 'true', PSC_ISSUER: 'http://127.0.0.1:9999', PSC_CLIENT_ID: 'c', PSC_CLIENT_SECRET: 's' }).pscIssuer).toBe('http://127.0.0.1:9999');
    expect(configError({ PSC_ISSUER: 'idp.example' }).message).toContain('  PSC_ISSUER: must be an absolute http(s) URL');
    expect(configError({ PSC_SCOPES: 'scope_all' }).message).toContain("  PSC_SCOPES: must include 'openid'");
    expect(configError({ PSC_ACR: 'eidas0' }).message).toContain("  PSC_ACR: must be 'eidas1', 'eidas2' or 'eidas3'");
  });

  it('reads OAUTH_CLIENTS: public PKCE clients and confidential ones with a secret', () => {
    const secret = 'x'.repeat(40);
    const c = loadConfig({
      OAUTH_CLIENTS: JSON.stringify([lps, { ...lps, client_id: 'lps-2', redirect_uris: ['https://lps.example/cb'], token_endpoint_auth_method: 'client_secret_basic', client_secret: secret, scope: ' user/*.cruds  openid' }]),
    });
    expect(c.oauthClients).toEqual([
      { clientId: 'lps-1', clientName: 'Logiciel de cabinet', redirectUris: ['http://127.0.0.1/callback'], tokenEndpointAuthMethod: 'none', scope: 'openid user/*.read user/Patient.rs' },
      { clientId: 'lps-2', clientName: 'Logiciel de cabinet', redirectUris: ['https://lps.example/cb'], tokenEndpointAuthMethod: 'client_secret_basic', clientSecret: secret, scope: 'user/*.cruds openid' },
    ]);
  });

  it.each([
    ['not JSON', '[{', '  OAUTH_CLIENTS: must be a JSON array of clients'],
    ['not an array', '{}', '  OAUTH_CLIENTS: must be a JSON array of clients'],
    ['a secret missing', JSON.stringify([{ ...lps, token_endpoint_auth_method: 'client_secret_basic' }]), '  OAUTH_CLIENTS[0].client_secret: is required with client_secret_basic'],
    ['a secret on a public client', JSON.stringify([{ ...lps, client_secret: 'y'.repeat(40) }]), "  OAUTH_CLIENTS[0].client_secret: must not be set for a public client ('none')"],
    ['a short secret', JSON.stringify([{ ...lps, token_endpoint_auth_method: 'client_secret_basic', client_secret: 'short' }]), '  OAUTH_CLIENTS[0].client_secret: must be at least 32 characters'],
    ['no redirect URI', JSON.stringify([{ ...lps, redirect_uris: [] }]), '  OAUTH_CLIENTS[0].redirect_uris: must list at least one URI'],
    ['a relative redirect URI', JSON.stringify([{ ...lps, redirect_uris: ['/cb'] }]), '  OAUTH_CLIENTS[0].redirect_uris[0]: must be absolute URIs without a fragment'],
    ['an unknown method', JSON.stringify([{ ...lps, token_endpoint_auth_method: 'private_key_jwt' }]), "  OAUTH_CLIENTS[0].token_endpoint_auth_method: must be 'none' or 'client_secret_basic'"],
    ['an unknown scope', JSON.stringify([{ ...lps, scope: 'openid patient/*.read' }]), "  OAUTH_CLIENTS[0].scope: must list 'openid' and SMART user/ scopes"],
    ['an unknown field', JSON.stringify([{ ...lps, grant_types: ['implicit'] }]), '  OAUTH_CLIENTS[0]: '],
    ['the web app id', JSON.stringify([{ ...lps, client_id: 'carnet-web' }]), "  OAUTH_CLIENTS[0].client_id: 'carnet-web' is Carnet's own web app"],
    ['an id twice', JSON.stringify([lps, lps]), "  OAUTH_CLIENTS[1].client_id: 'lps-1' is listed twice"],
  ])('refuses OAUTH_CLIENTS with %s, saying where', (_what, value, message) => {
    expect(configError({ OAUTH_CLIENTS: value }).message).toContain(message);
  });
});
