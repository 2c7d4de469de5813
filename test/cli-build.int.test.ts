import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../cli/src/lib/api';
import { httpApi } from './api-client';
import { buildTestBaseImages, TEST_DEBIAN_IMAGE, TEST_NODE_IMAGE, TEST_STATIC_IMAGE } from './build-images';
import type { TestCaddy } from './caddy';
import { runCli } from './cli-runner';
import { getThroughProxy } from './http-through-proxy';
import type { NextServer } from './next-server';
import type { TestRegistry } from './registry';
import { type RiseStack, signUpWithToken, startRiseStack } from './rise-stack';
import { waitFor } from './wait';
import type { WorkerProcess } from './worker-process';

// `rise d c` with the auto builder and no Dockerfile: the build's base images come from the Rise
// server's RISE_BUILD_* (not from the CLI's environment) unless .rise.toml overrides them, and the
// build's output reaches the deployment's log, read back through the API as the dashboard reads it.

const runId = Math.random().toString(16).slice(2, 10);
const dataDir = mkdtempSync(join(tmpdir(), 'rise-cli-build-'));
const home = mkdtempSync(join(tmpdir(), 'rise-cli-build-home-'));
const dirs: string[] = [];
const project = `build-${runId}`;
/** A second name of the test Node image, for .rise.toml to choose over the server's default. */
const tomlNodeImage = `rise-test/node-toml:${runId}`;
const docker = new Dockerode();
let stack: RiseStack;
let web: NextServer;
let caddy: TestCaddy;
let registry: TestRegistry;
let worker: WorkerProcess;
let token: string;

const rise = (args: string[], cwd: string, env: Record<string, string> = {}) =>
  runCli(args, { home, cwd, env: { RISE_URL: web.url, RISE_TOKEN: token, ...env } });

/** A directory holding `files`, removed after the run. */
function appDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rise-cli-build-app-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const server = (text: string) =>
  `require('node:http').createServer((_q, r) => r.end('${text}\\n')).listen(Number(process.env.PORT) || 8080);\n`;

/** The deployment's log entries as the dashboard reads them: the `deployment.logs` subscription (SSE). */
async function deploymentLog(deployment: string) {
  const api = createApi(web.url, token);
  const lines: { level: string; message: string }[] = [];
  await new Promise<void>((resolve, reject) => {
    const subscription = api.deployment.logs.subscribe(
      { project, deployment, source: 'events', follow: false },
      {
        onData: (entry) => {
          if (entry.type === 'event') lines.push({ level: entry.level, message: entry.message });
        },
        onError: reject,
        onComplete: resolve,
        onStopped: resolve,
      },
    );
    setTimeout(() => {
      subscription.unsubscribe();
      reject(new Error(`deployment.logs did not complete; got ${JSON.stringify(lines.slice(-5))}`));
    }, 30_000).unref();
  });
  return lines;
}

const buildLines = (log: { level: string; message: string }[]) =>
  log.filter((entry) => entry.level === 'build').map((entry) => entry.message);

beforeAll(async () => {
  await buildTestBaseImages({ docker });
  await docker.getImage(TEST_NODE_IMAGE).tag({ repo: 'rise-test/node-toml', tag: runId });
  stack = await startRiseStack({
    runId,
    dataDir,
    // The server's build defaults: the local test images (nothing can be pulled here).
    webEnv: {
      RISE_BUILD_NODE_IMAGE: TEST_NODE_IMAGE,
      RISE_BUILD_RUNTIME_IMAGE: TEST_DEBIAN_IMAGE,
      RISE_BUILD_STATIC_IMAGE: TEST_STATIC_IMAGE,
      RISE_BUILD_STATIC_COMMAND: JSON.stringify(['/bin/busybox', 'httpd', '-f', '-p', '8080', '-h', '/srv']),
    },
  });
  ({ web, caddy, registry, worker } = stack);
  token = await signUpWithToken(web.url, {
    email: `build-${runId}@example.test`,
    projects: [project],
    tokenName: 'cli-build test',
  });
}, 600_000);

