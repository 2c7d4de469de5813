import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { env as riseEnv } from '@/env';
import { gitRemoteEndpoint } from './git-remote';

/** How the clone authenticates: a deploy key (ssh), an access token (https), or nothing. */
export type GitAuth =
  | { kind: 'none' }
  | { kind: 'deploy-key'; privateKey: string }
  | { kind: 'token'; token: string };

/** The access token authenticates https remotes, the deploy key ssh ones (both already opened). */
export function gitAuthFor(
  source: { deployKeyPrivate: string | null; accessToken: string | null },
  url: string,
): GitAuth {
  const https = /^https?:\/\//i.test(url);
  if (https && source.accessToken) return { kind: 'token', token: source.accessToken };
  if (!https && !/^git:\/\//i.test(url) && source.deployKeyPrivate)
    return { kind: 'deploy-key', privateKey: source.deployKeyPrivate };
  return { kind: 'none' };
}

export type CloneRequest = {
  url: string;
  /** A branch, a tag or a ref such as `refs/pull/7/head`. */
  ref: string;
  /** The exact commit, when known: fetched by sha instead of the ref's tip. */
  sha?: string | null;
  submodules: boolean;
  auth: GitAuth;
  /** An empty directory the repository is cloned into. */
  dir: string;
  onLog: (line: string) => void;
  signal?: AbortSignal;
};

export type ClonedCommit = { sha: string; message: string; author: string };

/** A git command that failed: the step it was and the last lines it printed. */
export class GitError extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * Clones `ref` (or the commit `sha`) of `url` into `dir`, shallow, with `git` run by argument array.
 * Credentials never reach the URL, the arguments or the log: a deploy key is a 0600 file in a
 * per-clone directory named by GIT_SSH_COMMAND; a token is an `http.extraHeader` passed through
 * GIT_CONFIG_* variables. Returns the commit checked out.
 */
export function cloneRepository(request: CloneRequest): Promise<ClonedCommit> {
  return withGitAuth(request.auth, request.url, async (env) => {
    const run = (step: string, args: string[], cwd?: string) =>
      runGit(args, { cwd, env, onLog: request.onLog, signal: request.signal, step });
    const submoduleArgs = request.submodules ? ['--recurse-submodules', '--shallow-submodules'] : [];
    if (request.sha) {
      if (!SHA.test(request.sha)) throw new GitError('clone', `'${request.sha}' is not a commit sha.`);
      await run('init', ['init', '--quiet', request.dir]);
      await run('remote', ['remote', 'add', 'origin', '--', request.url], request.dir);
      await run('fetch', ['fetch', '--depth', '1', 'origin', request.sha], request.dir);
      await run('checkout', ['checkout', '--quiet', '--detach', 'FETCH_HEAD'], request.dir);
      if (request.submodules)
        await run(
          'submodules',
          ['submodule', 'update', '--init', '--recursive', '--depth', '1'],
          request.dir,
        );
    } else {
      const branch = request.ref.replace(/^refs\/heads\//, '');
      if (branch.startsWith('refs/')) {
        // A ref that is not a branch or tag (a pull request's head): fetched like a sha.
        await run('init', ['init', '--quiet', request.dir]);
        await run('remote', ['remote', 'add', 'origin', '--', request.url], request.dir);
        await run('fetch', ['fetch', '--depth', '1', 'origin', branch], request.dir);
        await run('checkout', ['checkout', '--quiet', '--detach', 'FETCH_HEAD'], request.dir);
        if (request.submodules)
          await run(
            'submodules',
            ['submodule', 'update', '--init', '--recursive', '--depth', '1'],
            request.dir,
          );
      } else {
        await run('clone', [
          'clone',
          '--depth',
          '1',
          '--branch',
          branch,
          ...submoduleArgs,
          '--',
          request.url,
          request.dir,
        ]);
      }
    }
    const log = await runGit(['log', '-1', '--format=%H%x00%an <%ae>%x00%B'], {
      cwd: request.dir,
      env,
      onLog: () => {},
      signal: request.signal,
      step: 'log',
    });
    const [sha = '', author = '', ...message] = log.split('\0');
    return { sha: sha.trim(), author: author.trim(), message: message.join('\0').trim() };
  });
}

/**
 * Runs `work` with the environment for git commands that reach the remote `url` with `auth` (see
 * cloneRepository); the per-call directory holding a deploy key is removed afterwards, and a changed
 * ssh host key is explained.
 */
export async function withGitAuth<T>(
  auth: GitAuth,
  url: string,
  work: (env: Record<string, string | undefined>) => Promise<T>,
): Promise<T> {
  const secrets = await mkdtemp(path.join(tmpdir(), 'rise-git-auth-'));
  try {
    return await work(await gitEnv(auth, secrets));
  } catch (error) {
    throw withHostKeyHint(error, url);
  } finally {
    await rm(secrets, { recursive: true, force: true });
  }
}

async function gitEnv(auth: GitAuth, secrets: string): Promise<Record<string, string | undefined>> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: secrets,
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    // Only the transports a git source may name (no ext::, file:// or fd::).
    GIT_ALLOW_PROTOCOL: 'https:http:ssh:git',
    LANG: 'C',
  };
  if (auth.kind === 'deploy-key') {
    const key = path.join(secrets, 'deploy_key');
    await writeFile(key, auth.privateKey.endsWith('\n') ? auth.privateKey : `${auth.privateKey}\n`, {
      mode: 0o600,
    });
    const knownHosts = knownHostsFile();
    await mkdir(path.dirname(knownHosts), { recursive: true, mode: 0o700 });
    env.GIT_SSH_COMMAND = [
      'ssh',
      '-i',
      quote(key),
      '-o',
      'IdentitiesOnly=yes',
      // Never prompt (no terminal on the worker): a question is a failure with ssh's reason.
      '-o',
      'BatchMode=yes',
      // Trust on first use, remembered: a host's first key is pinned in Rise's known_hosts and a later
      // different key fails the clone. Keys an admin puts in /etc/ssh/ssh_known_hosts are checked too.
      '-o',
      'StrictHostKeyChecking=accept-new',
      '-o',
      `UserKnownHostsFile=${quote(knownHosts)}`,
    ].join(' ');
  }
  if (auth.kind === 'token') {
    // Basic with the token as password works for GitHub, GitLab, Gitea and Bitbucket alike.
    const basic = Buffer.from(`x-access-token:${auth.token}`).toString('base64');
    env.GIT_CONFIG_COUNT = '1';
    env.GIT_CONFIG_KEY_0 = 'http.extraHeader';
    env.GIT_CONFIG_VALUE_0 = `Authorization: Basic ${basic}`;
  }
  return env;
}

