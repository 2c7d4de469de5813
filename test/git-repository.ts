import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDb } from '@/server/db';
import { freePort } from '@/server/platform/free-port';
import { encryptSecret } from '@/server/security/secret-box';
import { TEST_BUSYBOX_BASE_IMAGE } from './busybox-base-image';
import { TEST_APP_PORT } from './images';
import { waitFor } from './wait';

// A real git server for server-build tests: repositories made with the git CLI and served by
// `git daemon` on a free loopback port, and the git source that points a project at one.

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

/** A Dockerfile serving `www/` with busybox httpd on TEST_APP_PORT; `extra` lines go before the COPY. */
export const appDockerfile = (extra: string[] = []) =>
  [
    `FROM ${TEST_BUSYBOX_BASE_IMAGE}`,
    'LABEL rise.test=1',
    ...extra,
    'COPY www /www',
    `EXPOSE ${TEST_APP_PORT}`,
    `CMD ["/bin/busybox", "httpd", "-f", "-p", "${TEST_APP_PORT}", "-h", "/www"]`,
    '',
  ].join('\n');

export type Branch = {
  name: string;
  /** Files under `app/` (the git source's root directory), by path. */
  files: Record<string, string>;
  message: string;
  /** Files at the repository's top level, outside `app/`. */
  topLevel?: Record<string, string>;
};

/**
 * Creates the bare repository `<root>/<name>.git` with each branch as an unrelated (orphan) commit;
 * returns each branch's commit sha.
 */
export function createRepository(root: string, name: string, branches: Branch[]): Record<string, string> {
  const work = join(root, `${name}-work`);
  mkdirSync(work);
  git(work, 'init', '--quiet', '-b', branches[0]?.name ?? 'main');
  const heads: Record<string, string> = {};
  for (const branch of branches) {
    git(work, 'checkout', '--quiet', '--orphan', branch.name);
    git(work, 'rm', '-rf', '--quiet', '--ignore-unmatch', '.');
    const write = (base: string, files: Record<string, string>) => {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(join(work, base, path, '..'), { recursive: true });
        writeFileSync(join(work, base, path), content);
      }
    };
    write('app', branch.files);
    write('.', branch.topLevel ?? {});
    git(work, 'add', '-A');
    git(work, 'commit', '--quiet', '-m', branch.message);
    heads[branch.name] = git(work, 'rev-parse', 'HEAD');
  }
  git(root, 'clone', '--quiet', '--bare', work, `${name}.git`);
  return heads;
}

export type GitDaemon = { port: number; url: (repository: string) => string; stop: () => void };

/** `git daemon` serving every repository under `root` read-only on 127.0.0.1, once it answers. */
export async function startGitDaemon(root: string, probeRepository: string): Promise<GitDaemon> {
  const port = await freePort();
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
  const url = (repository: string) => `git://127.0.0.1:${port}/${repository}.git`;
  await waitFor(
    async () => {
      try {
        return git(root, 'ls-remote', url(probeRepository)).length > 0;
      } catch {
        return false;
      }
    },
    { description: 'the git daemon to serve', timeoutMs: 20_000, intervalMs: 200 },
  );
  return { port, url, stop: () => daemon.kill() };
}

/** Points `projectId` at `repositoryUrl` (branch main, root directory `app`) as its git source. */
export async function connectGitSource(
  projectId: string,
  repositoryUrl: string,
  options: { hookId: string; dockerfile?: string },
) {
  await getDb().gitSource.create({
    data: {
      projectId,
      repositoryUrl,
      branch: 'main',
      rootDirectory: 'app',
      hookId: options.hookId,
      webhookSecret: encryptSecret('unused'),
      ...(options.dockerfile ? { dockerfile: options.dockerfile } : {}),
    },
  });
}

/** The deployment's stored build output, oldest first. */
export const buildLines = async (deploymentId: string) =>
  (
    await getDb().deploymentEvent.findMany({
      where: { deploymentId, level: 'build' },
      orderBy: { id: 'asc' },
    })
  ).map((event) => event.message);
