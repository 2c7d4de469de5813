/**
 * The app benches deploy: Debian's Caddy binary (and the libraries it links) in a `FROM scratch`
 * image, run as `caddy respond` on port 8080. Every path and method answers 200 with the image's
 * version as body; it keeps connections alive and drains on SIGTERM like a production web server.
 * Built locally (no registry is reachable); carries rise.test=bench.
 */

import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type Dockerode from 'dockerode';
import { findExecutable } from '../../src/server/platform/local-caddy';
import { PROJECT_IMAGE_LABEL } from '../../src/shared/builders/types';

const exec = promisify(execFile);

/** Caddy's binary and the shared libraries it links (none for a static build), as [host path, image path]. */
async function caddyFiles(): Promise<[string, string][]> {
  const binary = findExecutable('caddy');
  if (!binary)
    throw new Error(
      'caddy is not on the PATH: the bench app is Caddy in an image (Debian: apt-get install caddy)',
    );
  const { stdout } = await exec('ldd', [binary]).catch(() => ({ stdout: '' }));
  const libraries = [...stdout.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g)].map((match) => match[1] as string);
  return [[binary, '/bin/caddy'], ...libraries.map((library): [string, string] => [library, library])];
}

export const APP_PORT = 8080;
export const BENCH_LABEL = 'rise.test=bench';

async function build(docker: Dockerode, tag: string, files: [string, string][], dockerfile: string[]) {
  const context = await mkdtemp(path.join(tmpdir(), 'rise-bench-image-'));
  try {
    await writeFile(path.join(context, 'Dockerfile'), `${dockerfile.join('\n')}\n`);
    const src = ['Dockerfile'];
    for (const [index, [from]] of files.entries()) {
      await copyFile(from, path.join(context, `file${index}`));
      src.push(`file${index}`);
    }
    const stream = await docker.buildImage({ context, src }, { t: tag, rm: true, forcerm: true });
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (error: Error | null, events: { error?: string }[]) => {
        const failure = error?.message ?? events.find((event) => event.error)?.error;
        if (failure) reject(new Error(`docker build of ${tag} failed: ${failure}`));
        else resolve();
      }),
    );
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

/** The app image answering `version`, labelled for `project` (Rise runs local images only for it). */
export async function appImage(
  docker: Dockerode,
  project: string,
  version: string,
  images: Set<string>,
): Promise<string> {
  const tag = `rise-bench/app-${project}:${version.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
  const files = await caddyFiles();
  await build(docker, tag, files, [
    'FROM scratch',
    // Layers shared by every project's image (the build cache): the label comes after them.
    ...files.map(([, to], index) => `COPY file${index} ${to}`),
    'ENV HOME=/tmp XDG_CONFIG_HOME=/tmp XDG_DATA_HOME=/tmp',
    `LABEL ${BENCH_LABEL} ${PROJECT_IMAGE_LABEL}=${project}`,
    `CMD ["/bin/caddy", "respond", "--listen", ":${APP_PORT}", "--body", ${JSON.stringify(version)}]`,
  ]);
  images.add(tag);
  return tag;
}
