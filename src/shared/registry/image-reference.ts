import { isIPv4, isIPv6 } from 'node:net';

// The OCI distribution reference grammar (github.com/distribution/reference, grammar in its
// reference.go), with Docker's rule for telling a registry host from the first path component.
//
//   reference        := name [ ":" tag ] [ "@" digest ]
//   name             := [domain "/"] path-component ["/" path-component]*
//   domain           := host [":" port-number]
//   host             := domain-name | IPv4address | "[" IPv6address "]"
//   path-component   := alpha-numeric [separator alpha-numeric]*   (separator: [_.] | __ | [-]*)
//   tag              := [\w][\w.-]{0,127}
//   digest           := algorithm ":" hex

/** A parsed image reference. */
export type ImageReference = {
  /** Registry host[:port] as written, or null for a short name (Docker Hub, or an image of the local engine). */
  registry: string | null;
  /** The path after the registry host (`team/app`), without Docker Hub's implicit `library/`. */
  repository: string;
  tag: string | null;
  digest: string | null;
};

/** An image id of the local engine: `sha256:<64 hex>` or the bare 64 hex digits. */
export type ImageId = { id: string };

export class ImageReferenceError extends Error {
  constructor(
    readonly reference: string,
    readonly part: string,
    readonly reason: string,
  ) {
    super(`Image reference ${JSON.stringify(reference.slice(0, 300))} is not valid: ${part} ${reason}`);
    this.name = 'ImageReferenceError';
  }
}

export const NAME_TOTAL_LENGTH_MAX = 255;
const REFERENCE_LENGTH_MAX = 1024;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*$/;
const DOMAIN_NAME =
  /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^([A-Za-z][A-Za-z0-9]*(?:[+._-][A-Za-z][A-Za-z0-9]*)*):([0-9a-fA-F]{32,})$/;
/** The digest algorithms Docker accepts, with the length of their hex encoding. */
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
const IMAGE_ID = /^(?:sha256:)?([a-f0-9]{64})$/;

const quote = (value: string) => `'${value.length > 80 ? `${value.slice(0, 80)}…` : value}'`;

/** `algorithm:hex` with a supported algorithm and the right length of lowercase hex. */
export function validateDigest(reference: string, digest: string): string {
  const match = DIGEST.exec(digest);
  if (!match)
    throw new ImageReferenceError(
      reference,
      `digest ${quote(digest)}`,
      'is not algorithm:hex, e.g. sha256:<64 hex digits>',
    );
  const [, algorithm, hex] = match as unknown as [string, string, string];
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined)
    throw new ImageReferenceError(
      reference,
      `digest algorithm ${quote(algorithm)}`,
      'is not supported; use sha256, sha384 or sha512',
    );
  if (hex.length !== length || hex !== hex.toLowerCase())
    throw new ImageReferenceError(
      reference,
      `digest ${quote(digest)}`,
      `must have ${length} lowercase hex digits after '${algorithm}:'`,
    );
  return digest;
}

function validateHost(reference: string, domain: string): void {
  let host = domain;
  let port: string | null = null;
  if (domain.startsWith('[')) {
    const close = domain.indexOf(']');
    if (close === -1)
      throw new ImageReferenceError(reference, `registry host ${quote(domain)}`, "has '[' without ']'");
    host = domain.slice(0, close + 1);
    const rest = domain.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':'))
        throw new ImageReferenceError(reference, `registry host ${quote(domain)}`, "has text after ']'");
      port = rest.slice(1);
    }
    const inner = host.slice(1, -1);
    if (!/^[0-9a-fA-F:]+$/.test(inner) || !isIPv6(inner))
      throw new ImageReferenceError(
        reference,
        `registry host ${quote(host)}`,
        'is not a bracketed IPv6 address (no zone, no embedded IPv4)',
      );
  } else {
    const colon = domain.indexOf(':');
    if (colon !== -1) {
      host = domain.slice(0, colon);
      port = domain.slice(colon + 1);
    }
    if (!isIPv4(host) && !DOMAIN_NAME.test(host))
      throw new ImageReferenceError(
        reference,
        `registry host ${quote(host)}`,
        'is not a domain name, IPv4 address or bracketed IPv6 address',
      );
  }
  if (port !== null && (!/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535))
    throw new ImageReferenceError(
      reference,
      `registry port ${quote(port)}`,
      'is not a port number (1-65535)',
    );
}

function validatePathComponent(reference: string, component: string): void {
  if (PATH_COMPONENT.test(component)) return;
  const why =
    component === ''
      ? 'is empty (two slashes in a row, or a slash at an end)'
      : component !== component.toLowerCase() && PATH_COMPONENT.test(component.toLowerCase())
        ? 'must be lowercase'
        : 'must be lowercase letters and digits, separated by one of . _ __ or dashes';
  throw new ImageReferenceError(reference, `path component ${quote(component)}`, why);
}

/** Docker's rule: the first component names a registry when it has a '.' or ':', is `localhost`, or has capitals. */
function looksLikeRegistry(first: string): boolean {
  return (
    first.includes('.') ||
    first.includes(':') ||
    first.startsWith('[') ||
    first === 'localhost' ||
    first !== first.toLowerCase()
  );
}

/**
 * Parses `reference` with the distribution grammar; throws an ImageReferenceError naming the part that
 * is wrong. An image id (`sha256:<64 hex>`, or the 64 hex digits) is returned as `{ id }`.
 */