/** The ssh host keys Rise has seen, shared by every clone of this installation. */
const knownHostsFile = () => path.resolve(riseEnv.RISE_DATA_DIR, 'git', 'known_hosts');

/** A host whose key changed since Rise pinned it: say how to trust the new key once it is checked. */
function withHostKeyHint(error: unknown, url: string): unknown {
  if (!(error instanceof GitError) || !/Host key verification failed/.test(error.message)) return error;
  const { host, port } = gitRemoteEndpoint(url);
  const entry = port === 22 ? host : `[${host}]:${port}`;
  return new GitError(
    error.step,
    `${error.message}\nThe server's ssh host key is not the one Rise pinned on its first clone (or the one in ` +
      `/etc/ssh/ssh_known_hosts). If the forge really changed its key, forget the old one on the worker: ` +
      `ssh-keygen -R '${entry}' -f ${knownHostsFile()}`,
  );
}

/** GIT_SSH_COMMAND is read by a shell: the temp paths are quoted (they hold no quote themselves). */
const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

const TAIL_LINES = 20;

/** Runs git; each output line goes to `onLog`; resolves with stdout, rejects with a GitError and the tail. */
export function runGit(
  args: string[],
  options: {
    cwd?: string;
    env: Record<string, string | undefined>;
    onLog: (line: string) => void;
    signal?: AbortSignal;
    step: string;
  },
): Promise<string> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new GitError(options.step, 'Cancelled.'));
    const child = spawn('git', args, {
      cwd: options.cwd,
      env: options.env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: options.signal,
    });
    let stdout = '';
    const tail: string[] = [];
    const lines = (chunk: Buffer | string) => {
      for (const line of chunk.toString().split(/\r?\n|\r/)) {
        if (!line.trim()) continue;
        options.onLog(line);
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
      }
    };
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (args[0] !== 'log') lines(chunk);
    });
    child.stderr.on('data', lines);
    child.on('error', (error) => {
      if (options.signal?.aborted) reject(new GitError(options.step, 'Cancelled.'));
      else
        reject(new GitError(options.step, `Cannot run git (${error.message}): install git on the worker.`));
    });
    child.on('close', (code) => {
      if (code === 0) return resolve(stdout);
      if (options.signal?.aborted) return reject(new GitError(options.step, 'Cancelled.'));
      reject(new GitError(options.step, `git ${options.step} failed (exit ${code}):\n${tail.join('\n')}`));
    });
  });
}
