import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { encryptSecret } from '@/server/security/secret-box';
import { httpApi } from './api-client';
import { buildBusyboxBaseImage } from './busybox-base-image';
import { runCli } from './cli-runner';
import { appDockerfile, type GitDaemon, git, startGitDaemon } from './git-repository';
import { TEST_APP_PORT } from './images';
import { type RiseStack, signUpWithToken, startRiseStack } from './rise-stack';
import { waitFor } from './wait';

// The CLI's view of server builds, for real: a git daemon serves a repository, the worker clones,
// builds and pushes it; `rise d c --git` shows the build's phases, `rise d logs --build` prints the
// stored build log and follows it live until the build ends (exit 1 with the reason when it failed),
// and `rise d ls` / `rise d s` show the trigger and the commit.

const runId = Math.random().toString(16).slice(2, 10);
const dataDir = mkdtempSync(join(tmpdir(), 'rise-cli-build-logs-'));
const gitRoot = mkdtempSync(join(tmpdir(), 'rise-cli-build-logs-repos-'));
const home = mkdtempSync(join(tmpdir(), 'rise-cli-build-logs-home-'));
const project = `buildlogs-${runId}`;
const docker = new Dockerode();
let stack: RiseStack;
let token: string;
let daemon: GitDaemon | undefined;
const heads: Record<string, string> = {};

const rise = (args: string[]) => runCli(args, { home, env: { RISE_URL: stack.web.url, RISE_TOKEN: token } });
const api = () => httpApi(stack.web.url, { token });

// The run id in a RUN step keeps Docker's layer cache from skipping it on a second run of this file.
function commitBranch(work: string, branch: string, steps: string[], message: string) {
  git(work, 'checkout', '--quiet', '--orphan', branch);
  git(work, 'rm', '-rf', '--quiet', '--ignore-unmatch', '.');
  mkdirSync(join(work, 'www'), { recursive: true });
  writeFileSync(join(work, 'Dockerfile'), appDockerfile(steps));
  writeFileSync(join(work, 'www', 'index.html'), `${branch}\n`);
  writeFileSync(join(work, 'www', 'health'), 'ok\n');
  git(work, 'add', '-A');
  git(work, 'commit', '--quiet', '-m', message);
  heads[branch] = git(work, 'rev-parse', 'HEAD');
}

const buildLines = async (id: string) =>
  (
    await getDb().deploymentEvent.findMany({
      where: { deploymentId: id, level: 'build' },
      orderBy: { id: 'asc' },
    })
  ).map((event) => event.message);

beforeAll(async () => {
  await buildBusyboxBaseImage(docker);
  const work = join(gitRoot, 'work');
  mkdirSync(work);
  git(work, 'init', '--quiet', '-b', 'main');
  commitBranch(
    work,
    'main',
    [`RUN echo main build ${runId}`],
    'Serve the main page for the build logs test\n\nA longer body that rise d s prints.',
  );
  commitBranch(
    work,
    'slow',
    [`RUN echo slow build started ${runId} && sleep 8`, `RUN echo slow build finished ${runId}`],
    'A slow build',
  );
  commitBranch(work, 'broken', [`RUN echo about to fail ${runId} && exit 3`], 'A build that fails');
  git(gitRoot, 'clone', '--quiet', '--bare', work, 'app.git');
  daemon = await startGitDaemon(gitRoot, 'app');
  const gitPort = daemon.port;
  stack = await startRiseStack({ runId, dataDir, env: { RISE_OUTBOUND_ALLOW: `127.0.0.1:${gitPort}` } });
  token = await signUpWithToken(stack.web.url, {
    email: `dev-${runId}@example.test`,
    projects: [project],
    tokenName: 'cli build logs test',
  });
  await api().project.update.mutate({ project, port: TEST_APP_PORT, healthPath: '/health' });
  const { id: projectId } = await getDb().project.findUniqueOrThrow({ where: { name: project } });
  await getDb().gitSource.create({
    data: {
      projectId,
      repositoryUrl: daemon.url('app'),
      branch: 'main',
      hookId: `hook-${runId}`,
      webhookSecret: encryptSecret('unused'),
    },
  });
}, 300_000);

