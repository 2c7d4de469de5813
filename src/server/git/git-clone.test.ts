import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneRepository, GitError, runGit } from './git-clone';

// The git runner with the real git of this machine. Clones that succeed need a server (the git daemon
// of test/git-build.int.test.ts): here, what is refused before or by git.

const root = mkdtempSync(join(tmpdir(), 'rise-git-clone-'));
const work = join(root, 'work');
let first: string;

const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: work,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Ada',
      GIT_AUTHOR_EMAIL: 'ada@example.test',
      GIT_COMMITTER_NAME: 'Ada',
      GIT_COMMITTER_EMAIL: 'ada@example.test',
    },
  }).trim();

beforeAll(() => {
  execFileSync('git', ['init', '--quiet', '-b', 'main', work]);
  writeFileSync(join(work, 'a.txt'), 'one\n');
  git('add', '-A');
  git('commit', '--quiet', '-m', 'One');
  first = git('rev-parse', 'HEAD');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('cloneRepository', () => {
  it('refuses a local path (only https, http, ssh and git transports are allowed)', async () => {
    const lines: string[] = [];
    const attempt = cloneRepository({
      url: `file://${work}`,
      ref: 'main',
      submodules: false,
      auth: { kind: 'none' },
      dir: join(root, 'clone-1'),
      onLog: (line) => lines.push(line),
    });
    await expect(attempt).rejects.toBeInstanceOf(GitError);
    await expect(attempt).rejects.toThrow(
      /git clone failed \(exit 128\):\n[\s\S]*fatal: transport 'file' not allowed$/,
    );
    expect(lines.some((line) => line.includes("transport 'file' not allowed"))).toBe(true);
  });

  it('refuses a sha that is not one before running git', async () => {
    await expect(
      cloneRepository({
        url: 'git://127.0.0.1:1/app.git',
        ref: 'main',
        sha: '--upload-pack=touch',
        submodules: false,
        auth: { kind: 'none' },
        dir: join(root, 'clone-2'),
        onLog: () => {},
      }),
    ).rejects.toThrow("'--upload-pack=touch' is not a commit sha.");
  });
});

describe('runGit', () => {
  it('passes argv as is and every output line to onLog; resolves with stdout', async () => {
    const lines: string[] = [];
    const out = await runGit(['log', '-1', '--format=%H %s'], {
      cwd: work,
      env: { PATH: process.env.PATH },
      onLog: (line) => lines.push(line),
      step: 'log',
    });
    expect(out.trim()).toBe(`${first} One`);
    expect(lines).toEqual([]);
  });

  it('stops git when the signal aborts, as cancelled', async () => {
    const abort = new AbortController();
    const running = runGit(['-c', 'alias.wait=!sleep 30', 'wait'], {
      cwd: work,
      env: { PATH: process.env.PATH },
      onLog: () => {},
      signal: abort.signal,
      step: 'clone',
    });
    setTimeout(() => abort.abort(), 200);
    const started = Date.now();
    await expect(running).rejects.toThrow('Cancelled.');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
