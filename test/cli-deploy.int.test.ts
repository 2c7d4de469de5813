import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchManifestDigest, platformRegistryFetch } from '@/server/registry/registry-digest';
import { parseImageReference } from '@/shared/registry/image-reference';
import { httpApi } from './api-client';
import type { TestCaddy } from './caddy';
import { runCli } from './cli-runner';
import { getThroughProxy } from './http-through-proxy';
import { buildTestAppImage } from './images';
import type { NextServer } from './next-server';
import type { TestRegistry } from './registry';
import { type RiseStack, signUpWithToken, startRiseStack } from './rise-stack';
import { waitFor } from './wait';
import type { WorkerProcess } from './worker-process';

// `rise d c` from a directory with a Dockerfile: the real CLI builds with the local Docker engine, logs
// in to Rise's registry (token auth) with short-lived credentials, pushes, and the worker deploys it
// behind Caddy.

const runId = Math.random().toString(16).slice(2, 10);
const dataDir = mkdtempSync(join(tmpdir(), 'rise-cli-deploy-'));
const appDir = mkdtempSync(join(tmpdir(), 'rise-cli-app-'));
const home = mkdtempSync(join(tmpdir(), 'rise-cli-home-'));
const project = `cli-${runId}`;
let stack: RiseStack;
let web: NextServer;
let caddy: TestCaddy;
let registry: TestRegistry;
let worker: WorkerProcess;
let token: string;
const ID = String.raw`\d{8}-\d{4}-[a-z0-9]{4}`;

const rise = (args: string[]) =>
  runCli(args, { home, cwd: appDir, env: { RISE_URL: web.url, RISE_TOKEN: token } });
const api = () => httpApi(web.url, { token });

/** The manifest digest the registry holds for `<project>:<tag>`, asked with the project's pull credentials. */
async function registryDigest(tag: string) {
  const credentials = await api().registry.credentials.mutate({ project });
  return fetchManifestDigest(parseImageReference(`${registry.host}/${project}:${tag}`), {
    credentials,
    fetch: platformRegistryFetch,
  });
}

beforeAll(async () => {
  const base = await buildTestAppImage({ tag: 'rise-test-app:v1', version: 'v1' });
  writeFileSync(join(appDir, 'Dockerfile'), `FROM ${base}\nLABEL rise.test=1\n`);
  writeFileSync(
    join(appDir, '.rise.toml'),
    `project = "${project}"\n\n[build]\nbackend = "dockerfile"\n\n[deploy]\nport = 8080\nhealth_path = "/health"\n`,
  );
  stack = await startRiseStack({ runId, dataDir });
  ({ web, caddy, registry, worker } = stack);
  token = await signUpWithToken(web.url, {
    email: `dev-${runId}@example.test`,
    projects: [project],
    tokenName: 'cli-deploy test',
  });
}, 300_000);

