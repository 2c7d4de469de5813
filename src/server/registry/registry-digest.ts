import type { ImageReference } from './image-reference';

// Without these, distribution 2.8 converts to schema1 and answers a different digest.
const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

function baseUrl(registry: string): string {
  const host = registry === 'docker.io' ? 'registry-1.docker.io' : registry;
  const insecure = /^(localhost|127\.\d+\.\d+\.\d+)(:\d+)?$/.test(host);
  return `${insecure ? 'http' : 'https'}://${host}`;
}

function parseChallenge(header: string): Record<string, string> {
  return Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1]!, match[2]!]));
}

/**
 * The manifest digest of `reference` from its registry's HTTP API (a HEAD request, no pull). Follows a
 * Bearer challenge with an anonymous token, or with `credentials` when given.
 */
export async function fetchManifestDigest(
  reference: ImageReference,
  credentials?: { username: string; password: string },
): Promise<string> {
  const registry = reference.registry ?? 'docker.io';
  const repository =
    !reference.registry && !reference.repository.includes('/')
      ? `library/${reference.repository}`
      : reference.repository;
  const url = `${baseUrl(registry)}/v2/${repository}/manifests/${reference.tag ?? 'latest'}`;
  const head = (authorization?: string) =>
    fetch(url, {
      method: 'HEAD',
      headers: { accept: MANIFEST_ACCEPT, ...(authorization ? { authorization } : {}) },
      signal: AbortSignal.timeout(15_000),
    });
  let response = await head();
  const challenge = response.headers.get('www-authenticate');
  if (response.status === 401 && challenge?.startsWith('Bearer ')) {
    const { realm, service } = parseChallenge(challenge);
    if (!realm) throw new Error(`registry ${registry} sent a Bearer challenge without a realm`);
    const tokenUrl = new URL(realm);
    if (service) tokenUrl.searchParams.set('service', service);
    tokenUrl.searchParams.set('scope', `repository:${repository}:pull`);
    const basic = credentials
      ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
      : undefined;
    const tokenResponse = await fetch(tokenUrl, {
      headers: basic ? { authorization: basic } : {},
      signal: AbortSignal.timeout(15_000),
    });
    if (!tokenResponse.ok)
      throw new Error(
        `registry ${registry} refused a pull token for ${repository} (${tokenResponse.status})`,
      );
    const body = (await tokenResponse.json()) as { token?: string; access_token?: string };
    response = await head(`Bearer ${body.token ?? body.access_token}`);
  }
  if (response.status === 404)
    throw new Error(`image ${registry}/${repository}:${reference.tag ?? 'latest'} not found in its registry`);
  if (!response.ok) throw new Error(`registry ${registry} answered ${response.status} for ${repository}`);
  const digest = response.headers.get('docker-content-digest');
  if (!digest) throw new Error(`registry ${registry} returned no Docker-Content-Digest for ${repository}`);
  return digest;
}
