import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { freePort } from '../src/server/platform/free-port';
import { waitFor } from './wait';

// A real git server on this machine for tests and benches: the git CLI as a fixed author, and
// `git daemon` serving every repository under a directory read-only on 127.0.0.1.

/** Runs git in `cwd` as a fixed author; returns its trimmed output. */
export const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Ada',
      GIT_AUTHOR_EMAIL: 'ada@example.test',
      GIT_COMMITTER_NAME: 'Ada',
      GIT_COMMITTER_EMAIL: 'ada@example.test',
    },
  }).trim();

export type GitDaemon = { port: number; url: (repository: string) => string; stop: () => Promise<void> };

/**
 * `git daemon` serving every repository under `root` on 127.0.0.1 (`port`, else a free one), once
 * `probeRepository` answers.
 */
export async function startGitDaemon(
  root: string,
  probeRepository: string,
  options: { port?: number } = {},
): Promise<GitDaemon> {
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
  const stop = async () => {
    if (daemon.exitCode !== null || daemon.signalCode !== null) return;
    const exited = new Promise((resolve) => daemon.once('exit', resolve));
    daemon.kill();
    await exited;
  };
  const url = (repository: string) => `git://127.0.0.1:${port}/${repository}.git`;
  try {
    await waitFor(
      async () => {
        try {
          return git(root, 'ls-remote', url(probeRepository)).length > 0;
        } catch {
          return false;
        }
      },
      { description: 'the git daemon to serve', timeoutMs: 20_000, intervalMs: 100 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, url, stop };
}
