import { fetch as undiciFetch } from 'undici';
import { z } from 'zod';

/** What image retention does in Rise's own registry: list a repository's tags, delete a manifest. */
export type RegistryManifests = {
  /** The repository's tags; [] when the repository does not exist (any more). */
  tags: (repository: string) => Promise<string[]>;
  /** Deletes the manifest (and, in distribution 2.8, the tags pointing at it); false when it was gone. */
  deleteManifest: (repository: string, digest: string) => Promise<boolean>;
};

const TIMEOUT_MS = 15_000;
const tagList = z.object({ tags: z.array(z.string()).nullable().optional() });

/**
 * A client of Rise's registry API at `baseUrl` (RISE_REGISTRY_INTERNAL_URL), presenting a bearer token
 * Rise signs itself for one repository and the actions asked (`tokenFor`). Deletes need the registry's
 * `storage.delete.enabled: true`, which the configurations Rise writes and ships set.
 */
export function registryManifests(options: {
  baseUrl: string;
  tokenFor: (repository: string, actions: ('pull' | 'delete')[]) => Promise<string>;
}): RegistryManifests {
  const base = options.baseUrl.replace(/\/+$/, '');
  const send = async (method: string, path: string, token: string, accept?: string) => {
    const url = `${base}/v2/${path}`;
    try {
      return (await undiciFetch(url, {
        method,
        redirect: 'manual',
        headers: { authorization: `Bearer ${token}`, ...(accept ? { accept } : {}) },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      })) as unknown as Response;
    } catch (error) {
      throw new Error(`registry ${base}: ${method} /v2/${path} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  };
  const failure = async (response: Response, what: string) => {
    const body = (await response.text().catch(() => '')).slice(0, 300);
    return new Error(`registry ${base}: ${what} answered ${response.status}${body ? `: ${body}` : ''}`);
  };
  return {
    tags: async (repository) => {
      const response = await send(
        'GET',
        `${repository}/tags/list`,
        await options.tokenFor(repository, ['pull']),
      );
      if (response.status === 404) {
        await response.body?.cancel().catch(() => undefined);
        return [];
      }
      if (!response.ok) throw await failure(response, `listing the tags of ${repository}`);
      return (tagList.parse(await response.json()).tags ?? []).sort();
    },
    deleteManifest: async (repository, digest) => {
      if (!/^sha256:[a-f0-9]{64}$/.test(digest)) throw new Error(`not a manifest digest: ${digest}`);
      const response = await send(
        'DELETE',
        `${repository}/manifests/${digest}`,
        await options.tokenFor(repository, ['pull', 'delete']),
      );
      await response.body?.cancel().catch(() => undefined);
      if (response.status === 202) return true;
      if (response.status === 404) return false;
      if (response.status === 405)
        throw new Error(
          `registry ${base} refused to delete ${repository}@${digest} (405): its configuration needs storage.delete.enabled: true`,
        );
      throw await failure(response, `deleting ${repository}@${digest}`);
    },
  };
}
