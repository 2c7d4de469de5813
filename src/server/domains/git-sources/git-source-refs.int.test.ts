import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '@/env';
import { getDb } from '@/server/db';
import { listRemoteRefs } from '@/server/git/git-ls-remote';
import { freePort } from '@/server/platform/free-port';
import { encryptSecret } from '@/server/security/secret-box';
import {
  apiAs,
  createTeamWithRoles,
  createUser,
  rejectionOf,
  uniqueName,
  userCaller,
} from '../../../../test/fixtures';
import { createRepository, type GitDaemon, git, startGitDaemon } from '../../../../test/git-repository';

// gitSource.refs against a real git daemon on this machine: the repository's branches and tags with
// their commits; a host that does not resolve, a port nobody listens on, an address the outbound guard
// refuses and a server that never answers each end in an error that says so.

const gitRoot = mkdtempSync(join(tmpdir(), 'rise-git-refs-'));
let daemon: GitDaemon;
let heads: Record<string, string>;
let closedPort: number;
let silent: Server;
let silentPort: number;
const sockets: Socket[] = [];
let allowBefore: string[];

beforeAll(async () => {
  heads = createRepository(gitRoot, 'shop', [
    { name: 'main', files: { 'README.md': 'main\n' }, message: 'Main' },
    { name: 'feature/login', files: { 'login.txt': 'login\n' }, message: 'Login' },
  ]);
  git(join(gitRoot, 'shop.git'), 'tag', '-a', 'v1.0.0', '-m', 'v1.0.0', 'main');
  daemon = await startGitDaemon(gitRoot, 'shop');
  closedPort = await freePort();
  // Accepts connections and never says a word: ls-remote waits for the daemon's advertisement.
  silent = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as { port: number }).port;
  allowBefore = env.RISE_OUTBOUND_ALLOW;
  env.RISE_OUTBOUND_ALLOW = [
    `127.0.0.1:${daemon.port}`,
    `127.0.0.1:${closedPort}`,
    `127.0.0.1:${silentPort}`,
  ];
});

afterAll(async () => {
  env.RISE_OUTBOUND_ALLOW = allowBefore;
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent?.close(resolve));
  await daemon?.stop();
  rmSync(gitRoot, { recursive: true, force: true });
});

async function projectWithSource(repositoryUrl: string) {
  const { team, members } = await createTeamWithRoles();
  const project = await getDb().project.create({ data: { name: uniqueName('refs'), ownerTeamId: team.id } });
  await getDb().gitSource.create({
    data: {
      projectId: project.id,
      repositoryUrl,
      branch: 'main',
      hookId: uniqueName('hook'),
      webhookSecret: encryptSecret('unused'),
    },
  });
  return { project: project.name, members };
}

describe('gitSource.refs', () => {
  it("lists the repository's branches and tags with their commits, to a viewer too", async () => {
    const { project, members } = await projectWithSource(daemon.url('shop'));
    const refs = await apiAs(userCaller(members.viewer)).gitSource.refs({ project });
    expect(refs).toEqual([
      { name: 'feature/login', sha: heads['feature/login'], kind: 'branch' },
      { name: 'main', sha: heads.main, kind: 'branch' },
      { name: 'v1.0.0', sha: heads.main, kind: 'tag' },
    ]);
  });

  it('a project without a git source: NOT_FOUND with how to connect one', async () => {
    const api = apiAs(userCaller(await createUser()));
    const project = uniqueName('refs');
    await api.project.create({ name: project });
    const error = await rejectionOf(api.gitSource.refs({ project }), TRPCError);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe(
      `Project '${project}' has no git source. Set one with \`rise project update ${project} --git URL --branch BRANCH\`.`,
    );
  });

  it('a host that does not resolve: says so', async () => {
    const { project, members } = await projectWithSource('git://no-such-host.invalid/shop.git');
    const error = await rejectionOf(apiAs(userCaller(members.owner)).gitSource.refs({ project }), TRPCError);
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toBe(
      "Cannot list the branches of git://no-such-host.invalid/shop.git: Cannot resolve the git host 'no-such-host.invalid': check the repository URL.",
    );
  });

  it('nobody listening: the error carries what git said', async () => {
    const url = `git://127.0.0.1:${closedPort}/shop.git`;
    const { project, members } = await projectWithSource(url);
    const error = await rejectionOf(apiAs(userCaller(members.owner)).gitSource.refs({ project }), TRPCError);
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toMatch(
      new RegExp(
        `^Cannot list the branches of ${url}: git ls-remote failed \\(exit 128\\):\\n[\\s\\S]*Connection refused`,
      ),
    );
  });

  it('a repository the daemon does not have: the error carries what git said', async () => {
    const url = daemon.url('missing');
    const { project, members } = await projectWithSource(url);
    const error = await rejectionOf(apiAs(userCaller(members.owner)).gitSource.refs({ project }), TRPCError);
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toMatch(/^Cannot list the branches of .*: git ls-remote failed \(exit 128\):\n/);
    expect(error.message).toContain('access denied or repository not exported');
  });

  it('an address the outbound guard refuses: not contacted, and the error says how to allow it', async () => {
    const port = await freePort();
    const { project, members } = await projectWithSource(`git://127.0.0.1:${port}/shop.git`);
    const error = await rejectionOf(apiAs(userCaller(members.owner)).gitSource.refs({ project }), TRPCError);
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toContain(
      `Rise refused to connect to 127.0.0.1:${port}: it is a loopback address, which Rise does not reach on a user's behalf. An administrator can allow it with RISE_OUTBOUND_ALLOW=127.0.0.1:${port}`,
    );
  });

  it('a server that never answers: given up on after the timeout', async () => {
    const started = Date.now();
    await expect(
      listRemoteRefs({
        url: `git://127.0.0.1:${silentPort}/shop.git`,
        auth: { kind: 'none' },
        timeoutMs: 1000,
      }),
    ).rejects.toThrow(`127.0.0.1:${silentPort} did not answer within 1 s.`);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
