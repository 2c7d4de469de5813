import { describe, expect, it } from 'vitest';
import { registryConfig, registryPort, riseTokenAuth } from './local-registry';

describe('registryConfig', () => {
  it("configures Rise's token auth, storage and the listen address", () => {
    const tokenAuth = riseTokenAuth({
      riseUrl: 'http://localhost:3000/',
      service: 'rise-registry',
      issuer: 'rise',
      rootCertBundle: '/data/registry-certs/rise-registry.crt',
    });
    const config = JSON.parse(
      registryConfig({
        listen: '127.0.0.1:5000',
        storageDir: '/data/registry/data',
        logLevel: 'warn',
        tokenAuth,
      }),
    );
    expect(config).toEqual({
      version: '0.1',
      log: { level: 'warn', accesslog: { disabled: true } },
      storage: { filesystem: { rootdirectory: '/data/registry/data' }, delete: { enabled: true } },
      http: { addr: '127.0.0.1:5000', headers: { 'X-Content-Type-Options': ['nosniff'] } },
      auth: {
        token: {
          realm: 'http://localhost:3000/api/registry/token',
          service: 'rise-registry',
          issuer: 'rise',
          rootcertbundle: '/data/registry-certs/rise-registry.crt',
        },
      },
    });
  });

  it('keeps a path under RISE_URL in the realm', () => {
    expect(
      riseTokenAuth({ riseUrl: 'https://example.com/rise', service: 's', issuer: 'i', rootCertBundle: '/c' })
        .realm,
    ).toBe('https://example.com/rise/api/registry/token');
  });

  it('leaves auth out without token auth (anonymous, for tests of image pulls)', () => {
    const config = JSON.parse(registryConfig({ listen: '127.0.0.1:1', storageDir: '/s', logLevel: 'info' }));
    expect(config.auth).toBeUndefined();
    expect(config.log.level).toBe('info');
  });

  it('quotes paths so YAML reads them as strings', () => {
    const text = registryConfig({ listen: '127.0.0.1:1', storageDir: '/tmp/a: b #c', logLevel: 'warn' });
    expect(text).toContain('"rootdirectory": "/tmp/a: b #c"');
  });
});

describe('registryPort', () => {
  it('reads the port of RISE_REGISTRY_HOST', () => {
    expect(registryPort('127.0.0.1:5000')).toBe(5000);
    expect(registryPort('[::1]:5001')).toBe(5001);
    expect(registryPort('registry.example.com')).toBeNull();
    expect(registryPort('127.0.0.1:70000')).toBeNull();
  });
});