afterAll(async () => {
  await stack?.stop({ images: [project] });
  for (const dir of [dataDir, appDir, home]) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('rise d c from a directory', () => {
  it('builds, pushes with temporary credentials, deploys, and the app answers at its URL', async () => {
    const result = await runCli(['d', 'c'], {
      home,
      cwd: appDir,
      env: { RISE_URL: web.url, RISE_TOKEN: token },
    });
    const lines = result.stderr.trim().split('\n');
    expect(result.code, `${result.stderr}\n${worker.output().slice(-2000)}`).toBe(0);
    // The PRODUCT.md transcript, line by line, with the local registry and URL.
    expect(lines[0]).toBe(
      `Building container image '${registry.host}/${project}:latest' using dockerfile...`,
    );
    expect(lines.slice(1)).toEqual([
      `Pushing container image to ${registry.host}...`,
      `Deploying '${project}' ...`,
      `Deployment successful! Your app is now running at http://${project}.localhost:${caddy.httpPort}`,
    ]);
    const response = await getThroughProxy(caddy.httpPort, `${project}.localhost`);
    expect(response.status).toBe(200);
    expect(response.body.trim()).toBe('v1');
    // The build is labelled for its project: Rise runs a local image only for the project it names.
    const [deployment] = await api().deployment.list.query({ project, limit: 1 });
    expect(deployment?.image).toMatch(new RegExp(`^${registry.host}/${project}:${ID}$`));
    const labels = (await new Dockerode().getImage(deployment!.image!).inspect()).Config.Labels;
    expect(labels?.['dev.rise.project']).toBe(project);
    // Both tags were pushed: the deployment id pins it, and :latest names the same manifest.
    expect(deployment?.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await registryDigest(deployment!.id)).toBe(deployment!.imageDigest);
    expect(await registryDigest('latest')).toBe(deployment!.imageDigest);
  }, 240_000);

  it('rise d ls shows the short digest of built and image deploys; -o json the full one', async () => {
    const built = (await api().deployment.list.query({ project, limit: 1 }))[0]!;
    // An image deploy: the built image by its registry reference, pinned by Rise itself.
    const queued = await rise(['d', 'c', '--image', `${registry.host}/${project}:latest`, '--no-follow']);
    expect(queued.code, queued.stderr).toBe(0);
    const id = new RegExp(`Queued deployment (${ID})`).exec(queued.stderr)![1]!;
    const followed = await rise(['d', 's', project, id, '--follow', '--timeout', '2m']);
    expect(followed.code, `${followed.stderr}\n${worker.output().slice(-2000)}`).toBe(0);

    const table = await rise(['d', 'ls']);
    expect(table.code, table.stderr).toBe(0);
    const [header, ...rows] = table.stdout.trim().split('\n');
    expect(header).toMatch(
      /^DEPLOYMENT +STATUS +TRIGGER +CREATED BY +COMMIT +IMAGE +DIGEST +GROUP +EXPIRY +CREATED +URL +ERROR$/,
    );
    const short = built.imageDigest!.slice('sha256:'.length, 'sha256:'.length + 12);
    // Cells are two or more spaces apart (CREATED has single spaces inside); URL only on the active one.
    const cells = rows.map((row) => row.split(/ {2,}/));
    expect(
      cells.slice(0, 2).map((row) => [0, 1, 2, 4, 5, 6, 7, 8, 10, 11].map((column) => row[column])),
    ).toEqual([
      [
        id,
        'healthy',
        'cli',
        '-',
        `${registry.host}/${project}:latest`,
        short,
        'default',
        '-',
        `http://${project}.localhost:${caddy.httpPort}`,
        '-',
      ],
      [
        built.id,
        'superseded',
        'cli',
        '-',
        `${registry.host}/${project}:${built.id}`,
        short,
        'default',
        '-',
        '-',
        '-',
      ],
    ]);
    const json = JSON.parse((await rise(['d', 'ls', '-o', 'json'])).stdout);
    expect(json.map((d: { imageDigest: string }) => d.imageDigest).slice(0, 2)).toEqual([
      built.imageDigest,
      built.imageDigest,
    ]);
  }, 240_000);

  it('rise d s --follow on a deployment that never settles gives up with exit 124; rise d cancel cancels it', async () => {
    // A deployment waiting for a client build (pending) stays in progress until cancelled.
    const waiting = await api().deployment.create.mutate({ project });
    const timedOut = await rise(['d', 's', project, waiting.id, '--follow', '--timeout', '2s']);
    expect(timedOut.code).toBe(124);
    expect(timedOut.stderr.trim().split('\n')).toEqual([
      `Deployment ${waiting.id} is pending.`,
      `Deployment ${waiting.id} is still pending after 2 s; follow it again with: rise d s ${project} ${waiting.id} --follow`,
    ]);

    const cancelled = await rise(['d', 'cancel', project]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stderr.trim()).toBe(`Cancelled deployment ${waiting.id} of '${project}'.`);
    expect((await api().deployment.get.query({ project, deployment: waiting.id })).status).toBe('cancelled');

    const followed = await rise(['d', 's', project, waiting.id, '--follow']);
    expect(followed.code).toBe(1);
    expect(followed.stderr.trim().split('\n').at(-1)).toBe(
      `Deployment ${waiting.id} was cancelled; its events: rise d logs ${project} --deployment ${waiting.id} --events`,
    );

    const nothing = await rise(['d', 'cancel', project]);
    expect(nothing.code).toBe(4);
    expect(nothing.stderr.trim()).toBe(
      `No deployment of '${project}' is in progress; name one to cancel: rise d cancel ${project} <deployment>`,
    );
    const settled = await rise(['d', 'cancel', project, waiting.id]);
    expect(settled.code).toBe(6);
  }, 120_000);

  it('rise d stop, then rise d start runs the latest image again', async () => {
    const stopped = await rise(['d', 'stop', project]);
    expect(stopped.code, stopped.stderr).toBe(0);
    await waitFor(async () => (await api().project.get.query({ project })).status === 'stopped', {
      description: `${project} to stop`,
      timeoutMs: 60_000,
      intervalMs: 250,
    });

    const started = await rise(['d', 'start']);
    expect(started.code, started.stderr).toBe(0);
    const match = new RegExp(
      `^Starting '${project}' from (\\S+) as deployment (${ID})\\. Follow it: rise d s ${project} \\2 --follow$`,
    ).exec(started.stderr.trim());
    expect(match, started.stderr).not.toBeNull();
    const followed = await rise(['d', 's', '--follow', '--timeout', '2m']);
    expect(followed.code, `${followed.stderr}\n${worker.output().slice(-2000)}`).toBe(0);
    expect(followed.stderr.trim().split('\n').at(-1)).toBe(`Deployment ${match![2]} is healthy.`);
    expect(followed.stdout).toMatch(new RegExp(`^id: +${match![2]}$`, 'm'));
    const response = await getThroughProxy(caddy.httpPort, `${project}.localhost`);
    expect(response.status).toBe(200);
    expect(response.body.trim()).toBe('v1');
  }, 180_000);

  it('names the unreachable registry and the fix instead of docker’s dial error', async () => {
    await registry.stop();
    const result = await rise(['d', 'c', '--no-follow']);
    expect(result.code).toBe(7);
    expect(result.stderr.trim().split('\n').at(-1)).toBe(
      `Rise's registry at ${registry.host} is not reachable: start it (npm start runs it when \`docker-registry\` is installed: apt install docker-registry) or set RISE_REGISTRY_HOST on the Rise server to a registry this machine can reach.`,
    );
    expect(result.stderr).not.toContain('dial tcp');
  }, 240_000);
});
