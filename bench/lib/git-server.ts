/**
 * A git repository the benches' server builds clone: a work tree whose `main` is pushed to a bare
 * repository that `git daemon` serves on 127.0.0.1 (the stack's `gitPort`, which RISE_OUTBOUND_ALLOW
 * lets Rise reach). Everything lives in one temp dir, removed on stop.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from '../../test/wait';

export type GitServer = {
  /** `git://127.0.0.1:<port>/app.git` */
  url: string;
  /** Writes `files` in the work tree and commits them on main (not pushed); returns the sha. */
  commit: (files: Record<string, string>, message: string) => string;
  /** `git push origin main` to the served repository. */
  push: () => void;
  stop: () => Promise<void>;
};

export async function startGitServer(port: number): Promise<GitServer> {
  const root = mkdtempSync(path.join(tmpdir(), 'rise-bench-git-'));
  const work = path.join(root, 'work');
  const bare = path.join(root, 'app.git');
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Bench',
        GIT_AUTHOR_EMAIL: 'bench@example.com',
        GIT_COMMITTER_NAME: 'Bench',
        GIT_COMMITTER_EMAIL: 'bench@example.com',
      },
    }).trim();
  git(root, 'init', '--quiet', '--bare', '-b', 'main', bare);
  git(root, 'init', '--quiet', '-b', 'main', work);
  git(work, 'remote', 'add', 'origin', bare);
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
  const url = `git://127.0.0.1:${port}/app.git`;
  const stop = async () => {
    if (daemon.exitCode === null) {
      const exited = new Promise((resolve) => daemon.once('exit', resolve));
      daemon.kill();
      await exited;
    }
    rmSync(root, { recursive: true, force: true });
  };
  const server: GitServer = {
    url,
    commit: (files, message) => {
      for (const [name, content] of Object.entries(files)) writeFileSync(path.join(work, name), content);
      git(work, 'add', '-A');
      git(work, 'commit', '--quiet', '--allow-empty', '-m', message);
      return git(work, 'rev-parse', 'HEAD');
    },
    push: () => {
      git(work, 'push', '--quiet', 'origin', 'main');
    },
    stop,
  };
  try {
    server.commit({ 'README.md': 'bench\n' }, 'Start');
    server.push();
    await waitFor(
      async () => {
        try {
          return git(root, 'ls-remote', url, 'main').length > 0;
        } catch {
          return false;
        }
      },
      { description: `git daemon to serve ${url}`, timeoutMs: 20_000, intervalMs: 100 },
    );
    return server;
  } catch (error) {
    await stop();
    throw error;
  }
}
