import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpApi } from './api-client';
import type { TestCaddy } from './caddy';
import { runCli } from './cli-runner';
import { getThroughProxy } from './http-through-proxy';
import { buildEnvShowingAppImage, imageForProject, TEST_APP_PORT } from './images';
import type { NextServer } from './next-server';
import { type RiseStack, signUpWithToken, startRiseStack } from './rise-stack';
import { waitFor } from './wait';
import type { WorkerProcess } from './worker-process';

// Per-deployment env overrides for real (worker, Docker, Caddy, registry, the real CLI):
// `rise d c -e K=V --secret-env K` applies to that deployment only, over the project's env vars.

const runId = Math.random().toString(16).slice(2, 10);
const dataDir = mkdtempSync(join(tmpdir(), 'rise-env-overrides-'));
const home = mkdtempSync(join(tmpdir(), 'rise-env-overrides-home-'));
const project = `envo-${runId}`;
const SECRET_VALUE = `only-here-${runId}`;
const ID = String.raw`\d{8}-\d{4}-[a-z0-9]{4}`;
let stack: RiseStack;
let web: NextServer;
let caddy: TestCaddy;
let worker: WorkerProcess;
let token: string;
let image: string;

const rise = (args: string[]) =>
  runCli(args, { home, cwd: home, env: { RISE_URL: web.url, RISE_TOKEN: token } });
const api = () => httpApi(web.url, { token });

/** What the serving instance wrote of its env at start: `FOO=…` and `ONLY=…` lines. */
async function servedEnv() {
  const response = await getThroughProxy(caddy.httpPort, `${project}.localhost`, { path: '/env' });
  expect(response.status).toBe(200);
  return response.body.trim().split('\n');
}

/** `rise d c` (following it until healthy) with `flags`; the new deployment's id. */
async function deploy(flags: string[]) {
  const result = await rise(['d', 'c', project, '--image', image, ...flags, '--no-follow']);
  expect(result.code, result.stderr).toBe(0);
  const id = new RegExp(`Queued deployment (${ID})`).exec(result.stderr)![1]!;
  await followUntilServing(id);
  return id;
}

async function followUntilServing(id: string) {
  const followed = await rise(['d', 's', project, id, '--follow', '--timeout', '2m']);
  expect(followed.code, `${followed.stderr}\n${worker.output().slice(-2000)}`).toBe(0);
  await waitFor(async () => (await api().project.get.query({ project })).activeDeploymentId === id, {
    description: `${id} to be active`,
    timeoutMs: 30_000,
    intervalMs: 250,
  });
}

beforeAll(async () => {
  const base = await buildEnvShowingAppImage('rise-test-env-app:v1', 'v1', ['FOO', 'ONLY']);
  image = await imageForProject(base, project);
  stack = await startRiseStack({ runId, dataDir });
  ({ web, caddy, worker } = stack);
  token = await signUpWithToken(web.url, {
    email: `dev-${runId}@example.test`,
    projects: [project],
    tokenName: 'env overrides test',
  });
  await api().project.update.mutate({ project, port: TEST_APP_PORT, healthPath: '/health' });
  await api().env.set.mutate({ project, vars: [{ key: 'FOO', value: 'project', secret: false }] });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  for (const dir of [dataDir, home]) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('rise d c -e / --env-file / --secret-env', () => {
  it('refuses a bad -e and a malformed env file line, naming the flag, the file and the line', async () => {
    const badFlag = await rise(['d', 'c', project, '--image', image, '-e', '1FOO=x']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain("-e '1FOO=x': '1FOO' is not a valid env var name.");
    const envFile = join(home, '.env.preview');
    writeFileSync(envFile, 'FOO=preview\nnot an assignment\n');
    const badFile = await rise(['d', 'c', project, '--image', image, '--env-file', envFile]);
    expect(badFile.code).toBe(2);
    expect(badFile.stderr).toContain(`--env-file ${envFile}: Line 2: expected KEY=value.`);
    expect(await api().deployment.list.query({ project })).toEqual([]);
  }, 60_000);

  let preview: string;
  it('serves the overrides over the project env vars, and never returns the secret one', async () => {
    preview = await deploy(['-e', 'FOO=preview', '-e', `ONLY=${SECRET_VALUE}`, '--secret-env', 'ONLY']);
    expect(await servedEnv()).toEqual(['FOO=preview', `ONLY=${SECRET_VALUE}`]);

    const view = await api().deployment.get.query({ project, deployment: preview });
    expect(view.envOverrides).toEqual([
      { key: 'FOO', value: 'preview', secret: false },
      { key: 'ONLY', value: null, secret: true },
    ]);
    const listed = await api().deployment.list.query({ project });
    expect(JSON.stringify([view, listed])).not.toContain(SECRET_VALUE);
    const shown = await rise(['d', 's', project, preview]);
    expect(shown.stdout).toMatch(/^envOverrides: +FOO=preview ONLY=\(secret\)$/m);
    expect(shown.stdout + shown.stderr).not.toContain(SECRET_VALUE);
  }, 180_000);

  it('runs the next deployment without -e with the project env vars alone', async () => {
    const next = await deploy([]);
    expect(await servedEnv()).toEqual(['FOO=project', 'ONLY=']);
    expect((await api().deployment.get.query({ project, deployment: next })).envOverrides).toEqual([]);
  }, 180_000);

  it("applies a deployment's overrides again when rolled back to", async () => {
    const rolledBack = await rise(['d', 'rollback', project, preview]);
    expect(rolledBack.code, rolledBack.stderr).toBe(0);
    const id = new RegExp(`as deployment (${ID})`).exec(rolledBack.stderr)![1]!;
    await followUntilServing(id);
    expect(await servedEnv()).toEqual(['FOO=preview', `ONLY=${SECRET_VALUE}`]);
  }, 180_000);
});
