import { outboundErrorMessage, outboundGuard } from '@/server/security/outbound-guard';
import { type GitAuth, GitError, runGit, withGitAuth } from './git-clone';
import { gitRemoteEndpoint } from './git-remote';

/** A branch or tag of a remote repository and the commit it points at (an annotated tag's commit). */
export type RemoteRef = { name: string; sha: string; kind: 'branch' | 'tag' };

const LINE = /^([0-9a-f]{40}(?:[0-9a-f]{24})?)\t(refs\/(heads|tags)\/(.+))$/;
const PEELED = '^{}';

/**
 * `git ls-remote --heads --tags` output → branches then tags, each sorted by name. An annotated tag
 * is listed twice (the tag object, then `^{}` with its commit): the commit wins.
 */
export function parseLsRemote(output: string): RemoteRef[] {
  const refs = new Map<string, RemoteRef>();
  for (const line of output.split('\n')) {
    const match = LINE.exec(line.trim());
    if (!match) continue;
    const [, sha, , namespace, rawName] = match as unknown as [string, string, string, string, string];
    const kind = namespace === 'heads' ? 'branch' : 'tag';
    const peeled = kind === 'tag' && rawName.endsWith(PEELED);
    const name = peeled ? rawName.slice(0, -PEELED.length) : rawName;
    const key = `${kind}:${name}`;
    if (peeled || !refs.has(key)) refs.set(key, { name, sha, kind });
  }
  const order = { branch: 0, tag: 1 };
  return [...refs.values()].sort(
    (a, b) => order[a.kind] - order[b.kind] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

export const LS_REMOTE_TIMEOUT_MS = 15_000;

/**
 * The branches and tags of `url`, asked with `git ls-remote` (argv only) and the same credentials a
 * clone uses. The remote's host must pass the outbound guard first; a remote that does not answer
 * within `timeoutMs` is given up on. Throws a GitError whose message says what went wrong.
 */
export async function listRemoteRefs(request: {
  url: string;
  auth: GitAuth;
  timeoutMs?: number;
  signal?: AbortSignal;
}): Promise<RemoteRef[]> {
  let endpoint: ReturnType<typeof gitRemoteEndpoint>;
  try {
    endpoint = gitRemoteEndpoint(request.url);
  } catch (error) {
    throw new GitError('ls-remote', (error as Error).message);
  }
  try {
    await outboundGuard().assertHostAllowed(endpoint.host, endpoint.port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new GitError(
      'ls-remote',
      code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? `Cannot resolve the git host '${endpoint.host}': check the repository URL.`
        : outboundErrorMessage(error),
    );
  }
  const timeoutMs = request.timeoutMs ?? LS_REMOTE_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  try {
    const output = await withGitAuth(request.auth, request.url, (env) =>
      runGit(['ls-remote', '--heads', '--tags', '--', request.url], {
        env,
        onLog: () => {},
        signal,
        step: 'ls-remote',
      }),
    );
    return parseLsRemote(output);
  } catch (error) {
    if (timeout.aborted && !request.signal?.aborted)
      throw new GitError(
        'ls-remote',
        `${endpoint.host}:${endpoint.port} did not answer within ${Math.round(timeoutMs / 1000)} s.`,
      );
    throw error;
  }
}
