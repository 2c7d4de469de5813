import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { issueToken } from '@/server/domains/tokens/token.service';
import { httpApi } from './api-client';
import { runCli } from './cli-runner';
import { createUser } from './fixtures';
import { buildTestAppImage } from './images';
import { type RiseStack, signUpWithToken, startRiseStack } from './rise-stack';

// `rise exec` for real: the built CLI opens a WebSocket to the production web server, which runs the
// command in the app's container through Docker's exec API. The exit code, stdout, stderr and stdin
// cross that path; who ran what is audited; a developer is refused (project:exec is for admins).

const runId = Math.random().toString(16).slice(2, 10);
const dataDir = mkdtempSync(join(tmpdir(), 'rise-cli-exec-'));
const appDir = mkdtempSync(join(tmpdir(), 'rise-cli-exec-app-'));
const home = mkdtempSync(join(tmpdir(), 'rise-cli-exec-home-'));
const project = `exec-${runId}`;
let stack: RiseStack;
let ownerToken: string;
let developerToken: string;

const rise = (args: string[], options: { token?: string; input?: string } = {}) =>
  runCli(args, {
    home,
    cwd: appDir,
    input: options.input,
    env: { RISE_URL: stack.web.url, RISE_TOKEN: options.token ?? ownerToken },
  });

beforeAll(async () => {
  const base = await buildTestAppImage({ tag: 'rise-test-app:v1', version: 'v1' });
  writeFileSync(join(appDir, 'Dockerfile'), `FROM ${base}\nLABEL rise.test=1\n`);
  writeFileSync(
    join(appDir, '.rise.toml'),
    `project = "${project}"\n\n[build]\nbackend = "dockerfile"\n\n[deploy]\nport = 8080\nhealth_path = "/health"\n`,
  );
  stack = await startRiseStack({ runId, dataDir });
  ownerToken = await signUpWithToken(stack.web.url, {
    email: `owner-${runId}@example.test`,
    projects: [project],
    tokenName: 'exec test',
  });
  // Sign-up is by invitation after the first account: the developer is made directly.
  const developer = await createUser();
  developerToken = (
    await issueToken(null, { userId: developer.id, name: 'exec test developer', expiresInDays: 1 })
  ).token;
  const owner = await getDb().user.findUniqueOrThrow({ where: { email: `owner-${runId}@example.test` } });
  const team = await getDb().team.create({
    data: {
      name: `exec-team-${runId}`,
      members: {
        create: [
          { userId: owner.id, role: 'owner' },
          { userId: developer.id, role: 'developer' },
        ],
      },
    },
  });
  await getDb().project.update({
    where: { name: project },
    data: { ownerTeamId: team.id, ownerUserId: null },
  });
  const deployed = await rise(['d', 'c']);
  expect(deployed.code, deployed.stderr).toBe(0);
}, 300_000);

afterAll(async () => {
  await stack?.stop({ images: [project] });
  for (const dir of [dataDir, appDir, home]) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('rise exec', () => {
  it("returns the command's exit code, with its stdout and stderr apart", async () => {
    const result = await rise([
      'exec',
      project,
      '--',
      '/bin/busybox',
      'sh',
      '-c',
      'echo out; echo err >&2; exit 3',
    ]);
    expect(result.stderr).toBe('err\n');
    expect(result.stdout).toBe('out\n');
    expect(result.code).toBe(3);
  });

  it('runs in the app’s container, with its files', async () => {
    const result = await rise(['exec', project, '--', '/bin/busybox', 'cat', '/www/index.html']);
    expect(result).toMatchObject({ code: 0, stdout: 'v1\n' });
  });

  it('passes stdin to the command and ends it, so a command reading to the end finishes', async () => {
    const input = `hello from stdin ${runId}\n`.repeat(200);
    const result = await rise(['exec', project, '--', '/bin/busybox', 'cat'], { input });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(input);
    expect(result.code).toBe(0);
  });

  it('audits who ran which command, with its exit code and duration', async () => {
    const events = await getDb().auditEvent.findMany({
      where: { targetName: project, action: { startsWith: 'project.exec' } },
      orderBy: { createdAt: 'asc' },
    });
    const started = events.filter((event) => event.action === 'project.exec');
    const ended = events.filter((event) => event.action === 'project.exec.end');
    expect(started).toHaveLength(3);
    expect(ended).toHaveLength(3);
    expect(started[0]).toMatchObject({
      actorLabel: expect.stringContaining(`owner-${runId}`),
      details: expect.objectContaining({
        command: '/bin/busybox sh -c echo out; echo err >&2; exit 3',
        via: 'cli',
      }),
    });
    const exitCodes = ended.map((event) => (event.details as { exitCode: number }).exitCode).sort();
    expect(exitCodes).toEqual([0, 0, 3]);
    for (const event of ended)
      expect((event.details as { durationMs: number }).durationMs).toBeGreaterThanOrEqual(0);
  });

  it('runs in the instance named with --process/--instance, and refuses one that does not run', async () => {
    const web = await rise([
      'exec',
      project,
      '--process',
      'web',
      '--instance',
      '0',
      '--',
      '/bin/busybox',
      'true',
    ]);
    expect(web.stderr).toBe('');
    expect(web.code).toBe(0);
    const worker = await rise(['exec', project, '--process', 'worker', '--', '/bin/busybox', 'true']);
    expect(worker.stderr).toContain(`'${project}' has no instance worker #0 in deployment`);
    expect(worker.stderr).toContain(`Running: web #0 (see rise ps ${project}).`);
    expect(worker.code).toBe(6);
    const second = await rise(['exec', project, '--instance', '1', '--', '/bin/busybox', 'true']);
    expect(second.stderr).toContain(`'${project}' has no instance web #1 in deployment`);
    expect(second.code).toBe(6);
  });

  it('refuses a developer: project:exec is for admins', async () => {
    const result = await rise(['exec', project, '--', '/bin/busybox', 'true'], { token: developerToken });
    expect(result.stderr).toMatch(/developer.*admin|admin.*developer/i);
    expect(result.code).toBe(5);
  });

  it('names what is wrong with a command it cannot start, and a project without a deployment', async () => {
    const missing = await rise(['exec', 'no-such-project-here', '--', 'true']);
    expect(missing.stderr).toContain("Project 'no-such-project-here' not found.");
    expect(missing.code).toBe(4);
    const empty = `exec-empty-${runId}`;
    await httpApi(stack.web.url, { token: ownerToken }).project.create.mutate({ name: empty });
    const undeployed = await rise(['exec', empty, '--', 'true']);
    expect(undeployed.stderr).toContain(
      `'${empty}' has no running deployment to run a command in. Deploy it first.`,
    );
    expect(undeployed.code).toBe(6);
  });
});
