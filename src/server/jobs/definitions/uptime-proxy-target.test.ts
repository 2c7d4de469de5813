import { describe, expect, it } from 'vitest';
import { uptimeProxyTarget } from './uptime-proxy-target';

const base = {
  RISE_UPTIME_PROXY_HOST: undefined,
  RISE_PROXY_BIND_HOST: undefined,
  RISE_TLS_MODE: 'off' as const,
  RISE_PROXY_HTTP_PORT: 80,
  RISE_PROXY_HTTPS_PORT: 443,
  RISE_PROXY_LISTEN_HTTP_PORT: undefined,
  RISE_PROXY_LISTEN_HTTPS_PORT: undefined,
};

describe('uptimeProxyTarget', () => {
  it('checks over HTTP on the proxy port of this machine when TLS is off', () => {
    expect(uptimeProxyTarget(base)).toEqual({ address: '127.0.0.1', port: 80, tls: false });
  });

  it("reaches Caddy's own port under npm start, and HTTPS when TLS is on", () => {
    expect(uptimeProxyTarget({ ...base, RISE_PROXY_LISTEN_HTTP_PORT: 8080 })).toMatchObject({ port: 8080 });
    expect(uptimeProxyTarget({ ...base, RISE_TLS_MODE: 'acme', RISE_PROXY_LISTEN_HTTPS_PORT: 8443 })).toEqual(
      { address: '127.0.0.1', port: 8443, tls: true },
    );
  });

  it('uses the bind address, or RISE_UPTIME_PROXY_HOST when set', () => {
    expect(uptimeProxyTarget({ ...base, RISE_PROXY_BIND_HOST: '10.0.0.5' }).address).toBe('10.0.0.5');
    expect(uptimeProxyTarget({ ...base, RISE_PROXY_BIND_HOST: '0.0.0.0' }).address).toBe('127.0.0.1');
    expect(uptimeProxyTarget({ ...base, RISE_UPTIME_PROXY_HOST: 'caddy' }).address).toBe('caddy');
  });
});
