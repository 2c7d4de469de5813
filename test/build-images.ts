import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import type { BaseImages } from '../src/shared/builders/auto/generate';

// Local stand-ins for the base images the `auto` builder generates Dockerfiles from. No registry is
// reachable in tests, so nothing may be pulled:
// - a Debian bookworm root filesystem made by `debootstrap --variant=minbase` and `docker import`ed;
// - Node: that Debian plus Debian's `nodejs` package (no npm: the generated Dockerfile runs
//   `node <file>` directly when the start script is that simple and skips `npm ci` without dependencies);
// - a static file server: `FROM scratch` + the static busybox, serving /srv with `httpd`.
// Each is built once and reused while the image exists. Every image carries the label rise.test=1.

export const TEST_DEBIAN_IMAGE = 'rise-test/debian:bookworm';
export const TEST_NODE_IMAGE = 'rise-test/node:20';
export const TEST_STATIC_IMAGE = 'rise-test/static:1';

const LABEL = 'rise.test';
const DEBIAN_MIRROR = 'http://deb.debian.org/debian';

/** Base-image configuration for the auto builder that uses only the local test images. */
export const testBaseImages: Partial<BaseImages> = {
  node: TEST_NODE_IMAGE,
  runtime: TEST_DEBIAN_IMAGE,
  static: TEST_STATIC_IMAGE,
  staticRoot: '/srv',
  staticCommand: ['/bin/busybox', 'httpd', '-f', '-p', '8080', '-h', '/srv'],
};

/** Builds (or reuses) every local base image; returns the configuration that points at them. */
export async function buildTestBaseImages(
  options: { docker?: Dockerode; log?: (line: string) => void } = {},
): Promise<Partial<BaseImages>> {
  const docker = options.docker ?? new Dockerode();
  const log = options.log ?? (() => {});
  await Promise.all([
    buildDebianBase(docker, log).then(() => buildNodeImage(docker, log)),
    buildStaticServerImage(docker, log),
  ]);
  return testBaseImages;
}

async function imageExists(docker: Dockerode, tag: string): Promise<boolean> {
  return docker
    .getImage(tag)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

/** `debootstrap --variant=minbase bookworm` into a temporary directory, imported as an image (~40 s). */
export async function buildDebianBase(docker: Dockerode, log: (line: string) => void = () => {}) {
  if (await imageExists(docker, TEST_DEBIAN_IMAGE)) return TEST_DEBIAN_IMAGE;
  const root = await mkdtemp(path.join(tmpdir(), 'rise-test-debootstrap-'));
  try {
    log(`debootstrap bookworm into ${root}`);
    await run('debootstrap', ['--variant=minbase', 'bookworm', root, DEBIAN_MIRROR], log);
    // Smaller image and no stale package lists; apt-get update in the derived images fetches them.
    await run('sh', ['-c', 'rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*', 'sh', root]);
    const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const importer = spawn(
      'docker',
      ['import', '--change', `LABEL ${LABEL}=1`, '--change', 'CMD ["/bin/bash"]', '-', TEST_DEBIAN_IMAGE],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    tar.stdout.pipe(importer.stdin);
    const [tarCode, importCode] = await Promise.all([exitCode(tar), exitCode(importer)]);
    if (tarCode !== 0 || importCode !== 0) {
      throw new Error(
        `importing the debootstrap root failed (tar exit ${tarCode}, docker import exit ${importCode})`,
      );
    }
    return TEST_DEBIAN_IMAGE;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function buildNodeImage(docker: Dockerode, log: (line: string) => void) {
  if (await imageExists(docker, TEST_NODE_IMAGE)) return TEST_NODE_IMAGE;
  await dockerBuild(docker, TEST_NODE_IMAGE, log, [
    `FROM ${TEST_DEBIAN_IMAGE}`,
    `LABEL ${LABEL}=1`,
    'RUN apt-get update && apt-get install -y --no-install-recommends nodejs && rm -rf /var/lib/apt/lists/*',
  ]);
  return TEST_NODE_IMAGE;
}

async function buildStaticServerImage(docker: Dockerode, log: (line: string) => void) {
  if (await imageExists(docker, TEST_STATIC_IMAGE)) return TEST_STATIC_IMAGE;
  await dockerBuild(
    docker,
    TEST_STATIC_IMAGE,
    log,
    [
      'FROM scratch',
      `LABEL ${LABEL}=1`,
      'COPY busybox /bin/busybox',
      'WORKDIR /srv',
      'EXPOSE 8080',
      'CMD ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/srv"]',
    ],
    { busybox: '/bin/busybox' },
  );
  return TEST_STATIC_IMAGE;
}

export async function dockerBuild(
  docker: Dockerode,
  tag: string,
  log: (line: string) => void,
  dockerfile: string[],
  copies: Record<string, string> = {},
) {
  const context = await mkdtemp(path.join(tmpdir(), 'rise-test-base-'));
  try {
    await writeFile(path.join(context, 'Dockerfile'), `${dockerfile.join('\n')}\n`);
    for (const [name, source] of Object.entries(copies)) {
      await run('cp', [source, path.join(context, name)]);
    }
    const stream = await docker.buildImage(
      { context, src: ['Dockerfile', ...Object.keys(copies)] },
      { t: tag, rm: true, forcerm: true },
    );
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (error: Error | null, events: { error?: string }[]) => {
          const failure = error?.message ?? events.find((event) => event.error)?.error;
          if (failure) reject(new Error(`docker build of ${tag} failed: ${failure}`));
          else resolve();
        },
        (event: { stream?: string }) => {
          for (const line of (event.stream ?? '').split('\n')) if (line.trim()) log(line);
        },
      );
    });
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

function exitCode(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
}

async function run(command: string, args: string[], log: (line: string) => void = () => {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    tail = (tail + text).slice(-4000);
    for (const line of text.split('\n')) if (line.trim()) log(line);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const code = await exitCode(child);
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}\n${tail}`);
}

// `npx tsx test/build-images.ts` builds the images ahead of a test run.
if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  await buildTestBaseImages({ log: (line) => console.log(line) });
  console.log(`test base images ready in ${Math.round((Date.now() - started) / 1000)} s`);
}
