import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/server/platform/free-port';
import { httpApi } from './api-client';
import { buildBusyboxBaseImage, TEST_BUSYBOX_BASE_IMAGE } from './busybox-base-image';
import { git } from './git-daemon';
import { getThroughProxy } from './http-through-proxy';
import { TEST_APP_PORT } from './images';
import { type RiseStack, signUpWithToken, startRiseStack } from './rise-stack';
import { StopWaiting, waitFor } from './wait';

// Server builds over ssh with the deploy key Rise generated: a private sshd on this machine (its own
// host key, root restricted to git-shell by the authorized key) serves a bare repository; the worker
// clones it with the project's key, pins the host key on first use, and refuses a host whose key
// changed. A key the server does not know fails at 'clone' with ssh's reason.

const runId = Math.random().toString(16).slice(2, 10);
const dataDir = mkdtempSync(join(tmpdir(), 'rise-git-ssh-'));
const sshRoot = mkdtempSync(join(tmpdir(), 'rise-git-sshd-'));
const project = `gits-${runId}`;
const docker = new Dockerode();
const authorizedKeys = join(sshRoot, 'authorized_keys');
let stack: RiseStack;
let token: string;
let sshd: ChildProcess | undefined;
let sshdLog = '';
let sshPort: number;
let head: string;
let hostKey: string;

const api = () => httpApi(stack.web.url, { token });
const sshKeygen = (args: string[]) => execFileSync('ssh-keygen', args, { encoding: 'utf8' }).trim();

/** A new ed25519 host key in `sshRoot`; returns its public half (base64 part). */
function newHostKey(name: string): string {
  const file = join(sshRoot, name);
  sshKeygen(['-q', '-t', 'ed25519', '-N', '', '-C', 'rise-test-host', '-f', file]);
  return readFileSync(`${file}.pub`, 'utf8').split(' ')[1]!;
}

/** The project's deploy key may run git (upload-pack) and nothing else. */
function authorize(publicKey: string) {
  writeFileSync(
    authorizedKeys,
    `restrict,command="git-shell -c \\"$SSH_ORIGINAL_COMMAND\\"" ${publicKey}\n`,
    {
      mode: 0o600,
    },
  );
}

async function startSshd(hostKeyName: string) {
  const config = join(sshRoot, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${sshPort}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(sshRoot, hostKeyName)}`,
      `PidFile ${join(sshRoot, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      'AllowUsers root',
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      // The files live under the world-writable /tmp, which StrictModes refuses.
      'StrictModes no',
      'PermitUserEnvironment no',
      'AllowTcpForwarding no',
      'X11Forwarding no',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  // sshd's privilege separation needs this directory (the distribution's service creates it at boot).
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  sshdLog = '';
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.on('data', (chunk) => {
    sshdLog += chunk;
  });
  sshd = child;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new StopWaiting(`sshd exited:\n${sshdLog}`);
      return sshdLog.includes(`Server listening on 127.0.0.1 port ${sshPort}`);
    },
    { description: 'sshd to listen', timeoutMs: 20_000, intervalMs: 100, context: () => sshdLog },
  );
}

async function stopSshd() {
  const child = sshd;
  sshd = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill();
  await exited;
}

async function settled(id: string) {
  return waitFor(
    async () => {
      const view = await api().deployment.get.query({ project, deployment: id });
      return ['healthy', 'failed', 'cancelled'].includes(view.status) ? view : null;
    },
    {
      description: `${id} to settle`,
      timeoutMs: 180_000,
      intervalMs: 250,
      context: () => `${stack.worker.output().slice(-3000)}\nsshd:\n${sshdLog.slice(-2000)}`,
    },
  );
}

