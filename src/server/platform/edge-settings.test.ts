import { describe, expect, it } from 'vitest';
import { parseEdgeSettings } from './edge-settings';

describe('edge settings', () => {
  it('reads where Caddy is, with defaults for the ports inside the container', () => {
    expect(
      parseEdgeSettings({ RISE_EDGE_UPSTREAM: 'caddy-http:80', RISE_EDGE_TLS_UPSTREAM: 'caddy-tls:443' }),
    ).toEqual({
      port: 8080,
      upstream: { host: 'caddy-http', port: 80 },
      tls: { port: 8443, upstreamHost: 'caddy-tls', upstreamPort: 443 },
      waitForUpstreamMs: 30_000,
    });
  });

  it('serves no HTTPS port when no TLS upstream is set', () => {
    expect(
      parseEdgeSettings({ RISE_EDGE_UPSTREAM: 'caddy-http:80', RISE_EDGE_TLS_UPSTREAM: '' }).tls,
    ).toBeUndefined();
  });

  it('names each bad setting and what it expects', () => {
    expect(() => parseEdgeSettings({})).toThrow(/RISE_EDGE_UPSTREAM/);
    expect(() => parseEdgeSettings({ RISE_EDGE_UPSTREAM: 'caddy-http' })).toThrow(
      /RISE_EDGE_UPSTREAM: expected host:port, e.g. caddy-http:80/,
    );
    expect(() => parseEdgeSettings({ RISE_EDGE_UPSTREAM: 'caddy:99999' })).toThrow(/RISE_EDGE_UPSTREAM/);
    expect(() =>
      parseEdgeSettings({ RISE_EDGE_UPSTREAM: 'caddy:80', RISE_EDGE_HTTP_PORT: 'eighty' }),
    ).toThrow(/RISE_EDGE_HTTP_PORT/);
  });
});
