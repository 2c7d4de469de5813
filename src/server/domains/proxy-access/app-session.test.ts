import { describe, expect, it } from 'vitest';
import {
  appHandshakeHost,
  appHostSetCookie,
  appSessionCookieName,
  isHandshakeState,
  mintAppSession,
  newHandshakeState,
  safeAppReturnPath,
  verifyAppSession,
} from './app-session';

const secret = 'a'.repeat(40);
const local = {
  RISE_TLS_MODE: 'off' as const,
  RISE_APPS_PORT: 8080,
  RISE_PROXY_HTTP_PORT: 8080,
  RISE_PROXY_HTTPS_PORT: 443,
};
const production = {
  RISE_TLS_MODE: 'acme' as const,
  RISE_APPS_PORT: undefined,
  RISE_PROXY_HTTP_PORT: 80,
  RISE_PROXY_HTTPS_PORT: 443,
};

describe('safeAppReturnPath', () => {
  it('keeps paths on the same host, with their query', () => {
    expect(safeAppReturnPath('/')).toBe('/');
    expect(safeAppReturnPath('/a/b?c=1&d=%2F%2Fx#top')).toBe('/a/b?c=1&d=%2F%2Fx#top');
  });

  it('refuses anything a browser could read as another host or scheme', () => {
    for (const value of [
      '//evil.com',
      '//evil.com/x',
      '/\\evil.com',
      '\\\\evil.com',
      'https://evil.com',
      'http:/evil.com',
      'javascript:alert(1)',
      'evil.com',
      '/\tx',
      '/x\n/y',
      ' /x',
      '',
      `/${'a'.repeat(3000)}`,
      null,
      42,
    ]) {
      expect(safeAppReturnPath(value), String(value)).toBeNull();
    }
  });
});

describe('appHandshakeHost', () => {
  it('accepts app hosts on the ports apps are served on', () => {
    expect(appHandshakeHost('Shop.localhost:8080', local)).toBe('shop.localhost:8080');
    expect(appHandshakeHost('shop.localhost', local)).toBe('shop.localhost');
    expect(appHandshakeHost('shop.example.com', production)).toBe('shop.example.com');
    expect(appHandshakeHost('shop.example.com:443', production)).toBe('shop.example.com:443');
  });

  it('refuses other ports (a code must not reach another server on the machine) and non-hosts', () => {
    expect(appHandshakeHost('shop.localhost:9999', local)).toBeNull();
    expect(appHandshakeHost('shop.example.com:8080', production)).toBeNull();
    for (const value of ['evil.com/x', 'user@evil.com', 'a b', '', 'shop.localhost:', null]) {
      expect(appHandshakeHost(value, local), String(value)).toBeNull();
    }
  });
});

describe('app-session token', () => {
  it('round-trips for its project only', async () => {
    const token = await mintAppSession({ userId: 'u1', projectId: 'p1' }, 60, secret);
    expect(await verifyAppSession(token, 'p1', secret)).toEqual({ userId: 'u1' });
    expect(await verifyAppSession(token, 'p2', secret)).toBeNull();
    expect(await verifyAppSession(token, 'p1', 'b'.repeat(40))).toBeNull();
    expect(await verifyAppSession(`${token}x`, 'p1', secret)).toBeNull();
    expect(await verifyAppSession('not-a-jwt', 'p1', secret)).toBeNull();
  });

  it('expires', async () => {
    const token = await mintAppSession({ userId: 'u1', projectId: 'p1' }, -1, secret);
    expect(await verifyAppSession(token, 'p1', secret)).toBeNull();
  });
});

describe('app-host cookies', () => {
  it('are host-only, HttpOnly, SameSite=Lax; __Host- and Secure under https', () => {
    expect(appHostSetCookie(appSessionCookieName(production), 't', 60, production)).toBe(
      '__Host-rise_app_session=t; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure',
    );
    expect(appHostSetCookie(appSessionCookieName(local), 't', 60, local)).toBe(
      'rise_app_session=t; Path=/; Max-Age=60; HttpOnly; SameSite=Lax',
    );
  });

  it('handshake states are random and recognisable', () => {
    const state = newHandshakeState();
    expect(isHandshakeState(state)).toBe(true);
    expect(newHandshakeState()).not.toBe(state);
    expect(isHandshakeState('short')).toBe(false);
    expect(isHandshakeState(`${state.slice(0, 42)};`)).toBe(false);
  });
});