beforeAll(async () => {
  await buildBusyboxBaseImage(docker);
  const work = join(sshRoot, 'work');
  mkdirSync(join(work, 'app', 'www'), { recursive: true });
  git(work, 'init', '--quiet', '-b', 'main');
  writeFileSync(
    join(work, 'app', 'Dockerfile'),
    [
      `FROM ${TEST_BUSYBOX_BASE_IMAGE}`,
      'LABEL rise.test=1',
      'COPY www /www',
      `EXPOSE ${TEST_APP_PORT}`,
      `CMD ["/bin/busybox", "httpd", "-f", "-p", "${TEST_APP_PORT}", "-h", "/www"]`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(work, 'app', 'www', 'index.html'), 'hello over ssh\n');
  writeFileSync(join(work, 'app', 'www', 'health'), 'ok\n');
  git(work, 'add', '-A');
  git(work, 'commit', '--quiet', '-m', 'Served over ssh');
  head = git(work, 'rev-parse', 'HEAD');
  git(sshRoot, 'clone', '--quiet', '--bare', work, join(sshRoot, 'app.git'));

  hostKey = newHostKey('host_ed25519');
  sshPort = await freePort();
  writeFileSync(authorizedKeys, '', { mode: 0o600 });
  await startSshd('host_ed25519');

  stack = await startRiseStack({
    runId,
    dataDir,
    env: { RISE_OUTBOUND_ALLOW: `127.0.0.1:${sshPort}` },
  });
  token = await signUpWithToken(stack.web.url, {
    email: `dev-${runId}@example.test`,
    projects: [project],
    tokenName: 'git ssh build test',
  });
  await api().project.update.mutate({ project, port: TEST_APP_PORT, healthPath: '/health' });
  await api().gitSource.set.mutate({
    project,
    repositoryUrl: `ssh://root@127.0.0.1:${sshPort}${join(sshRoot, 'app.git')}`,
    branch: 'main',
    rootDirectory: 'app',
  });
}, 300_000);

afterAll(async () => {
  await stopSshd();
  await stack?.stop({ images: [project] });
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(sshRoot, { recursive: true, force: true });
}, 120_000);

describe('server builds from git over ssh', () => {
  it('clones with the generated deploy key, pins the host key, and the URL serves that commit', async () => {
    const { publicKey } = await api().gitSource.generateDeployKey.mutate({ project });
    expect(publicKey).toMatch(/^ssh-ed25519 [A-Za-z0-9+/=]+ rise-gits-/);
    authorize(publicKey);

    const created = await api().deployment.create.mutate({ project, git: true });
    const done = await settled(created.id);
    expect(done.error ?? null).toBeNull();
    expect(done.status).toBe('healthy');
    expect(done.commit).toMatchObject({ ref: 'main', sha: head, message: 'Served over ssh' });
    const response = await getThroughProxy(stack.caddy.httpPort, `${project}.localhost`);
    expect(response.status).toBe(200);
    expect(response.body).toBe('hello over ssh\n');
    // The first connection pinned the server's host key for the next clones.
    const pinned = sshKeygen(['-F', `[127.0.0.1]:${sshPort}`, '-f', join(dataDir, 'git', 'known_hosts')]);
    expect(pinned).toContain(`ssh-ed25519 ${hostKey}`);
    expect(sshdLog).toContain('Accepted publickey for root from 127.0.0.1');
  }, 300_000);

  it('a server with a different host key than the one pinned fails at clone; forgetting it as told re-pins', async () => {
    await stopSshd();
    const otherKey = newHostKey('host_other');
    await startSshd('host_other');
    const knownHosts = join(dataDir, 'git', 'known_hosts');
    const refused = await settled((await api().deployment.create.mutate({ project, git: true })).id);
    expect(refused.status).toBe('failed');
    expect(refused.error).toContain("Build failed at step 'clone'");
    expect(refused.error).toContain('Host key verification failed');
    const forget = `ssh-keygen -R '[127.0.0.1]:${sshPort}' -f ${knownHosts}`;
    expect(refused.error).toContain(forget);
    expect(sshdLog).not.toContain('Accepted publickey');

    // What the message says to do once the new key is known to be right; the next build pins it.
    sshKeygen(['-R', `[127.0.0.1]:${sshPort}`, '-f', knownHosts]);
    const rebuilt = await settled((await api().deployment.create.mutate({ project, git: true })).id);
    expect(rebuilt.error ?? null).toBeNull();
    expect(rebuilt.status).toBe('healthy');
    expect(sshKeygen(['-F', `[127.0.0.1]:${sshPort}`, '-f', knownHosts])).toContain(
      `ssh-ed25519 ${otherKey}`,
    );
  }, 300_000);

  it('a deploy key the server does not know fails at clone with the reason', async () => {
    // Another generated key replaces the authorized one in the project's source.
    const { publicKey } = await api().gitSource.generateDeployKey.mutate({ project });
    expect(readFileSync(authorizedKeys, 'utf8')).not.toContain(publicKey.split(' ')[1]);
    const created = await api().deployment.create.mutate({ project, git: true });
    const done = await settled(created.id);
    expect(done.status).toBe('failed');
    expect(done.error).toContain("Build failed at step 'clone'");
    expect(done.error).toContain('Permission denied (publickey)');
    expect(done.error).toContain('Could not read from remote repository');
    // The project keeps serving the build from the authorized key.
    const response = await getThroughProxy(stack.caddy.httpPort, `${project}.localhost`);
    expect(response.body).toBe('hello over ssh\n');
  }, 300_000);
});
