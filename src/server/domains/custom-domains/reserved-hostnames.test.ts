import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/env';
import { hostWithoutPort, platformHostsFromEnv, reservedHostnameReason } from './reserved-hostnames';

const platform = {
  riseHost: 'rise.example.com',
  registryHost: 'registry.example.com',
  baseDomain: 'apps.example.com',
};

describe('reserved host names', () => {
  it("refuses Rise's own host and anything under it", () => {
    expect(reservedHostnameReason('rise.example.com', platform)).toMatch(/Rise's own address \(RISE_URL\)/);
    expect(reservedHostnameReason('RISE.example.com.', platform)).toMatch(/Rise's own address/);
    expect(reservedHostnameReason('x.rise.example.com', platform)).toMatch(/Rise's own address/);
  });

  it('refuses the registry host', () => {
    expect(reservedHostnameReason('registry.example.com', platform)).toMatch(
      /registry \(RISE_REGISTRY_HOST\)/,
    );
  });

  it('refuses the base domain and every name under it, with what projects get instead', () => {
    expect(reservedHostnameReason('apps.example.com', platform)).toBe(
      "apps.example.com is under Rise's base domain apps.example.com; projects already get <name>.apps.example.com, so choose a domain of your own.",
    );
    expect(reservedHostnameReason('other-project.apps.example.com', platform)).toMatch(/base domain/);
    expect(reservedHostnameReason('a.b.apps.example.com', platform)).toMatch(/base domain/);
  });

  it('refuses localhost names and IP literals', () => {
    expect(reservedHostnameReason('localhost', platform)).toMatch(/localhost name/);
    expect(reservedHostnameReason('app.localhost', platform)).toMatch(/localhost name/);
    expect(reservedHostnameReason('127.0.0.1', platform)).toMatch(/IP address/);
    expect(reservedHostnameReason('::1', platform)).toMatch(/IP address/);
    expect(reservedHostnameReason('[2001:db8::1]', platform)).toMatch(/IP address/);
  });

  it('accepts other names, including look-alikes of the reserved ones', () => {
    for (const host of [
      'app.example.org',
      'example.com',
      'notrise.example.com',
      'apps.example.com.evil.org',
    ]) {
      expect(reservedHostnameReason(host, platform), host).toBeNull();
    }
  });

  it('takes the hosts from the environment, without ports', () => {
    const env = parseEnv({
      RISE_URL: 'https://Rise.Example.com:8443/',
      RISE_REGISTRY_HOST: 'registry.example.com:5000',
      RISE_BASE_DOMAIN: 'apps.example.com',
    });
    expect(platformHostsFromEnv(env)).toEqual({
      riseHost: 'rise.example.com',
      registryHost: 'registry.example.com',
      baseDomain: 'apps.example.com',
      cookieDomain: undefined,
    });
    expect(hostWithoutPort('127.0.0.1:5000')).toBe('127.0.0.1');
    expect(hostWithoutPort('[::1]:5000')).toBe('::1');
    expect(hostWithoutPort('::1')).toBe('::1');
    expect(hostWithoutPort('registry.example.com')).toBe('registry.example.com');
  });
});