export function parseImageReferenceOrId(reference: string): ImageReference | ImageId {
  if (reference === '') throw new ImageReferenceError(reference, 'the reference', 'is empty');
  if (reference.length > REFERENCE_LENGTH_MAX)
    throw new ImageReferenceError(
      reference,
      'the reference',
      `is ${reference.length} characters long; at most ${REFERENCE_LENGTH_MAX}`,
    );
  const id = IMAGE_ID.exec(reference);
  if (id) return { id: `sha256:${id[1]}` };

  const at = reference.indexOf('@');
  const withoutDigest = at === -1 ? reference : reference.slice(0, at);
  const digest = at === -1 ? null : validateDigest(reference, reference.slice(at + 1));

  const lastSlash = withoutDigest.lastIndexOf('/');
  const tagColon = withoutDigest.indexOf(':', lastSlash + 1);
  const name = tagColon === -1 ? withoutDigest : withoutDigest.slice(0, tagColon);
  const tag = tagColon === -1 ? null : withoutDigest.slice(tagColon + 1);
  if (name === '') throw new ImageReferenceError(reference, 'the name', 'is missing');
  if (tag !== null && !TAG.test(tag))
    throw new ImageReferenceError(
      reference,
      `tag ${quote(tag)}`,
      'must be 1-128 letters, digits, _ . or -, not starting with . or -',
    );

  const firstSlash = name.indexOf('/');
  const first = firstSlash === -1 ? null : name.slice(0, firstSlash);
  const registry = first !== null && looksLikeRegistry(first) ? first : null;
  if (registry !== null) validateHost(reference, registry);
  const repository = registry === null ? name : name.slice(registry.length + 1);
  for (const component of repository.split('/')) validatePathComponent(reference, component);
  if (name.length > NAME_TOTAL_LENGTH_MAX)
    throw new ImageReferenceError(
      reference,
      'the name',
      `is ${name.length} characters long; at most ${NAME_TOTAL_LENGTH_MAX}`,
    );
  if (registry === null && /^[a-f0-9]{64}$/.test(repository))
    throw new ImageReferenceError(
      reference,
      `repository ${quote(repository)}`,
      'cannot be 64 hex digits (that is an image id)',
    );
  return { registry, repository, tag, digest };
}

/** Parses a named reference (not an image id); throws an ImageReferenceError naming the wrong part. */
export function parseImageReference(reference: string): ImageReference {
  const parsed = parseImageReferenceOrId(reference);
  if ('id' in parsed) throw new ImageReferenceError(reference, 'the reference', 'is an image id, not a name');
  return parsed;
}

/** The validation message for `reference`, or null when it is valid (for zod refinements). */
export function imageReferenceProblem(reference: string): string | null {
  try {
    parseImageReferenceOrId(reference);
    return null;
  } catch (error) {
    if (error instanceof ImageReferenceError) return error.message;
    throw error;
  }
}

/** `registry/repository[:tag][@digest]`, as written. */
export function formatImageReference(reference: ImageReference): string {
  return `${reference.registry ? `${reference.registry}/` : ''}${reference.repository}${
    reference.tag ? `:${reference.tag}` : ''
  }${reference.digest ? `@${reference.digest}` : ''}`;
}

/** `registry/repository@digest`: the pinned form a runtime pulls. */
export function pinnedReference(reference: ImageReference, digest: string): string {
  return `${reference.registry ? `${reference.registry}/` : ''}${reference.repository}@${digest}`;
}

/** Where the registry API lives: the host, with Docker Hub's for short names. */
export function registryHostOf(reference: ImageReference): string {
  return reference.registry ?? 'docker.io';
}

/** The repository as the registry API names it (`library/nginx` for Docker Hub's short names). */
export function apiRepositoryOf(reference: ImageReference): string {
  const host = registryHostOf(reference);
  return host === 'docker.io' && !reference.repository.includes('/')
    ? `library/${reference.repository}`
    : reference.repository;
}

/** Splits `host[:port]` (IPv6 in brackets) into the host name or address and the port. */
export function splitHostPort(registry: string): { host: string; port: number | null } {
  if (registry.startsWith('[')) {
    const close = registry.indexOf(']');
    const port = registry.slice(close + 2);
    return { host: registry.slice(1, close), port: port ? Number(port) : null };
  }
  const colon = registry.lastIndexOf(':');
  return colon === -1
    ? { host: registry, port: null }
    : { host: registry.slice(0, colon), port: Number(registry.slice(colon + 1)) };
}

const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

export class RegistryHostError extends Error {
  constructor(
    readonly host: string,
    readonly reason: string,
  ) {
    super(`Registry host ${quote(host.slice(0, 300))} is not valid: ${reason}`);
    this.name = 'RegistryHostError';
  }
}

/**
 * `host[:port]` as Rise keys registry logins: the reference grammar's registry host, lowercase (host
 * names are case-insensitive), Docker Hub under `docker.io` whichever of its names is given.
 */
export function normalizeRegistryHost(value: string): string {
  const host = value.trim().toLowerCase();
  if (host === '') throw new RegistryHostError(value, 'it is empty');
  if (/[/@\s]/.test(host))
    throw new RegistryHostError(
      value,
      'give host[:port] only, without scheme, path or spaces, e.g. ghcr.io or registry.example.com:5000',
    );
  try {
    validateHost(host, host);
  } catch (error) {
    if (error instanceof ImageReferenceError)
      throw new RegistryHostError(value, `${error.part} ${error.reason}`);
    throw error;
  }
  if (!looksLikeRegistry(host))
    throw new RegistryHostError(
      value,
      `a single word is read as a Docker Hub namespace in image references; add the domain or the port (e.g. ${host}.example.com or ${host}:5000), or use localhost`,
    );
  return DOCKER_HUB_HOSTS.has(host) ? 'docker.io' : host;
}

/** The registry host of `reference` as registry logins are keyed (see normalizeRegistryHost). */
export function loginHostOf(reference: ImageReference): string {
  const host = registryHostOf(reference).toLowerCase();
  return DOCKER_HUB_HOSTS.has(host) ? 'docker.io' : host;
}
