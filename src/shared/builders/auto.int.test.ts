import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/server/platform/free-port';
import { buildTestBaseImages } from '../../../test/build-images';
import { type BaseImages, BuildError, createBuilder } from './index';

// Real Docker engine, local stand-ins for the base images (test/build-images.ts; the first run
// debootstraps Debian and installs nodejs, about a minute), nothing pulled from a registry.

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/apps');
const LABELS = { 'rise.test': '1' };
const docker = new Dockerode();
const containers: Dockerode.Container[] = [];
const tags: string[] = [];
let images: Partial<BaseImages>;

beforeAll(async () => {
  images = await buildTestBaseImages({ docker });
}, 600_000);

afterAll(async () => {
  await Promise.all(containers.map((container) => container.remove({ force: true }).catch(() => {})));
  await Promise.all(
    tags.map((tag) =>
      docker
        .getImage(tag)
        .remove({ force: true })
        .catch(() => {}),
    ),
  );
});

async function runAndFetch(tag: string): Promise<string> {
  const port = await freePort();
  const container = await docker.createContainer({
    Image: tag,
    Labels: LABELS,
    ExposedPorts: { '8080/tcp': {} },
    HostConfig: { PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] } },
  });
  containers.push(container);
  await container.start();
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
      return `${response.status} ${await response.text()}`;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

describe('auto builder with the Docker engine', () => {
  it('builds and runs the Node fixture', async () => {
    const tag = `rise-test/auto-node:${Date.now()}`;
    tags.push(tag);
    const lines: string[] = [];
    const builder = createBuilder('auto', { docker, images });
    const result = await builder.build({
      context: path.join(FIXTURES, 'node-app'),
      tag,
      labels: LABELS,
      onLog: (line) => lines.push(line),
    });
    expect(result.tag).toBe(tag);
    expect(result.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(lines).toContain('No Dockerfile found; detected a Node.js app.');
    expect(lines).toContain('Start command (from package.json scripts.start): node server.js');
    expect(lines).toContain('Generated Dockerfile:');
    expect(lines.some((line) => line.startsWith('Successfully tagged'))).toBe(true);
    expect(await runAndFetch(tag)).toBe('200 hello from node\n');
  }, 180_000);

  it('starts the app with the Procfile web: command rather than package.json start', async () => {
    const context = await mkdtemp(path.join(tmpdir(), 'rise-auto-procfile-'));
    try {
      const server = (text: string) =>
        `require('node:http').createServer((_q, r) => r.end('${text}\\n')).listen(Number(process.env.PORT) || 8080);\n`;
      await writeFile(
        path.join(context, 'package.json'),
        JSON.stringify({ name: 'procfile-app', scripts: { start: 'node server.js' } }),
      );
      await writeFile(path.join(context, 'server.js'), server('from package.json start'));
      await writeFile(path.join(context, 'web.js'), server('from Procfile web'));
      await writeFile(path.join(context, 'Procfile'), 'release: node nothing.js\nweb: node web.js\n');
      const tag = `rise-test/auto-procfile:${Date.now()}`;
      tags.push(tag);
      const lines: string[] = [];
      await createBuilder('auto', { docker, images }).build({
        context,
        tag,
        labels: LABELS,
        onLog: (line) => lines.push(line),
      });
      expect(lines).toContain('Start command (from Procfile web:): node web.js');
      expect(lines).toContain('  CMD ["sh","-c","node web.js"]');
      expect(await runAndFetch(tag)).toBe('200 from Procfile web\n');
    } finally {
      await rm(context, { recursive: true, force: true });
    }
  }, 180_000);

  it('builds and runs the static-site fixture', async () => {
    const tag = `rise-test/auto-static:${Date.now()}`;
    tags.push(tag);
    const builder = createBuilder('auto', { docker, images });
    await builder.build({
      context: path.join(FIXTURES, 'static-site'),
      tag,
      labels: LABELS,
      onLog: () => {},
    });
    const answer = await runAndFetch(tag);
    expect(answer).toMatch(/^200 /);
    expect(answer).toContain('hello from a static site');
  }, 180_000);
});

describe('dockerfile builder with the Docker engine', () => {
  let context: string;
  beforeAll(async () => {
    context = await mkdtemp(path.join(tmpdir(), 'rise-dockerfile-build-'));
  });
  afterAll(async () => {
    await rm(context, { recursive: true, force: true });
  });

  it('honours .dockerignore and names the failing step', async () => {
    // Fresh content each run, so no step comes from the build cache and every RUN prints its output.
    await writeFile(path.join(context, 'kept.txt'), `kept ${Date.now()}\n`);
    await writeFile(path.join(context, 'secret.env'), 'nope\n');
    await writeFile(path.join(context, '.dockerignore'), '*.env\nDockerfile\n');
    await writeFile(
      path.join(context, 'Dockerfile'),
      [
        `FROM ${images.static}`,
        'COPY . /ctx/',
        'RUN ["/bin/busybox", "test", "-f", "/ctx/kept.txt"]',
        'RUN ["/bin/busybox", "sh", "-c", "echo checking; ! /bin/busybox test -e /ctx/secret.env"]',
        'RUN ["/bin/busybox", "sh", "-c", "echo about to fail; exit 7"]',
        '',
      ].join('\n'),
    );
    const tag = `rise-test/dockerfile-fail:${Date.now()}`;
    tags.push(tag);
    const lines: string[] = [];
    const error = await createBuilder('dockerfile', { docker })
      .build({ context, tag, labels: LABELS, onLog: (line) => lines.push(line) })
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(BuildError);
    // The engine counts the labels as one more step.
    expect(error.message).toMatch(
      /failed at Step 5\/\d+ : RUN \["\/bin\/busybox", "sh", "-c", "echo about to fail; exit 7"\]/,
    );
    expect(error.message).toContain('returned a non-zero code: 7');
    expect(lines).toContain('checking');
    expect(lines).toContain('about to fail');
  }, 120_000);
});
