import http from 'node:http';
import { env } from '@/env';
import { edgeAddresses, riseUrlServedByProxy } from '@/server/proxy';

/**
 * Who is asking, for per-address rate limits.
 *
 * `next start` fills X-Forwarded-For from the socket only when the request has none, so a client that
 * reaches the web port directly could name any address. `recordPeerAddresses` (run at start-up) makes
 * the server append the socket's peer address to every request's X-Forwarded-For, as a proxy does.
 * The client is then the entry RISE_TRUSTED_PROXY_HOPS places before that last one: entries added by
 * the trusted proxies in front (Rise's Caddy adds exactly one, the edge before it one more) are
 * believed, anything a client wrote before them is not. Default: 1 when RISE_URL is served through
 * Rise's Caddy, 2 when an edge stands in front of that Caddy, else 0.
 */
export function clientAddress(headers: Headers, trustedHops = trustedProxyHops()): string {
  const chain = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (chain.length === 0) return 'unknown';
  return normalizeAddress(chain[Math.max(chain.length - 1 - trustedHops, 0)]!);
}

export function trustedProxyHops(settings = env): number {
  if (settings.RISE_TRUSTED_PROXY_HOPS !== undefined) return settings.RISE_TRUSTED_PROXY_HOPS;
  if (!riseUrlServedByProxy(settings)) return 0;
  // Caddy adds one entry; behind an edge that Caddy trusts, the edge's entry comes before it.
  return edgeAddresses(settings) ? 2 : 1;
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are one client; so are an address with and without brackets. */
export function normalizeAddress(address: string): string {
  const bare = address.replace(/^\[(.*)\](:\d+)?$/, '$1').toLowerCase();
  return bare.startsWith('::ffff:') && bare.includes('.') ? bare.slice(7) : bare;
}

const PATCHED = Symbol.for('rise.peer-address-recorder');

/** Appends each HTTP request's socket peer to its X-Forwarded-For before the server sees it. */
export function recordPeerAddresses(): void {
  const prototype = http.Server.prototype as http.Server & { [PATCHED]?: boolean };
  if (prototype[PATCHED]) return;
  prototype[PATCHED] = true;
  const emit = prototype.emit;
  prototype.emit = function emitWithPeer(this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const request = args[0] as http.IncomingMessage;
      const peer = request.socket?.remoteAddress;
      if (peer) {
        const prior = request.headers['x-forwarded-for'];
        const chain = Array.isArray(prior) ? prior.join(', ') : prior;
        request.headers['x-forwarded-for'] = chain ? `${chain}, ${peer}` : peer;
      }
    }
    return Reflect.apply(emit, this, [event, ...args]);
  } as typeof prototype.emit;
}
