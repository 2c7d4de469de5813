import http from 'node:http';
import type { V1Ingress } from '@kubernetes/client-node';

/**
 * What ingress-nginx does with a request, for the parts Rise relies on, driven by the Ingress objects
 * Rise writes (no controller runs here: no cluster in the test environment). Follows the controller's
 * nginx.tmpl (kubernetes/ingress-nginx, rootfs/etc/nginx/template/nginx.tmpl) and template.go:
 *
 * - locations of a host come from every Ingress naming it; when one of them has use-regex or
 *   rewrite-target, every path of the host is a case-insensitive regex anchored at the start
 *   (`enforceRegexModifier`), longest first;
 * - auth-url: a GET subrequest with the client's headers (`proxy_pass_request_headers on`) plus
 *   Host (the auth-url's), X-Original-URL (`$scheme://$http_host$request_uri`), X-Original-Method,
 *   X-Sent-From, X-Real-IP, X-Forwarded-For, X-Auth-Request-Redirect, and X-Forwarded-Proto and
 *   Content-Length emptied; 2xx continues, 401 goes to auth-signin, anything else is the answer;
 * - auth-response-headers: `proxy_set_header <name> $authHeaderN` for each, so the header the app
 *   gets is the auth answer's, or none (nginx drops a header set to an empty value);
 * - auth-signin: `return 302 <auth-signin>?rd=$pass_access_scheme://$http_host$escaped_request_uri`
 *   (`buildAuthSignURL`; `set_escape_uri` escapes like encodeURIComponent);
 * - rewrite-target: `rewrite "(?i)<path>" <target> break;` (the query string is kept);
 * - the upstream request: the client's headers with Host and X-Forwarded-Host = `$best_http_host`.
 */

export type Backend = { kind: 'app' } | { kind: 'http'; port: number };

export type ClientRequest = {
  /** The host nginx routes by (the request line's host, else the Host header). */
  host: string;
  path: string;
  headers?: Record<string, string>;
  /** The Host header when it differs from the routed host (an absolute request line). */
  hostHeader?: string;
};

export type NginxAnswer = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** For `kind: 'app'` backends: the headers the app received. */
  appHeaders?: Record<string, string>;
  /** Where the request went: the app, or the path an `http` backend was asked for. */
  upstream?: string;
};

const ANNOTATION = 'nginx.ingress.kubernetes.io/';

type Location = {
  ingress: V1Ingress;
  path: string;
  pathType: string;
  service: string;
};

function send(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, path, method: 'GET', headers, agent: false },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

function first(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

export class IngressNginx {
  constructor(
    private readonly ingresses: () => V1Ingress[],
    /** Service name → what it reaches (an ExternalName Service to Rise is an `http` backend). */
    private readonly backends: Record<string, Backend>,
    /** How the auth-url's host is reached here. */
    private readonly authPort: number,
    private readonly scheme: 'http' | 'https' = 'http',
  ) {}

  async request(client: ClientRequest): Promise<NginxAnswer> {
    const location = this.locate(client.host, client.path);
    if (!location) return { status: 404, headers: {}, body: 'default backend - 404' };
    const annotations = location.ingress.metadata?.annotations ?? {};
    const clientHeaders = Object.fromEntries(
      Object.entries(client.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    );
    const httpHost = client.hostHeader ?? client.host;
    let upstreamHeaders = { ...clientHeaders };

    const authUrl = annotations[`${ANNOTATION}auth-url`];
    if (authUrl) {
      const target = new URL(authUrl);
      const authHeaders: Record<string, string> = {
        ...clientHeaders,
        host: target.host,
        'x-original-url': `${this.scheme}://${httpHost}${client.path}`,
        'x-original-method': 'GET',
        'x-sent-from': 'nginx-ingress-controller',
        'x-real-ip': '127.0.0.1',
        'x-forwarded-for': '127.0.0.1',
        'x-auth-request-redirect': client.path,
      };
      delete authHeaders['x-forwarded-proto'];
      delete authHeaders['content-length'];
      const auth = await send(this.authPort, `${target.pathname}${target.search}`, authHeaders);
      if (auth.status === 401 && annotations[`${ANNOTATION}auth-signin`]) {
        const signin = annotations[`${ANNOTATION}auth-signin`]!.replaceAll('$http_host', httpHost);
        const rd = `${this.scheme}://${httpHost}${encodeURIComponent(client.path)}`;
        const separator = new URL(signin).search ? '&' : '?';
        return { status: 302, headers: { location: `${signin}${separator}rd=${rd}` }, body: '' };
      }
      if (auth.status < 200 || auth.status > 299) {
        return { status: auth.status, headers: {}, body: auth.body };
      }
      const names = (annotations[`${ANNOTATION}auth-response-headers`] ?? '')
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter(Boolean);
      for (const name of names) {
        const value = first(auth.headers[name]);
        if (value) upstreamHeaders[name] = value;
        else delete upstreamHeaders[name];
      }
    }

    upstreamHeaders = {
      ...upstreamHeaders,
      host: httpHost,
      'x-forwarded-host': httpHost,
      'x-forwarded-proto': this.scheme,
      'x-real-ip': '127.0.0.1',
      'x-forwarded-for': '127.0.0.1',
    };
    const backend = this.backends[location.service];
    if (!backend) return { status: 503, headers: {}, body: `no endpoints for ${location.service}` };
    if (backend.kind === 'app') {
      return { status: 200, headers: {}, body: 'app', appHeaders: upstreamHeaders, upstream: 'app' };
    }
    const path = this.rewrite(location, client.path);
    const answer = await send(backend.port, path, upstreamHeaders);
    return { ...answer, upstream: path };
  }

  private locate(host: string, uri: string): Location | null {
    const routed = host.toLowerCase().replace(/:\d+$/, '');
    const locations: Location[] = [];
    for (const ingress of this.ingresses()) {
      for (const rule of ingress.spec?.rules ?? []) {
        if (rule.host !== routed) continue;
        for (const path of rule.http?.paths ?? []) {
          locations.push({
            ingress,
            path: path.path ?? '/',
            pathType: path.pathType,
            service: path.backend.service?.name ?? '',
          });
        }
      }
    }
    const enforceRegex = locations.some((location) => {
      const annotations = location.ingress.metadata?.annotations ?? {};
      return (
        annotations[`${ANNOTATION}use-regex`] === 'true' ||
        Boolean(annotations[`${ANNOTATION}rewrite-target`])
      );
    });
    const path = uri.split('?')[0] ?? '/';
    locations.sort((a, b) => b.path.length - a.path.length);
    return (
      locations.find((location) =>
        enforceRegex
          ? new RegExp(`^${location.path}`, 'i').test(path)
          : location.pathType === 'Exact'
            ? path === location.path
            : path === location.path ||
              path.startsWith(location.path.endsWith('/') ? location.path : `${location.path}/`),
      ) ?? null
    );
  }

  private rewrite(location: Location, uri: string): string {
    const target = location.ingress.metadata?.annotations?.[`${ANNOTATION}rewrite-target`];
    if (!target) return uri;
    const [path = '/', query] = uri.split(/\?(.*)/s);
    const match = new RegExp(location.path, 'i').exec(path);
    if (!match) return uri;
    const rewritten = target.replace(/\$(\d)/g, (_, index: string) => match[Number(index)] ?? '');
    return query === undefined ? rewritten : `${rewritten}?${query}`;
  }
}
