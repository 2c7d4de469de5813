import { fetch as undiciFetch } from 'undici';
import { outboundErrorMessage, outboundGuard } from '@/server/security/outbound-guard';
import { apiRepositoryOf, type ImageReference, registryHostOf } from '@/shared/registry/image-reference';

// Without these, distribution 2.8 converts to schema1 and answers a different digest.
const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

const TIMEOUT_MS = 15_000;
const TOKEN_BODY_MAX = 64 * 1024;

/** How registry requests are made: through the outbound guard for user-named registries. */
export type RegistryFetch = (
  url: URL,
  init: { method?: string; headers: Record<string, string>; signal: AbortSignal },
) => Promise<Response>;

/** Rise's own registry is platform infrastructure: reached directly, never following redirects. */
export const platformRegistryFetch: RegistryFetch = (url, init) =>
  undiciFetch(url, { ...init, redirect: 'manual' }) as unknown as Promise<Response>;

const guardedRegistryFetch: RegistryFetch = (url, init) =>
  outboundGuard().fetch(url, init) as unknown as Promise<Response>;

function baseUrl(registry: string): string {
  const host = registry === 'docker.io' ? 'registry-1.docker.io' : registry;
  const insecure = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(host);
  return `${insecure ? 'http' : 'https'}://${host}`;
}

function parseChallenge(header: string): Record<string, string> {
  return Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1]!, match[2]!]));
}

