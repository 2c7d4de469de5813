import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '@/env';
import { checkHttpToken } from './domain-verifier';

const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
let server: http.Server;
let port: number;
const seen: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(`${req.headers.host} ${req.url}`);
    const host = req.headers.host?.split(':')[0];
    if (host === 'ok.example.test') res.end(`${TOKEN}\n`);
    else if (host === 'wrong.example.test') res.end('something else');
    else if (host === 'moved.example.test') {
      res.writeHead(301, { location: `http://ok.example.test:${port}${req.url}` });
      res.end();
    } else if (host === 'huge.example.test') res.end('x'.repeat(100_000));
    else {
      res.statusCode = 404;
      res.end('secret internal page');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Every name resolves to the local server, as a domain pointed at Rise would. */
const lookup = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
}) as never;

const check = (hostname: string) => checkHttpToken(hostname, TOKEN, { port, lookup, timeoutMs: 2000 });
const url = (hostname: string) => `http://${hostname}:${port}/.well-known/rise-challenge/${TOKEN}`;

describe('HTTP check', () => {
  it('passes when the domain answers the token at the challenge path, with its own Host', async () => {
    expect(await check('ok.example.test')).toEqual({ ok: true });
    expect(seen).toContain(`ok.example.test:${port} /.well-known/rise-challenge/${TOKEN}`);
  });

  it('says what the domain answered, never its body', async () => {
    expect(await check('other.example.test')).toEqual({
      ok: false,
      error: `HTTP ${url('other.example.test')} answered 404`,
    });
    expect(await check('wrong.example.test')).toEqual({
      ok: false,
      error: `HTTP ${url('wrong.example.test')} answered 200 without the token`,
    });
    expect(await check('huge.example.test')).toMatchObject({ ok: false });
  });

  it('does not follow redirects', async () => {
    expect(await check('moved.example.test')).toEqual({
      ok: false,
      error: `HTTP ${url('moved.example.test')} answered 301`,
    });
  });

  it('reports an unreachable domain', async () => {
    const closed = await checkHttpToken('ok.example.test', TOKEN, { port: 1, lookup, timeoutMs: 2000 });
    expect(closed).toEqual({
      ok: false,
      error: `HTTP http://ok.example.test:1/.well-known/rise-challenge/${TOKEN} could not be fetched (ECONNREFUSED)`,
    });
  });
});

describe('RISE_DNS_SERVERS', () => {
  it('takes IP addresses with optional ports and names a bad entry', () => {
    expect(parseEnv({ RISE_DNS_SERVERS: '1.1.1.1, 127.0.0.1:5353,[::1]:53' }).RISE_DNS_SERVERS).toEqual([
      '1.1.1.1',
      '127.0.0.1:5353',
      '[::1]:53',
    ]);
    expect(parseEnv({}).RISE_DNS_SERVERS).toEqual([]);
    expect(() => parseEnv({ RISE_DNS_SERVERS: 'dns.example.com' })).toThrow(EnvError);
  });
});
