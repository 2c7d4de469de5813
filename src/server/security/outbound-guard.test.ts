import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyAddress, OutboundGuard, outboundErrorMessage, parseAllowEntry } from './outbound-guard';

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['100.128.0.1', 'public'],
    ['169.254.169.254', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:100.64.0.1', 'carrier-grade NAT'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['::ffff:8.8.8.8', 'public'],
    ['::127.0.0.1', 'reserved'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::a00:1', 'private'],
    ['64:ff9b::808:808', 'public'],
    ['2002:7f00:1::', 'reserved'],
    ['fc00::1', 'unique local'],
    ['fd12:3456::1', 'unique local'],
    ['fe80::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['2001:4860:4860::8888', 'public'],
    ['2606:4700::1111', 'public'],
    ['4000::1', 'reserved'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

describe('RISE_OUTBOUND_ALLOW entries', () => {
  it('parses IPs, CIDRs, host names and ports', () => {
    expect(parseAllowEntry('127.0.0.1:5000')).toMatchObject({ port: 5000 });
    expect(parseAllowEntry('10.0.0.0/8')).toMatchObject({ port: null });
    expect(parseAllowEntry('[fd00::1]:443')).toMatchObject({ port: 443 });
    expect(parseAllowEntry('fd00::/8')).toMatchObject({ port: null });
    expect(parseAllowEntry('Registry.Internal:5000')).toMatchObject({
      host: 'registry.internal',
      port: 5000,
    });
    expect(() => parseAllowEntry('10.0.0.0/33')).toThrow(/bad prefix/);
    expect(() => parseAllowEntry('host:x')).toThrow(/bad port/);
    expect(() => parseAllowEntry('bad host')).toThrow(/expected an IP/);
  });

  it('allows listed targets only, and Rise itself only when listed', async () => {
    const guard = new OutboundGuard({
      allow: ['127.0.0.1:5000', '10.0.0.0/8', 'registry.internal'],
      ownHosts: ['rise.example.com', '93.184.216.34'],
    });
    const at = (hostname: string, address: string, port: number) =>
      guard.refusal({ hostname, address, port });
    expect(await at('127.0.0.1', '127.0.0.1', 5000)).toBeNull();
    expect(await at('127.0.0.1', '127.0.0.1', 5001)).toMatch(
      /refused to connect to 127\.0\.0\.1:5001: it is a loopback address.*RISE_OUTBOUND_ALLOW=127\.0\.0\.1:5001/,
    );
    expect(await at('10.9.8.7', '10.9.8.7', 443)).toBeNull();
    expect(await at('registry.internal', '192.168.0.9', 443)).toBeNull();
    expect(await at('other.internal', '192.168.0.9', 443)).toMatch(
      /other\.internal:443 \(192\.168\.0\.9\): it is a private address/,
    );
    expect(await at('[::ffff:127.0.0.1]', '::ffff:127.0.0.1', 80)).toMatch(/loopback/);
    expect(await at('example.org', '8.8.8.8', 443)).toBeNull();
    expect(await at('rise.example.com', '8.8.4.4', 443)).toMatch(/it is Rise's own address/);
    expect(await at('alias.example.net', '93.184.216.34', 443)).toMatch(/it is Rise's own address/);
  });
});

describe('guarded connections', () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer((_request, response) => response.end('hello'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => server.close());

  it('fetch refuses loopback by IP and by name, unless allowed', async () => {
    const strict = new OutboundGuard({ allow: [], ownHosts: [] });
    for (const url of [
      `http://127.0.0.1:${port}/`,
      `http://localhost:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
    ]) {
      const error = await strict.fetch(url).then(
        () => null,
        (failure: unknown) => failure,
      );
      expect(outboundErrorMessage(error), url).toMatch(/Rise refused to connect to .*RISE_OUTBOUND_ALLOW=/);
    }
    const allowed = new OutboundGuard({ allow: [`127.0.0.1:${port}`], ownHosts: [] });
    const response = await allowed.fetch(`http://localhost:${port}/`);
    expect(await response.text()).toBe('hello');
  });

  it('http agents refuse loopback unless allowed', async () => {
    const get = (guard: OutboundGuard, host: string) =>
      new Promise<string>((resolve, reject) => {
        const request = http.get(
          { host, port, path: '/', agent: guard.httpAgents().httpAgent },
          (response) => {
            let body = '';
            response.on('data', (chunk) => (body += chunk));
            response.on('end', () => resolve(body));
          },
        );
        request.on('error', reject);
      });
    const strict = new OutboundGuard({ allow: [], ownHosts: [] });
    await expect(get(strict, '127.0.0.1')).rejects.toThrow(/loopback address/);
    await expect(get(strict, 'localhost')).rejects.toThrow(/loopback address/);
    const allowed = new OutboundGuard({ allow: ['127.0.0.1'], ownHosts: [] });
    expect(await get(allowed, 'localhost')).toBe('hello');
  });
});
