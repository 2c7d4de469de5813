import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '../src/server/platform/free-port';
import { waitFor } from './wait';

const AUTHOR = {
  GIT_AUTHOR_NAME: 'Ada',
  GIT_AUTHOR_EMAIL: 'ada@example.test',
  GIT_COMMITTER_NAME: 'Ada',
  GIT_COMMITTER_EMAIL: 'ada@example.test',
};

/** `git` with argv in `cwd`, commits by Ada; returns trimmed stdout. */
export const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...AUTHOR },
  }).trim();

export type GitDaemon = {
  port: number;
  /** The directory served: a bare repository `<root>/<name>.git` is `git://127.0.0.1:<port>/<name>.git`. */
  root: string;
  urlOf: (repository: string) => string;
  stop: () => Promise<void>;
};

/**
 * A real `git daemon` on 127.0.0.1 (a free port, or `port`) serving every repository under `root`
 * (a new temp directory unless given), including ones created after it started.
 */
export async function startGitDaemon(options: { root?: string; port?: number } = {}): Promise<GitDaemon> {
  const root = options.root ?? mkdtempSync(join(tmpdir(), 'rise-git-daemon-'));
  mkdirSync(root, { recursive: true });
  const port = options.port ?? (await freePort());
  const daemon: ChildProcess = spawn(
    'git',
    [
      'daemon',
      '--export-all',
      `--base-path=${root}`,
      `--port=${port}`,
      '--listen=127.0.0.1',
      '--reuseaddr',
      root,
    ],
    { stdio: 'ignore' },
  );
  const probe = join(root, '.probe.git');
  git(root, 'init', '--quiet', '--bare', probe);
  await waitFor(
    () => {
      if (daemon.exitCode !== null) throw new Error(`git daemon exited with ${daemon.exitCode}`);
      try {
        git(root, 'ls-remote', `git://127.0.0.1:${port}/.probe.git`);
        return true;
      } catch {
        return false;
      }
    },
    { description: 'the git daemon to serve', timeoutMs: 20_000, intervalMs: 200 },
  );
  return {
    port,
    root,
    urlOf: (repository) => `git://127.0.0.1:${port}/${repository}.git`,
    stop: async () => {
      if (daemon.exitCode === null) {
        const exited = new Promise((resolve) => daemon.once('exit', resolve));
        daemon.kill();
        await exited;
      }
      if (!options.root) rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Creates the bare repository `<daemon root>/<name>.git` with one commit per branch (its files and
 * message) and the given tags (name → branch whose head it tags, annotated). Returns each branch's sha.
 */
export function createRepository(
  root: string,
  name: string,
  branches: Record<string, { files: Record<string, string>; message: string }>,
  tags: Record<string, string> = {},
): Record<string, string> {
  const work = mkdtempSync(join(tmpdir(), 'rise-git-work-'));
  const heads: Record<string, string> = {};
  try {
    git(work, 'init', '--quiet', '-b', Object.keys(branches)[0] ?? 'main');
    for (const [branch, { files, message }] of Object.entries(branches)) {
      git(work, 'checkout', '--quiet', '--orphan', branch);
      git(work, 'rm', '-rf', '--quiet', '--ignore-unmatch', '.');
      for (const [file, content] of Object.entries(files)) {
        mkdirSync(dirname(join(work, file)), { recursive: true });
        writeFileSync(join(work, file), content);
      }
      git(work, 'add', '-A');
      git(work, 'commit', '--quiet', '-m', message);
      heads[branch] = git(work, 'rev-parse', 'HEAD');
    }
    for (const [tag, branch] of Object.entries(tags)) git(work, 'tag', '-a', tag, '-m', tag, branch);
    git(root, 'clone', '--quiet', '--bare', work, `${name}.git`);
    return heads;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
