/**
 * Where Rise's own processes reach each other, as opposed to the public addresses clients use. In
 * `npm start` everything is on 127.0.0.1 and the two coincide; in the compose stack the web server is
 * `web:3000` and the registry `registry:5000` on the internal network, while browsers, the CLI and the
 * host's Docker engine use RISE_URL and RISE_REGISTRY_HOST. Pure, so env.ts can derive its defaults here.
 */

/** Loopback hosts, where a registry speaks plain HTTP by default (dockerd treats 127.0.0.0/8 as insecure). */
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i;

/** Why `value` is not an origin of the allowed schemes (`http://host[:port]`), or null when it is one. */
export function originProblem(value: string, schemes: readonly ('http' | 'https')[]): string | null {
  const expected = `expected ${schemes.map((scheme) => `${scheme}://host:port`).join(' or ')}`;
  if (!URL.canParse(value)) return `${expected}, e.g. ${schemes[0]}://web:3000`;
  const url = new URL(value);
  if (!schemes.some((scheme) => url.protocol === `${scheme}:`)) return `${expected} (not ${url.protocol})`;
  if (!url.hostname || url.username || url.password) return `${expected}, without user or password`;
  if (url.pathname.replace(/\/+$/, '') !== '' || url.search || url.hash)
    return `${expected}, without a path: Rise appends its own paths`;
  return null;
}

/** `http://web:3000/` → `http://web:3000`. */
export const normaliseOrigin = (value: string) => new URL(value).origin;

/**
 * The default RISE_INTERNAL_URL: the address the web server binds to (RISE_HOST) on PORT; a wildcard
 * bind address is reached on loopback.
 */
export function defaultInternalUrl(bindHost: string, port: number): string {
  const host = bindHost === '0.0.0.0' || bindHost === '' ? '127.0.0.1' : bindHost === '::' ? '::1' : bindHost;
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${bracketed}:${port}`;
}

/**
 * The default RISE_REGISTRY_INTERNAL_URL: the public registry host itself, over plain HTTP on loopback
 * (as `npm start` runs it) and HTTPS elsewhere.
 */
export function defaultRegistryInternalUrl(registryHost: string): string {
  return `${LOOPBACK.test(registryHost) ? 'http' : 'https'}://${registryHost}`;
}

/** What Caddy dials for an `http://host[:port]` origin: `host:port`, the port made explicit. */
export function dialAddress(origin: string): string {
  const url = new URL(origin);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.hostname}:${port}`;
}