afterAll(async () => {
  await stack?.stop({ images: [project] });
  await docker
    .getImage(tomlNodeImage)
    .remove()
    .catch(() => undefined);
  for (const dir of [dataDir, home, ...dirs]) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('rise d c with the auto builder', () => {
  it("builds from the server's base images, not the CLI's environment, and its output is in the deployment's log", async () => {
    const dir = appDir({
      '.rise.toml': `project = "${project}"\n\n[deploy]\nport = 8080\nhealth_path = "/"\n`,
      'package.json': JSON.stringify({ name: 'procfile-app', scripts: { start: 'node server.js' } }),
      'server.js': server('from package.json start'),
      'web.js': server('from Procfile web'),
      Procfile: 'web: node web.js\n',
    });
    // Before build settings came from the server, this variable of the CLI's machine chose the image.
    const result = await rise(['d', 'c'], dir, { RISE_BUILD_NODE_IMAGE: 'rise-test/not-this-one:1' });
    expect(result.code, `${result.stderr}\n${worker.output().slice(-2000)}`).toBe(0);
    const response = await getThroughProxy(caddy.httpPort, `${project}.localhost`);
    expect(response.status).toBe(200);
    expect(response.body.trim()).toBe('from Procfile web');

    const [deployment] = await httpApi(web.url, { token }).deployment.list.query({ project, limit: 1 });
    const log = await deploymentLog(deployment!.id);
    const lines = buildLines(log);
    expect(lines).toContain(`  node_image = ${TEST_NODE_IMAGE} (the Rise server's default)`);
    expect(lines).toContain('No Dockerfile found; detected a Node.js app.');
    expect(lines).toContain('Start command (from Procfile web:): node web.js');
    expect(lines).toContain(`  FROM ${TEST_NODE_IMAGE}`);
    expect(lines.some((line) => /^Step \d+\/\d+ : CMD \["sh","-c","node web.js"\]$/.test(line))).toBe(true);
    expect(lines.some((line) => line.startsWith('Successfully tagged '))).toBe(true);
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^Pushed ${registry.host}/${project}:latest: \\d+ layers? uploaded, \\d+ layers? already in the registry \\(sha256:[0-9a-f]{64}\\)$`,
        ),
      ),
    );
    expect(lines.join('\n')).not.toContain('not-this-one');
    // The build lines sit between the deployment's own events, in order.
    const messages = log.map((entry) => entry.message);
    expect(messages.indexOf('Building the image')).toBeLessThan(
      messages.indexOf('No Dockerfile found; detected a Node.js app.'),
    );
    expect(messages.findIndex((m) => m.startsWith('Image pushed: '))).toBeGreaterThan(
      messages.findIndex((m) => m.startsWith(`Pushed ${registry.host}/${project}:latest`)),
    );
  }, 300_000);

  it('takes a base image from .rise.toml over the server default', async () => {
    const dir = appDir({
      '.rise.toml': `project = "${project}"\n\n[build]\nnode_image = "${tomlNodeImage}"\n\n[deploy]\nport = 8080\nhealth_path = "/"\n`,
      'package.json': JSON.stringify({ name: 'toml-app', main: 'server.js' }),
      'server.js': server('built from the .rise.toml image'),
    });
    const result = await rise(['d', 'c'], dir);
    expect(result.code, `${result.stderr}\n${worker.output().slice(-2000)}`).toBe(0);
    const [deployment] = await httpApi(web.url, { token }).deployment.list.query({ project, limit: 1 });
    const lines = buildLines(await deploymentLog(deployment!.id));
    expect(lines).toContain(`  node_image = ${tomlNodeImage} (from .rise.toml)`);
    expect(lines).toContain(`  FROM ${tomlNodeImage}`);
    // This is a redeploy: Caddy 2.6 moves traffic to the new slot at its next passing active check
    // (every second; its health is not visible through the admin API), so the first answers after
    // `healthy` may still come from the previous version for up to that interval.
    await waitFor(
      async () => {
        const answer = (await getThroughProxy(caddy.httpPort, `${project}.localhost`)).body.trim();
        return answer === 'built from the .rise.toml image' ? answer : null;
      },
      { description: 'the .rise.toml build to answer', timeoutMs: 10_000, context: () => worker.output() },
    );
  }, 300_000);

  it("puts a failing build's output and its error in the deployment's log", async () => {
    const dir = appDir({
      '.rise.toml': `project = "${project}"\n\n[build]\nbackend = "dockerfile"\n`,
      Dockerfile: `FROM ${TEST_STATIC_IMAGE}\nRUN ["/bin/busybox", "sh", "-c", "echo checking ${runId}; echo about to fail; exit 3"]\n`,
    });
    const result = await rise(['d', 'c'], dir);
    expect(result.code).toBe(1);
    const [deployment] = await httpApi(web.url, { token }).deployment.list.query({ project, limit: 1 });
    expect(deployment?.status).toBe('failed');
    const log = await deploymentLog(deployment!.id);
    expect(buildLines(log)).toEqual(expect.arrayContaining([`checking ${runId}`, 'about to fail']));
    const failure = log.find((entry) => entry.level === 'error');
    expect(failure?.message).toMatch(
      /^Build failed: Docker build of .* failed at Step 2\/\d+ : RUN .*returned a non-zero code: 3/,
    );
  }, 180_000);
});
