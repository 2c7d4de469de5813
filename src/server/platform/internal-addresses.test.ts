import { describe, expect, it } from 'vitest';
import {
  defaultInternalUrl,
  defaultRegistryInternalUrl,
  dialAddress,
  normaliseOrigin,
  originProblem,
  riseUrlServedByProxy,
} from './internal-addresses';

describe('internal addresses', () => {
  const web = {
    RISE_URL: 'http://localhost:3000',
    RISE_HOST: '127.0.0.1',
    PORT: 3000,
    RISE_PROXY_HTTP_PORT: 80,
    RISE_PROXY_HTTPS_PORT: 443,
  };

  it('reach the web server at RISE_URL when that is the web server itself (npm start, tests)', () => {
    expect(defaultInternalUrl(web)).toBe('http://localhost:3000');
    expect(defaultInternalUrl({ ...web, RISE_URL: 'http://localhost:4000', PORT: 4000 })).toBe(
      'http://localhost:4000',
    );
    expect(defaultInternalUrl({ ...web, RISE_URL: 'http://10.0.0.5:3000', RISE_HOST: '0.0.0.0' })).toBe(
      'http://10.0.0.5:3000',
    );
  });

  it('reach it where it binds when Caddy serves RISE_URL, a wildcard on loopback', () => {
    const behind = { ...web, RISE_URL: 'https://rise.example.com' };
    expect(defaultInternalUrl(behind)).toBe('http://127.0.0.1:3000');
    expect(defaultInternalUrl({ ...behind, RISE_HOST: '0.0.0.0', PORT: 4000 })).toBe('http://127.0.0.1:4000');
    expect(defaultInternalUrl({ ...behind, RISE_HOST: '::' })).toBe('http://[::1]:3000');
    expect(defaultInternalUrl({ ...behind, RISE_HOST: 'fd00::5' })).toBe('http://[fd00::5]:3000');
    expect(defaultInternalUrl({ ...behind, RISE_HOST: 'web' })).toBe('http://web:3000');
    // Caddy's port published under another number, named by RISE_APPS_PORT.
    expect(defaultInternalUrl({ ...web, RISE_URL: 'http://rise.localhost:8081', RISE_APPS_PORT: 8081 })).toBe(
      'http://127.0.0.1:3000',
    );
  });

  it('tell whether RISE_URL is reached through Caddy', () => {
    expect(riseUrlServedByProxy(web)).toBe(false);
    expect(riseUrlServedByProxy({ ...web, RISE_URL: 'https://rise.example.com' })).toBe(true);
    expect(riseUrlServedByProxy({ ...web, RISE_URL: 'http://rise.localhost' })).toBe(true);
    expect(
      riseUrlServedByProxy({ ...web, RISE_URL: 'http://rise.localhost:8081', RISE_APPS_PORT: 8081 }),
    ).toBe(true);
  });

  it('reach the registry at its public host: http on loopback, https elsewhere', () => {
    expect(defaultRegistryInternalUrl('127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
    expect(defaultRegistryInternalUrl('localhost:5000')).toBe('http://localhost:5000');
    expect(defaultRegistryInternalUrl('[::1]:5000')).toBe('http://[::1]:5000');
    expect(defaultRegistryInternalUrl('registry.example.com')).toBe('https://registry.example.com');
    expect(defaultRegistryInternalUrl('10.0.0.5:5000')).toBe('https://10.0.0.5:5000');
  });

  it('accept origins only, and say what is wrong with anything else', () => {
    expect(originProblem('http://web:3000', ['http'])).toBeNull();
    expect(originProblem('http://web:3000/', ['http'])).toBeNull();
    expect(originProblem('https://registry:5000', ['http', 'https'])).toBeNull();
    expect(originProblem('https://web:3000', ['http'])).toBe('expected http://host:port (not https:)');
    expect(originProblem('web', ['http'])).toBe('expected http://host:port, e.g. http://web:3000');
    expect(originProblem('http://web:3000/rise', ['http'])).toBe(
      'expected http://host:port, without a path: Rise appends its own paths',
    );
    expect(originProblem('http://web:3000/?a=1', ['http'])).toContain('without a path');
    expect(originProblem('http://u:p@web:3000', ['http'])).toBe(
      'expected http://host:port, without user or password',
    );
    expect(normaliseOrigin('http://WEB:3000/')).toBe('http://web:3000');
  });

  it("give Caddy's dial address with the port made explicit", () => {
    expect(dialAddress('http://web:3000')).toBe('web:3000');
    expect(dialAddress('http://web')).toBe('web:80');
    expect(dialAddress('http://[::1]:3000')).toBe('[::1]:3000');
  });
});
