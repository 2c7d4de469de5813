import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDb } from '@/server/db';
import { encryptSecret } from '@/server/security/secret-box';
import { TEST_BUSYBOX_BASE_IMAGE } from './busybox-base-image';
import { git } from './git-daemon';
import { TEST_APP_PORT } from './images';

export { type GitDaemon, git, startGitDaemon } from './git-daemon';

// Repositories for server-build tests, made with the git CLI (served by test/git-daemon.ts), and the
// git source that points a project at one.

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