async function readLimited(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`answer larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The registry refused access (401/403) to a repository: no login, or a login it does not accept. */
export class RegistryAccessDenied extends Error {
  constructor(
    readonly registry: string,
    readonly repository: string,
    readonly status: number,
    /** Whether credentials were sent (they were refused) or not (the registry wants a login). */
    readonly withCredentials: boolean,
    what: string,
  ) {
    super(
      withCredentials
        ? `registry ${registry} refused the credentials for ${repository}: ${what} answered ${status}`
        : `registry ${registry} requires a login to pull ${repository}: ${what} answered ${status} without credentials`,
    );
    this.name = 'RegistryAccessDenied';
  }
}

const basicAuthorization = (credentials: { username: string; password: string }) =>
  `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;

export type ManifestDigestOptions = {
  credentials?: { username: string; password: string };
  /** A bearer token to present at once (Rise's own registry, with a token Rise signed): no challenge. */
  bearerToken?: string;
  /**
   * Where the registry's API is reached when that is not the reference's host, e.g. http://registry:5000
   * inside the compose stack for images named 127.0.0.1:5000/… (RISE_REGISTRY_INTERNAL_URL).
   */
  baseUrl?: string;
  fetch?: RegistryFetch;
};

/**
 * The manifest digest of `reference` from its registry's HTTP API (a HEAD request, no pull). Answers a
 * Basic challenge with `credentials`, and a Bearer challenge with a token fetched anonymously or with
 * `credentials`. Redirects are refused; every failure (refused address, reset connection, garbage)
 * becomes an Error naming the registry, a refusal of access a RegistryAccessDenied.
 */
export async function fetchManifestDigest(
  reference: ImageReference,
  options: ManifestDigestOptions = {},
): Promise<string> {
  const named = registryHostOf(reference);
  const base = options.baseUrl?.replace(/\/+$/, '') ?? baseUrl(named);
  // Named as the user wrote it, and where it was asked when that differs (an internal address).
  const registry = options.baseUrl ? `${named} (at ${base})` : named;
  const repository = apiRepositoryOf(reference);
  const send = options.fetch ?? guardedRegistryFetch;
  const request = async (what: string, url: URL, headers: Record<string, string>, method = 'GET') => {
    let response: Response;
    try {
      response = await send(url, { method, headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      throw new Error(`registry ${registry}: ${what} failed: ${outboundErrorMessage(error)}`, {
        cause: error,
      });
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(
        `registry ${registry}: ${what} was redirected (${response.status}) to ${
          response.headers.get('location') ?? 'nowhere'
        }; Rise does not follow registry redirects`,
      );
    }
    return response;
  };
  const manifestUrl = new URL(
    `${base}/v2/${repository}/manifests/${reference.digest ?? reference.tag ?? 'latest'}`,
  );
  const head = (authorization?: string) =>
    request(
      'the manifest request',
      manifestUrl,
      { accept: MANIFEST_ACCEPT, ...(authorization ? { authorization } : {}) },
      'HEAD',
    );

  const { credentials, bearerToken } = options;
  let response = await head(bearerToken ? `Bearer ${bearerToken}` : undefined);
  const challenge = bearerToken ? null : response.headers.get('www-authenticate');
  if (response.status === 401 && credentials && challenge?.toLowerCase().startsWith('basic')) {
    await response.body?.cancel().catch(() => undefined);
    response = await head(basicAuthorization(credentials));
  } else if (response.status === 401 && challenge?.toLowerCase().startsWith('bearer ')) {
    const { realm, service } = parseChallenge(challenge);
    if (!realm) throw new Error(`registry ${registry} sent a Bearer challenge without a realm`);
    let tokenUrl: URL;
    try {
      tokenUrl = new URL(realm);
    } catch {
      throw new Error(`registry ${registry} sent a token realm that is not a URL: ${realm.slice(0, 200)}`);
    }
    if (tokenUrl.protocol !== 'https:' && tokenUrl.protocol !== 'http:')
      throw new Error(`registry ${registry} sent a token realm that is not http(s): ${tokenUrl.protocol}`);
    if (service) tokenUrl.searchParams.set('service', service);
    tokenUrl.searchParams.set('scope', `repository:${repository}:pull`);
    const tokenRequest = `the token request to ${tokenUrl.origin}`;
    const tokenResponse = await request(
      tokenRequest,
      tokenUrl,
      credentials ? { authorization: basicAuthorization(credentials) } : {},
    );
    if (!tokenResponse.ok) {
      await tokenResponse.body?.cancel().catch(() => undefined);
      if (tokenResponse.status === 401 || tokenResponse.status === 403)
        throw new RegistryAccessDenied(
          registry,
          repository,
          tokenResponse.status,
          Boolean(credentials),
          tokenRequest,
        );
      throw new Error(
        `registry ${registry} refused a pull token for ${repository} (${tokenResponse.status})`,
      );
    }
    let token: string | undefined;
    try {
      const body = JSON.parse(await readLimited(tokenResponse, TOKEN_BODY_MAX)) as {
        token?: unknown;
        access_token?: unknown;
      };
      const value = body.token ?? body.access_token;
      token = typeof value === 'string' && /^[\x21-\x7e]{1,8192}$/.test(value) ? value : undefined;
    } catch (error) {
      throw new Error(`registry ${registry}: the token answer is not JSON (${(error as Error).message})`);
    }
    if (!token) throw new Error(`registry ${registry}: the token answer has no usable token`);
    response = await head(`Bearer ${token}`);
  }
  await response.body?.cancel().catch(() => undefined);
  const shown = `${named}/${repository}${reference.digest ? `@${reference.digest}` : `:${reference.tag ?? 'latest'}`}`;
  if (response.status === 404) throw new Error(`image ${shown} not found in its registry`);
  if (response.status === 401 || response.status === 403)
    throw new RegistryAccessDenied(
      registry,
      repository,
      response.status,
      Boolean(credentials || bearerToken),
      'the manifest request',
    );
  if (!response.ok) throw new Error(`registry ${registry} answered ${response.status} for ${repository}`);
  const digest = response.headers.get('docker-content-digest');
  if (!digest || !/^sha256:[a-f0-9]{64}$/.test(digest))
    throw new Error(`registry ${registry} returned no valid Docker-Content-Digest for ${repository}`);
  if (reference.digest && digest !== reference.digest)
    throw new Error(`registry ${registry} answered digest ${digest} for ${shown}`);
  return digest;
}
