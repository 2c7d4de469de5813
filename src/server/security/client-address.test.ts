import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/env';
import { clientAddress, normalizeAddress, recordPeerAddresses, trustedProxyHops } from './client-address';

const headers = (xff?: string) => new Headers(xff === undefined ? {} : { 'x-forwarded-for': xff });

describe('clientAddress', () => {
  it('takes the peer (last entry) when no proxy is trusted, ignoring what the client wrote before it', () => {
    expect(clientAddress(headers('6.6.6.6, 10.0.0.7'), 0)).toBe('10.0.0.7');
    expect(clientAddress(headers('10.0.0.7'), 0)).toBe('10.0.0.7');
  });

  it('believes one entry per trusted proxy, and no more', () => {
    // client forged 6.6.6.6; Caddy appended the address it saw (203.0.113.9); the server appended Caddy's.
    expect(clientAddress(headers('6.6.6.6, 203.0.113.9, 127.0.0.1'), 1)).toBe('203.0.113.9');
    expect(clientAddress(headers('203.0.113.9, 127.0.0.1'), 1)).toBe('203.0.113.9');
  });

  it('never reads past the start of the chain', () => {
    expect(clientAddress(headers('127.0.0.1'), 3)).toBe('127.0.0.1');
    expect(clientAddress(headers(), 0)).toBe('unknown');
    expect(clientAddress(headers(' , '), 0)).toBe('unknown');
  });

  it('treats IPv4-mapped IPv6 and bracketed forms as one address', () => {
    expect(normalizeAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeAddress('[2001:DB8::1]:443')).toBe('2001:db8::1');
    expect(normalizeAddress('2001:db8::1')).toBe('2001:db8::1');
  });
});

describe('trustedProxyHops', () => {
  it('defaults to one hop when RISE_URL is served through Rise’s Caddy, else none', () => {
    expect(trustedProxyHops(parseEnv({ RISE_URL: 'http://localhost:3000' }))).toBe(0);
    expect(trustedProxyHops(parseEnv({ RISE_URL: 'https://rise.example.com' }))).toBe(1);
    // Caddy's port published under another number (a compose stack on free ports).
    expect(
      trustedProxyHops(parseEnv({ RISE_URL: 'http://rise.localhost:8081', RISE_APPS_PORT: '8081' })),
    ).toBe(1);
    expect(
      trustedProxyHops(parseEnv({ RISE_URL: 'https://rise.example.com', RISE_TRUSTED_PROXY_HOPS: '0' })),
    ).toBe(0);
    expect(() => parseEnv({ RISE_TRUSTED_PROXY_HOPS: '-1' })).toThrow(/RISE_TRUSTED_PROXY_HOPS/);
  });

  it('counts the edge in front of Caddy as one more hop (compose, or npm start serving RISE_URL)', () => {
    const compose = { RISE_URL: 'http://rise.localhost:8081', RISE_APPS_PORT: '8081' };
    expect(trustedProxyHops(parseEnv({ ...compose, RISE_PROXY_TRUSTED_PROXIES: '10.212.0.0/24' }))).toBe(2);
    expect(
      trustedProxyHops(
        parseEnv({
          RISE_URL: 'http://rise.localhost:8080',
          RISE_PROXY_HTTP_PORT: '8080',
          RISE_PROXY_LISTEN_HTTP_PORT: '18080',
        }),
      ),
    ).toBe(2);
    // The web server straight: no proxy in front, whatever stands in front of Caddy.
    expect(
      trustedProxyHops(
        parseEnv({ RISE_URL: 'http://localhost:3000', RISE_PROXY_TRUSTED_PROXIES: '10.212.0.0/24' }),
      ),
    ).toBe(0);
  });

  it('refuses trusted proxies that are not CIDRs, saying what it expects', () => {
    for (const value of ['10.212.0.0', 'edge', '10.212.0.0/33', '::1/129', '10.0.0.0/8/1']) {
      expect(() => parseEnv({ RISE_PROXY_TRUSTED_PROXIES: value })).toThrow(
        /RISE_PROXY_TRUSTED_PROXIES.*expected CIDRs such as/s,
      );
    }
    expect(
      parseEnv({ RISE_PROXY_TRUSTED_PROXIES: '10.212.0.0/24, fd00::/64' }).RISE_PROXY_TRUSTED_PROXIES,
    ).toEqual(['10.212.0.0/24', 'fd00::/64']);
  });
});

describe('recordPeerAddresses', () => {
  it('appends the socket peer to whatever X-Forwarded-For the client sent', async () => {
    recordPeerAddresses();
    recordPeerAddresses(); // idempotent: the peer is appended once
    const seen: (string | undefined)[] = [];
    const server = http.createServer((request, response) => {
      seen.push(request.headers['x-forwarded-for'] as string | undefined);
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-forwarded-for': '6.6.6.6' } });
    } finally {
      server.close();
    }
    expect(seen).toEqual(['127.0.0.1', '6.6.6.6, 127.0.0.1']);
  });
});
