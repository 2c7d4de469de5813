/**
 * The lines `rise d c` prints, word for word as the CLI journey in PRODUCT.md shows them; a test
 * holds them to the transcript.
 */
export const deployMessages = {
  building: (reference: string, backend: string) =>
    `Building container image '${reference}' using ${backend}...`,
  pushing: (registryHost: string) => `Pushing container image to ${registryHost}...`,
  /** `rise d c --git`: the server build's phases. */
  serverQueued: (project: string) => `Waiting for the server to start building '${project}'...`,
  serverBuilding: (project: string, ref?: string) =>
    `Building '${project}' on the server from its git source${ref ? ` at ${ref}` : ''}...`,
  serverPushing: () => "Pushing container image to Rise's registry...",
  serverCancelling: () => 'Cancelling the build...',
  deploying: (project: string) => `Deploying '${project}' ...`,
  succeeded: (url: string) => `Deployment successful! Your app is now running at ${url}`,
};

/** `sha256:<64 hex>` → its first 12 hex digits, as `docker images` shows image ids. */
export function shortDigest(digest: string | null | undefined): string {
  if (!digest) return '-';
  return digest.replace(/^sha256:/, '').slice(0, 12);
}