afterAll(async () => {
  await daemon?.stop();
  await stack?.stop({ images: [project] });
  for (const dir of [dataDir, gitRoot, home]) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('server builds in the CLI', () => {
  let mainDeployment: string;

  it('rise d c --git shows the build phases through deploying to healthy', async () => {
    const result = await rise(['d', 'c', project, '--git', '--timeout', '4m']);
    expect(result.stderr.slice(-3000)).toContain('Deployment successful!');
    expect(result.code).toBe(0);
    const phases = [
      `Building '${project}' on the server from its git source...`,
      "Pushing container image to Rise's registry...",
      `Deploying '${project}' ...`,
    ];
    const lines = result.stderr.trim().split('\n');
    expect(lines.filter((line) => phases.includes(line))).toEqual(phases);
    expect(lines.at(-1)).toMatch(
      new RegExp(`^Deployment successful! Your app is now running at http://${project}\\.localhost`),
    );
    const [newest] = await api().deployment.list.query({ project, limit: 1 });
    expect(newest).toMatchObject({ status: 'healthy', trigger: 'manual' });
    mainDeployment = newest!.id;
  }, 300_000);

  it('rise d logs --build prints the stored build log of the newest deployment and exits 0', async () => {
    const result = await rise(['d', 'logs', project, '--build']);
    expect(result.code).toBe(0);
    const printed = result.stdout.trim().split('\n');
    expect(printed).toEqual(await buildLines(mainDeployment));
    expect(printed[0]).toMatch(/^Cloning git:\/\/127\.0\.0\.1:\d+\/app\.git/);
    expect(printed).toContain(`Checked out ${heads.main}: Serve the main page for the build logs test`);
    expect(printed.some((line) => line.includes(`main build ${runId}`))).toBe(true);
    expect(result.stderr.trim()).toBe(`Deployment ${mainDeployment} is healthy.`);
  });

  it('rise d ls shows the trigger and the commit; rise d s the ref, sha, message and author', async () => {
    const listed = await rise(['d', 'ls', project]);
    expect(listed.code).toBe(0);
    const [header, row] = listed.stdout.split('\n');
    expect(header).toMatch(/^DEPLOYMENT +STATUS +TRIGGER +CREATED BY +COMMIT +IMAGE /);
    const cells = (line: string) => line.split(/ {2,}/);
    const commitAt = cells(header!).indexOf('COMMIT');
    expect(cells(row!)[0]).toBe(mainDeployment);
    expect(cells(row!)[cells(header!).indexOf('TRIGGER')]).toBe('manual');
    expect(cells(row!)[commitAt]).toBe(`${heads.main!.slice(0, 7)} Serve the main page for the bui…`);

    const shown = await rise(['d', 's', project, mainDeployment]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(
      [
        'trigger:           manual',
        'ref:               main',
        `commit:            ${heads.main}`,
        'message:           Serve the main page for the build logs test',
        '',
        '                   A longer body that rise d s prints.',
        'author:            Ada <ada@example.test>',
      ].join('\n'),
    );
    const json = JSON.parse((await rise(['d', 'ls', project, '-o', 'json'])).stdout);
    expect(json[0]).toMatchObject({
      trigger: 'manual',
      commit: {
        ref: 'main',
        sha: heads.main,
        message: 'Serve the main page for the build logs test\n\nA longer body that rise d s prints.',
        author: 'Ada <ada@example.test>',
      },
    });
  });

  it('rise d logs --build -f follows the lines written while it runs and ends when the build ends', async () => {
    const created = await api().deployment.create.mutate({ project, git: true, ref: 'slow' });
    await waitFor(
      async () => (await buildLines(created.id)).some((line) => line.includes(`slow build started ${runId}`)),
      {
        description: 'the slow build to run its first RUN step',
        timeoutMs: 120_000,
        intervalMs: 250,
        context: () => stack.worker.output().slice(-3000),
      },
    );
    const before = await buildLines(created.id);
    expect(before.some((line) => line.includes(`slow build finished ${runId}`))).toBe(false);
    const result = await rise(['d', 'logs', project, '--build', '-f']);
    expect(result.code).toBe(0);
    const printed = result.stdout.trim().split('\n');
    // Written after the command started: it followed the build, and it stopped once the image was pushed.
    expect(printed.some((line) => line.includes(`slow build finished ${runId}`))).toBe(true);
    expect(printed).toEqual(await buildLines(created.id));
    const status = (await api().deployment.get.query({ project, deployment: created.id })).status;
    expect(['pushed', 'deploying', 'healthy']).toContain(status);
    expect(result.stderr.trim().split('\n')[0]).toBe(`Deployment ${created.id} is building.`);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(
      new RegExp(`^Deployment ${created.id} is (pushed|deploying|healthy)\\.$`),
    );
  }, 300_000);

  it('a failed build: rise d c --git fails with the step and tail, rise d logs --build prints the log then the reason, exit 1', async () => {
    const created = await rise(['d', 'c', project, '--git', '--ref', 'broken', '--timeout', '4m']);
    expect(created.code).toBe(1);
    const [failedDeployment] = await api().deployment.list.query({ project, limit: 1 });
    expect(failedDeployment).toMatchObject({ status: 'failed', imageDigest: null });
    const id = failedDeployment!.id;
    expect(created.stderr).toContain(`Deployment ${id} failed: Build failed at step 'build': `);
    expect(created.stderr).toContain('Last lines:');
    expect(created.stderr).not.toContain(`Deploying '${project}'`);

    const result = await rise(['d', 'logs', project, '--build', '-f']);
    expect(result.code).toBe(1);
    const printed = result.stdout.trim().split('\n');
    expect(printed).toEqual(await buildLines(id));
    expect(printed.some((line) => line.includes(`about to fail ${runId}`))).toBe(true);
    const stderr = result.stderr.trim().split('\n');
    expect(stderr.at(-1)).toMatch(new RegExp(`^Deployment ${id} failed: Build failed at step 'build': .+`));
    // The tail was just printed above as the log: the reason does not repeat it.
    expect(result.stderr).not.toContain('Last lines:');
  }, 300_000);
});
