import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpApi } from './api-client';
import type { TestCaddy } from './caddy';
import { runCli } from './cli-runner';
import { getThroughProxy } from './http-through-proxy';
import { buildShellAppImage } from './images';
import type { NextServer } from './next-server';
import { type RiseStack, signUpWithToken, startRiseStack } from './rise-stack';
import type { WorkerProcess } from './worker-process';

// `.rise.toml` [deploy] command and release through `rise d c` (CLI → project settings → worker),
// then `rise run`: a one-off container of the running version with its env, output streamed to the
// CLI, exit code propagated, container removed, audited.

const runId = Math.random().toString(16).slice(2, 10);
const dataDir = mkdtempSync(join(tmpdir(), 'rise-cli-run-'));
const appDir = mkdtempSync(join(tmpdir(), 'rise-cli-run-app-'));
const home = mkdtempSync(join(tmpdir(), 'rise-cli-run-home-'));
const project = `run-${runId}`;
const docker = new Dockerode();
let stack: RiseStack;
let web: NextServer;
let caddy: TestCaddy;
let worker: WorkerProcess;
let token: string;

const rise = (args: string[]) =>
  runCli(args, { home, cwd: appDir, env: { RISE_URL: web.url, RISE_TOKEN: token } });
const api = () => httpApi(web.url, { token });

beforeAll(async () => {
  const base = await buildShellAppImage('rise-test-shell-app:v1', 'v1');
  writeFileSync(join(appDir, 'Dockerfile'), `FROM ${base}\nLABEL rise.test=1\n`);
  writeFileSync(
    join(appDir, '.rise.toml'),
    [
      `project = "${project}"`,
      '',
      '[build]',
      'backend = "dockerfile"',
      '',
      '[deploy]',
      'port = 8080',
      'health_path = "/health"',
      'command = "exec httpd -f -p $PORT -h /www-override"',
      'release = "echo release sees $GREETING"',
      '',
      '[env]',
      'GREETING = "hello from the env"',
      '',
    ].join('\n'),
  );
  stack = await startRiseStack({ runId, dataDir });
  ({ web, caddy, worker } = stack);
  token = await signUpWithToken(web.url, {
    email: `dev-${runId}@example.test`,
    projects: [project],
    tokenName: 'cli-run test',
  });
}, 300_000);

afterAll(async () => {
  await stack?.stop({ images: [project] });
  for (const dir of [dataDir, appDir, home]) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('.rise.toml [deploy] command and release, then rise run', () => {
  it('rise d c takes both from .rise.toml: the release output is in the events, the app runs the command', async () => {
    const deployed = await rise(['d', 'c']);
    expect(deployed.code, `${deployed.stderr}\n${worker.output().slice(-3000)}`).toBe(0);
    const response = await getThroughProxy(caddy.httpPort, `${project}.localhost`);
    expect(response.body.trim()).toBe('override v1');

    const shown = await rise(['p', 's', project]);
    expect(shown.stdout).toMatch(/Start command: +exec httpd -f -p \$PORT -h \/www-override/);
    expect(shown.stdout).toMatch(/Release command: +echo release sees \$GREETING/);

    const events = await rise(['d', 'logs', project, '--events']);
    expect(events.code, events.stderr).toBe(0);
    const lines = events.stdout.split('\n').map((line) => line.replace(/^\S+ /, ''));
    const released = lines.indexOf('release: release sees hello from the env');
    const succeeded = lines.indexOf('Release command succeeded');
    const switched = lines.findIndex((line) => line.startsWith('Traffic switched'));
    expect(
      [released, succeeded, switched].every((index) => index >= 0),
      events.stdout,
    ).toBe(true);
    expect(released < succeeded && succeeded < switched).toBe(true);
  }, 240_000);

  it("rise run streams the command's stdout and stderr, returns its exit code and removes the container", async () => {
    const result = await rise([
      'run',
      project,
      '--',
      'sh',
      '-c',
      'echo "out: $GREETING on port $PORT"; echo "err: to stderr" >&2; exit 7',
    ]);

    expect(result.code, result.stderr).toBe(7);
    expect(result.stdout).toBe('out: hello from the env on port 8080\n');
    expect(result.stderr).toContain('err: to stderr');
    expect(result.stderr).toMatch(/Running in a new container of deployment \d{8}-\d{4}-[a-z0-9]{4}\./);
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`dev.rise.project=${project}`, 'dev.rise.one-off'] },
    });
    expect(left).toEqual([]);

    const ok = await rise(['run', project, '--', 'true']);
    expect(ok.code, ok.stderr).toBe(0);

    // Audited: who ran what, and how it ended.
    const { events } = await api().audit.list.query({ project, action: 'project.run' });
    const ended = events.filter((event) => event.action === 'project.run.end');
    expect(ended.map((event) => (event.details as { exitCode: number }).exitCode).sort()).toEqual([0, 7]);
    const seven = ended.find((event) => (event.details as { exitCode: number }).exitCode === 7)!;
    expect(seven.actor).toContain(`dev-${runId}`);
    expect(seven.details).toMatchObject({
      command: ['sh', '-c', 'echo "out: $GREETING on port $PORT"; echo "err: to stderr" >&2; exit 7'],
      error: null,
    });
    expect((seven.details as { durationMs: number }).durationMs).toBeGreaterThan(0);
    expect(events.filter((event) => event.action === 'project.run')).toHaveLength(2);
  }, 120_000);

  it('rise run says why when there is nothing to run in', async () => {
    const stopped = await rise(['d', 'stop', project]);
    expect(stopped.code, stopped.stderr).toBe(0);
    const result = await rise(['run', project, '--', 'true']);
    expect(result.code).toBe(6);
    expect(result.stderr).toContain(`'${project}' has no running deployment to run a command in`);
  }, 120_000);
});
