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

/** The settings that say where the web server is and whether Caddy stands in front of RISE_URL. */
export type WebAddressSettings = {
  RISE_URL: string;
  RISE_HOST: string;
  PORT: number;
  RISE_PROXY_HTTP_PORT: number;
  RISE_PROXY_HTTPS_PORT: number;
  RISE_APPS_PORT?: number;
};

const portOf = (url: URL) => Number(url.port || (url.protocol === 'https:' ? 443 : 80));

/**
 * Whether clients reach RISE_URL through Rise's Caddy: its port is one Caddy serves publicly
 * (RISE_PROXY_HTTP(S)_PORT, or RISE_APPS_PORT when Caddy's ports are published under other numbers).
 */
export function riseUrlServedByProxy(settings: Omit<WebAddressSettings, 'RISE_HOST' | 'PORT'>): boolean {
  const port = portOf(new URL(settings.RISE_URL));
  return [settings.RISE_PROXY_HTTP_PORT, settings.RISE_PROXY_HTTPS_PORT, settings.RISE_APPS_PORT].includes(
    port,
  );
}

/**
 * The default RISE_INTERNAL_URL. When RISE_URL is the web server itself (its port is not Caddy's, as
 * under `npm start`: http://localhost:3000), Rise's processes reach it there too; when Caddy serves
 * RISE_URL, at the address the web server binds to (RISE_HOST, a wildcard reached on loopback) on
 * PORT. A container setup where neither holds (compose: http://web:3000) sets it explicitly.
 */
export function defaultInternalUrl(settings: WebAddressSettings): string {
  if (!riseUrlServedByProxy(settings)) {
    const url = new URL(settings.RISE_URL);
    return `http://${url.hostname}:${portOf(url)}`;
  }
  const bind = settings.RISE_HOST;
  const host = bind === '0.0.0.0' || bind === '' ? '127.0.0.1' : bind === '::' ? '::1' : bind;
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${bracketed}:${settings.PORT}`;
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
