/**
 * A git repository the benches' server builds clone: a work tree whose `main` is pushed to a bare
 * repository that `git daemon` serves on 127.0.0.1 (the stack's `gitPort`, which RISE_OUTBOUND_ALLOW
 * lets Rise reach). Everything lives in one temp dir, removed on stop.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type GitDaemon, git, startGitDaemon } from '../../test/git-daemon';

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
  git(root, 'init', '--quiet', '--bare', '-b', 'main', bare);
  git(root, 'init', '--quiet', '-b', 'main', work);
  git(work, 'remote', 'add', 'origin', bare);
  const url = `git://127.0.0.1:${port}/app.git`;
  let daemon: GitDaemon | undefined;
  const stop = async () => {
    await daemon?.stop();
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
    daemon = await startGitDaemon(root, 'app', { port });
    return server;
  } catch (error) {
    await stop();
    throw error;
  }
}
