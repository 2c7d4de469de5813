/** A parsed image reference: `[registry/]repository[:tag][@digest]`. */
export type ImageReference = {
  /** Registry host, or null for a short name (Docker Hub, or a local-only image). */
  registry: string | null;
  repository: string;
  tag: string | null;
  digest: string | null;
};

export function parseImageReference(reference: string): ImageReference {
  const [withoutDigest, digest = null] = reference.split('@') as [string, string?];
  const slash = withoutDigest.indexOf('/');
  const first = slash === -1 ? '' : withoutDigest.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  const rest = hasRegistry ? withoutDigest.slice(slash + 1) : withoutDigest;
  const colon = rest.lastIndexOf(':');
  const [repository, tag] = colon === -1 ? [rest, null] : [rest.slice(0, colon), rest.slice(colon + 1)];
  return { registry: hasRegistry ? first : null, repository, tag, digest };
}

/** `registry/repository@digest`: the pinned form a runtime pulls. */
export function pinnedReference(reference: ImageReference, digest: string): string {
  return `${reference.registry ? `${reference.registry}/` : ''}${reference.repository}@${digest}`;
}
