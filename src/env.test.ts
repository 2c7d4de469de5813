import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';

function errorOf(source: Record<string, string>): EnvError {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error('expected parseEnv to throw');
}

describe('parseEnv', () => {
  it('takes the server build timeout as a duration and the build log retention in days', () => {
    expect(parseEnv({}).RISE_BUILD_TIMEOUT).toBe(30 * 60_000);
    expect(parseEnv({}).RISE_BUILD_LOG_RETENTION_DAYS).toBe(30);
    expect(parseEnv({ RISE_BUILD_TIMEOUT: '2h' }).RISE_BUILD_TIMEOUT).toBe(7_200_000);
    expect(parseEnv({ RISE_BUILD_TIMEOUT: '90s', RISE_BUILD_LOG_RETENTION_DAYS: '7' })).toMatchObject({
      RISE_BUILD_TIMEOUT: 90_000,
      RISE_BUILD_LOG_RETENTION_DAYS: 7,
    });
    expect(errorOf({ RISE_BUILD_TIMEOUT: '30 minutes' }).message).toContain(
      'RISE_BUILD_TIMEOUT: expected a duration such as 30m, 2h or 90s',
    );
    expect(errorOf({ RISE_BUILD_LOG_RETENTION_DAYS: '0' }).message).toContain(
      'RISE_BUILD_LOG_RETENTION_DAYS',
    );
  });

  it('takes the health-failing streak length and the certificate warning days, naming bad values', () => {
    expect(parseEnv({})).toMatchObject({ RISE_HEALTH_FAILING_AFTER: 3, RISE_CERT_WARN_DAYS: 14 });
    expect(parseEnv({ RISE_HEALTH_FAILING_AFTER: '5', RISE_CERT_WARN_DAYS: '30' })).toMatchObject({
      RISE_HEALTH_FAILING_AFTER: 5,
      RISE_CERT_WARN_DAYS: 30,
    });
    expect(errorOf({ RISE_HEALTH_FAILING_AFTER: '0' }).message).toContain('RISE_HEALTH_FAILING_AFTER');
    expect(errorOf({ RISE_CERT_WARN_DAYS: 'two weeks' }).message).toContain('RISE_CERT_WARN_DAYS');
  });

  it('applies local defaults', () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.RISE_BASE_DOMAIN).toBe('localhost');
    expect(env.RISE_TLS_MODE).toBe('off');
    // No OIDC provider: local accounts are the way in.
    expect(env.RISE_LOCAL_AUTH).toBe(true);
    expect(env.RISE_ADMIN_EMAILS).toEqual([]);
    expect(env.RISE_INTERNAL_URL).toBe('http://localhost:3000');
    expect(env.RISE_REGISTRY_INTERNAL_URL).toBe('http://127.0.0.1:5000');
  });

  it('takes a group host template naming project and group, and refuses one that does not', () => {
    const env = parseEnv({ RISE_GROUP_HOST_TEMPLATE: '', RISE_MAX_GROUPS_PER_PROJECT: '' });
    expect(env.RISE_GROUP_HOST_TEMPLATE).toBe('{project}-{group}.{base}');
    expect(env.RISE_MAX_GROUPS_PER_PROJECT).toBe(20);
    expect(
      parseEnv({ RISE_GROUP_HOST_TEMPLATE: '{group}.{project}.preview.example.com' })
        .RISE_GROUP_HOST_TEMPLATE,
    ).toBe('{group}.{project}.preview.example.com');
    expect(errorOf({ RISE_GROUP_HOST_TEMPLATE: '{group}.preview.example.com' }).message).toContain(
      'must contain {project} and {group}',
    );
    expect(errorOf({ RISE_GROUP_HOST_TEMPLATE: '{project}_{group}.{base}' }).message).toContain(
      'may contain only lowercase letters',
    );
  });

  it('makes OIDC optional: all three settings empty (as compose passes them) = local accounts only', () => {
    const none = parseEnv({ RISE_OIDC_ISSUER: '', RISE_OIDC_CLIENT_ID: '', RISE_OIDC_CLIENT_SECRET: '' });
    expect(none.RISE_OIDC_ISSUER).toBeUndefined();
    expect(none.RISE_LOCAL_AUTH).toBe(true);
    const oidc = {
      RISE_OIDC_ISSUER: 'https://login.example.com',
      RISE_OIDC_CLIENT_ID: 'rise',
      RISE_OIDC_CLIENT_SECRET: 'secret',
    };
    expect(parseEnv(oidc).RISE_LOCAL_AUTH).toBe(false);
    expect(parseEnv({ ...oidc, RISE_LOCAL_AUTH: 'true' }).RISE_LOCAL_AUTH).toBe(true);
    expect(parseEnv({ RISE_LOCAL_AUTH: 'false' }).RISE_LOCAL_AUTH).toBe(false);
    expect(
      errorOf({ RISE_OIDC_ISSUER: 'https://login.example.com', RISE_OIDC_CLIENT_ID: 'rise' }).message,
    ).toContain('or leave all three empty for local accounts only');
  });

  it('derives the internal addresses from RISE_URL or the bind address, and the registry host', () => {
    // RISE_URL is the web server itself (npm start; PORT moves both).
    expect(parseEnv({ PORT: '4000' }).RISE_INTERNAL_URL).toBe('http://localhost:4000');
    // Caddy serves RISE_URL: the web server where it binds.
    const behind = { RISE_URL: 'https://rise.example.com' };
    expect(parseEnv({ ...behind, RISE_HOST: '0.0.0.0', PORT: '4000' }).RISE_INTERNAL_URL).toBe(
      'http://127.0.0.1:4000',
    );
    expect(parseEnv({ ...behind, RISE_HOST: '::' }).RISE_INTERNAL_URL).toBe('http://[::1]:3000');
    expect(parseEnv({ ...behind, RISE_HOST: '::1' }).RISE_INTERNAL_URL).toBe('http://[::1]:3000');
    expect(parseEnv({ ...behind, RISE_HOST: 'web' }).RISE_INTERNAL_URL).toBe('http://web:3000');
    // Loopback registries speak plain HTTP (as npm start runs them); others HTTPS.
    expect(parseEnv({ RISE_REGISTRY_HOST: 'localhost:5001' }).RISE_REGISTRY_INTERNAL_URL).toBe(
      'http://localhost:5001',
    );
    expect(parseEnv({ RISE_REGISTRY_HOST: 'registry.example.com' }).RISE_REGISTRY_INTERNAL_URL).toBe(
      'https://registry.example.com',
    );
  });

  it('takes explicit internal addresses (the compose stack) and names bad ones', () => {
    const compose = parseEnv({
      RISE_URL: 'http://localhost:3000',
      RISE_REGISTRY_HOST: '127.0.0.1:5000',
      RISE_INTERNAL_URL: 'http://web:3000/',
      RISE_REGISTRY_INTERNAL_URL: 'http://registry:5000',
    });
    expect(compose.RISE_INTERNAL_URL).toBe('http://web:3000');
    expect(compose.RISE_REGISTRY_INTERNAL_URL).toBe('http://registry:5000');
    expect(compose.RISE_REGISTRY_HOST).toBe('127.0.0.1:5000');
    expect(parseEnv({ RISE_INTERNAL_URL: '' }).RISE_INTERNAL_URL).toBe('http://localhost:3000');
    expect(errorOf({ RISE_INTERNAL_URL: 'https://web:3000' }).message).toContain(
      'RISE_INTERNAL_URL: expected http://host:port (not https:)',
    );
    expect(errorOf({ RISE_INTERNAL_URL: 'web:3000' }).message).toContain(
      'RISE_INTERNAL_URL: expected http://host:port',
    );
    expect(errorOf({ RISE_INTERNAL_URL: 'http://web:3000/rise' }).message).toContain('without a path');
    expect(errorOf({ RISE_REGISTRY_INTERNAL_URL: 'ftp://registry' }).message).toContain(
      'RISE_REGISTRY_INTERNAL_URL: expected http://host:port or https://host:port (not ftp:)',
    );
    expect(errorOf({ RISE_REGISTRY_INTERNAL_URL: 'http://u:p@registry:5000' }).message).toContain(
      'without user or password',
    );
  });

  it('parses lists, flags and a production domain', () => {
    const env = parseEnv({
      RISE_ADMIN_EMAILS: 'a@x.dev, b@x.dev',
      RISE_LOCAL_AUTH: 'true',
      RISE_BASE_DOMAIN: 'rise.dev',
      RISE_TRUSTED_ISSUERS: 'https://token.actions.githubusercontent.com',
    });
    expect(env.RISE_ADMIN_EMAILS).toEqual(['a@x.dev', 'b@x.dev']);
    expect(env.RISE_LOCAL_AUTH).toBe(true);
    expect(env.RISE_TLS_MODE).toBe('acme');
  });

  it('names every bad variable', () => {
    const error = errorOf({ PORT: 'eighty', RISE_LOCAL_AUTH: 'maybe', DATABASE_URL: 'mysql://x' });
    expect(error.issues.map((issue) => issue.variable).sort()).toEqual([
      'DATABASE_URL',
      'PORT',
      'RISE_LOCAL_AUTH',
    ]);
    expect(error.message).toContain("RISE_LOCAL_AUTH: expected 'true' or 'false'");
  });

  it('rejects an encryption key of the wrong size', () => {
    expect(errorOf({ RISE_ENCRYPTION_KEY: 'short' }).message).toContain('RISE_ENCRYPTION_KEY');
    expect(() => parseEnv({ RISE_ENCRYPTION_KEY: 'a'.repeat(64) })).not.toThrow();
  });

  it('requires the OIDC settings together', () => {
    expect(errorOf({ RISE_OIDC_ISSUER: 'https://dex.example.com' }).message).toContain('RISE_OIDC_CLIENT_ID');
  });

  it('accepts the Caddy admin API as an http URL or a unix socket, and names anything else', () => {
    expect(parseEnv({}).RISE_CADDY_ADMIN_URL).toBe('http://127.0.0.1:2019');
    expect(parseEnv({ RISE_CADDY_ADMIN_URL: 'http://caddy:2019' }).RISE_CADDY_ADMIN_URL).toBe(
      'http://caddy:2019',
    );
    expect(
      parseEnv({ RISE_CADDY_ADMIN_URL: 'unix:///run/caddy-admin/admin.sock' }).RISE_CADDY_ADMIN_URL,
    ).toBe('unix:///run/caddy-admin/admin.sock');
    for (const value of ['unix://run/admin.sock', 'unix:///', '/run/admin.sock', 'tcp://caddy:2019']) {
      expect(errorOf({ RISE_CADDY_ADMIN_URL: value }).message, value).toContain(
        'RISE_CADDY_ADMIN_URL: expected http://host:port or unix:///absolute/path/to/admin.sock',
      );
    }
  });

  it('names loopback RISE_URLs localhost, as Next.js does in request URLs', () => {
    expect(parseEnv({ RISE_URL: 'http://127.0.0.1:4000/' }).RISE_URL).toBe('http://localhost:4000');
    expect(parseEnv({ RISE_URL: 'https://rise.example.com' }).RISE_URL).toBe('https://rise.example.com');
  });

  it('defaults RISE_URL to localhost on PORT, so `PORT=4000 npm start` links to itself', () => {
    expect(parseEnv({}).RISE_URL).toBe('http://localhost:3000');
    expect(parseEnv({ PORT: '4000' }).RISE_URL).toBe('http://localhost:4000');
    expect(parseEnv({ PORT: '4000', RISE_URL: 'https://rise.example.com' }).RISE_URL).toBe(
      'https://rise.example.com',
    );
    expect(errorOf({ PORT: 'abc' }).message).toContain('PORT:');
    expect(errorOf({ PORT: 'abc' }).message).not.toContain('RISE_URL');
  });

  it('reads the Docker network settings and names a bad subnet pool or container name', () => {
    const unset = parseEnv({});
    expect(unset.RISE_DOCKER_SUBNET_POOL).toBeUndefined();
    expect(unset.RISE_DOCKER_ATTACH_CONTAINERS).toEqual([]);
    const env = parseEnv({
      RISE_DOCKER_SUBNET_POOL: '10.213.0.0/16',
      RISE_DOCKER_ATTACH_CONTAINERS: 'rise-caddy, rise-worker',
    });
    expect(env.RISE_DOCKER_SUBNET_POOL).toBe('10.213.0.0/16');
    expect(env.RISE_DOCKER_ATTACH_CONTAINERS).toEqual(['rise-caddy', 'rise-worker']);
    expect(errorOf({ RISE_DOCKER_SUBNET_POOL: '10.213.0.0/26' }).issues).toEqual([
      { variable: 'RISE_DOCKER_SUBNET_POOL', message: expect.stringMatching(/at least one \/24/) },
    ]);
    expect(errorOf({ RISE_DOCKER_ATTACH_CONTAINERS: 'caddy,$(id)' }).issues[0]?.variable).toBe(
      'RISE_DOCKER_ATTACH_CONTAINERS',
    );
    expect(errorOf({ RISE_DOCKER_NETWORK: 'rise apps' }).issues[0]?.variable).toBe('RISE_DOCKER_NETWORK');
  });

  it('treats empty values as unset', () => {
    expect(parseEnv({ PORT: '' }).PORT).toBe(3000);
  });
});

describe('worker settings', () => {
  it('bounds deploy concurrency and the backstop poll, naming the variable', () => {
    expect(parseEnv({}).RISE_DEPLOY_CONCURRENCY).toBe(8);
    expect(parseEnv({ RISE_DEPLOY_CONCURRENCY: '16', RISE_WORKER_POLL_SECONDS: '0.5' })).toMatchObject({
      RISE_DEPLOY_CONCURRENCY: 16,
      RISE_WORKER_POLL_SECONDS: 0.5,
    });
    for (const value of ['0', '65', '2.5', 'many', '-1']) {
      expect(() => parseEnv({ RISE_DEPLOY_CONCURRENCY: value })).toThrow(/RISE_DEPLOY_CONCURRENCY/);
    }
    for (const value of ['0', '0.1', '3601', 'often']) {
      expect(() => parseEnv({ RISE_WORKER_POLL_SECONDS: value })).toThrow(/RISE_WORKER_POLL_SECONDS/);
    }
  });
});
