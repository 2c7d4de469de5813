import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { PROJECT_IMAGE_LABEL } from '../src/shared/builders/types';
import { buildTestDatabaseImage } from './database-images';

// Images for integration tests, built locally (no registry is reachable): `FROM scratch` plus the
// static busybox from Debian's busybox-static (buildPsqlAppImage: the test postgres image plus that
// busybox). Every image carries the label rise.test=1.

const BUSYBOX = '/bin/busybox';
export const TEST_APP_PORT = 8080;
const TEST_IMAGE_LABEL = 'rise.test';
const RECIPE_LABEL = 'rise.test.recipe';

const builds = new Map<string, Promise<string>>();

/**
 * An HTTP app on port 8080 (busybox httpd, request lines logged to stderr): `/` answers `version`,
 * `/health` answers 200 when `healthy`, else 404. Built once per tag.
 *
 * It shuts down like a well-behaved web server: on SIGTERM it stops accepting connections and lets
 * requests in flight finish (httpd serves each connection in a child process) before exiting. Rise
 * sends SIGTERM and waits RISE_STOP_GRACE_MS, so apps that drain this way lose no request.
 */
export function buildTestAppImage(options: {
  tag: string;
  version: string;
  healthy?: boolean;
  /** Also answer `POST /cgi-bin/version` (reads the body, answers `version`): busybox serves files only to GET. */
  post?: boolean;
  docker?: Dockerode;
}): Promise<string> {
  const { tag, version, healthy = true } = options;
  const files: Record<string, string> = { 'www/index.html': `${version}\n` };
  if (healthy) files['www/health'] = 'ok\n';
  if (options.post) {
    files['www/cgi-bin/version'] = [
      '#!/bin/busybox sh',
      '/bin/busybox cat > /dev/null',
      `printf 'Content-Type: text/plain\\r\\n\\r\\n${version}\\n'`,
      '',
    ].join('\n');
  }
  return buildOnce(options.docker, tag, {
    files,
    dockerfile: [
      'FROM scratch',
      `LABEL ${TEST_IMAGE_LABEL}=1`,
      'COPY busybox /bin/busybox',
      'COPY www /www',
      ...(options.post ? ['RUN ["/bin/busybox", "chmod", "755", "/www/cgi-bin/version"]'] : []),
      `EXPOSE ${TEST_APP_PORT}`,
      `CMD ["/bin/busybox", "sh", "-c", ${JSON.stringify(GRACEFUL_HTTPD)}]`,
    ],
  });
}

const GRACEFUL_HTTPD = [
  `/bin/busybox httpd -f -vv -p ${TEST_APP_PORT} -h /www & pid=$!;`,
  "trap '/bin/busybox kill -TERM $pid; /bin/busybox sleep 1; exit 0' TERM INT;",
  'wait $pid',
].join(' ');

/**
 * An app that knows no port of its own (a Dockerfile app following the Heroku/Render convention):
 * busybox httpd listens on `$PORT` from its environment, `/` answers `version`, `/health` answers 200.
 * Without PORT it cannot start (`httpd -p ''` fails), so it proves the runtime tells it the port.
 */
export function buildPortReadingAppImage(tag: string, version: string, docker?: Dockerode): Promise<string> {
  return buildOnce(docker, tag, {
    files: { 'www/index.html': `${version}\n`, 'www/health': 'ok\n' },
    dockerfile: [
      'FROM scratch',
      `LABEL ${TEST_IMAGE_LABEL}=1`,
      'COPY busybox /bin/busybox',
      'COPY www /www',
      `CMD ["/bin/busybox", "sh", "-c", ${JSON.stringify('echo "listening on port $PORT"; exec /bin/busybox httpd -f -vv -p "$PORT" -h /www')}]`,
    ],
  });
}

/**
 * An app that shows part of its environment: at start it writes `NAME=value` for each of `names` to
 * `/env` (an unset var as `NAME=`), then serves like buildTestAppImage (`/` answers `version`).
 */
export function buildEnvShowingAppImage(
  tag: string,
  version: string,
  names: string[],
  docker?: Dockerode,
): Promise<string> {
  const write = names.map((name) => `echo "${name}=$${name}" >> /www/env;`).join(' ');
  return buildOnce(docker, tag, {
    files: { 'www/index.html': `${version}\n`, 'www/health': 'ok\n' },
    dockerfile: [
      'FROM scratch',
      `LABEL ${TEST_IMAGE_LABEL}=1`,
      'COPY busybox /bin/busybox',
      'COPY www /www',
      `EXPOSE ${TEST_APP_PORT}`,
      `CMD ["/bin/busybox", "sh", "-c", ${JSON.stringify(`${write} ${GRACEFUL_HTTPD}`)}]`,
    ],
  });
}

/** A container that prints one line and exits with code 1. */
export function buildCrashingImage(tag: string, docker?: Dockerode): Promise<string> {
  return buildOnce(docker, tag, {
    files: {},
    dockerfile: [
      'FROM scratch',
      `LABEL ${TEST_IMAGE_LABEL}=1`,
      'COPY busybox /bin/busybox',
      'CMD ["/bin/busybox", "sh", "-c", "echo crashing on purpose; exit 1"]',
    ],
  });
}

/**
 * Serves like buildTestAppImage (`/health` answers 200), then prints `fatal: lost the database` and
 * exits with code 1: after 3 s on its first start (time to be deployed), after 1 s on every later one.
 */
export function buildCrashLoopImage(tag: string, docker?: Dockerode): Promise<string> {
  const script = [
    `/bin/busybox httpd -f -p ${TEST_APP_PORT} -h /www &`,
    'if [ -e /booted ]; then /bin/busybox sleep 1;',
    'else /bin/busybox touch /booted; /bin/busybox sleep 3; fi;',
    'echo "fatal: lost the database";',
    'exit 1',
  ].join(' ');
  return buildOnce(docker, tag, {
    files: { 'www/index.html': 'crash loop\n', 'www/health': 'ok\n' },
    dockerfile: [
      'FROM scratch',
      `LABEL ${TEST_IMAGE_LABEL}=1`,
      'COPY busybox /bin/busybox',
      'COPY www /www',
      `EXPOSE ${TEST_APP_PORT}`,
      `CMD ["/bin/busybox", "sh", "-c", ${JSON.stringify(script)}]`,
    ],
  });
}

/** Fails its first start (exit 1), then serves like buildTestAppImage: a dependency that was not up yet. */
export function buildCrashOnceImage(tag: string, docker?: Dockerode): Promise<string> {
  const script = [
    'if [ -e /booted ]; then',
    `exec /bin/busybox httpd -f -vv -p ${TEST_APP_PORT} -h /www;`,
    'fi;',
    '/bin/busybox touch /booted;',
    'echo first start fails;',
    'exit 1',
  ].join(' ');
  return buildOnce(docker, tag, {
    files: { 'www/index.html': 'second start\n', 'www/health': 'ok\n' },
    dockerfile: [
      'FROM scratch',
      `LABEL ${TEST_IMAGE_LABEL}=1`,
      'COPY busybox /bin/busybox',
      'COPY www /www',
      `CMD ["/bin/busybox", "sh", "-c", ${JSON.stringify(script)}]`,
    ],
  });
}

/**
 * An app with a shell (busybox's applets in /bin, so `/bin/sh -c` commands run): serves `version` from
 * /www like buildTestAppImage and `override <version>` from /www-override (for a start command). When
 * `STATE_URL` is set, it reads `$STATE_URL/cgi-bin/get` once at startup and serves it as `/state`:
 * what a release command wrote there before this version started (buildStateStoreImage).
 */
export function buildShellAppImage(tag: string, version: string, docker?: Dockerode): Promise<string> {
  const readState = '[ -n "$STATE_URL" ] && wget -qO /www/state "$STATE_URL/cgi-bin/get";';
  return buildOnce(docker, tag, {
    files: {
      'www/index.html': `${version}\n`,
      'www/health': 'ok\n',
      'www-override/index.html': `override ${version}\n`,
      'www-override/health': 'ok\n',
    },
    dockerfile: [
      'FROM scratch',
      `LABEL ${TEST_IMAGE_LABEL}=1`,
      'COPY busybox /bin/busybox',
      'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
      'COPY www /www',
      'COPY www-override /www-override',
      `EXPOSE ${TEST_APP_PORT}`,
      `CMD ["/bin/busybox", "sh", "-c", ${JSON.stringify(`${readState} ${GRACEFUL_HTTPD}`)}]`,
    ],
  });
}

/**
 * A stand-in for an app's database, on port 8080: `POST /cgi-bin/set` stores the body, `GET
 * /cgi-bin/get` answers what was stored last (nothing before the first set).
 */
export function buildStateStoreImage(tag: string, docker?: Dockerode): Promise<string> {
  const header = "printf 'Content-Type: text/plain\\r\\n\\r\\n'";
  return buildOnce(docker, tag, {
    files: {
      'www/cgi-bin/set': ['#!/bin/sh', 'cat > /tmp/state', header, 'echo stored', ''].join('\n'),
      'www/cgi-bin/get': ['#!/bin/sh', header, 'cat /tmp/state 2>/dev/null', ''].join('\n'),
    },
    dockerfile: [
      'FROM scratch',
      `LABEL ${TEST_IMAGE_LABEL}=1`,
      'COPY busybox /bin/busybox',
      'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
      'COPY www /www',
      'RUN ["/bin/busybox", "chmod", "755", "/www/cgi-bin/set", "/www/cgi-bin/get"]',
      'RUN ["/bin/busybox", "mkdir", "-m", "1777", "/tmp"]',
      `CMD ["/bin/busybox", "httpd", "-f", "-p", "${TEST_APP_PORT}", "-h", "/www"]`,
    ],
  });
}

/**
 * An app image with the PostgreSQL client (`psql`) and busybox (`/bin/busybox`, for httpd): the local
 * test postgres image (Debian, bash) without its entrypoint, so a start or release command runs as
 * given. It has no app of its own (it prints psql's version): the start command makes one.
 */
export async function buildPsqlAppImage(tag: string, docker?: Dockerode): Promise<string> {
  const engine = docker ?? new Dockerode();
  const base = await buildTestDatabaseImage('postgres', { docker: engine });
  // The base's id changes the recipe, so a rebuilt base is rebuilt on.
  const baseId = (await engine.getImage(base).inspect()).Id;
  return buildOnce(engine, tag, {
    files: {},
    dockerfile: [
      `FROM ${base}`,
      `LABEL ${TEST_IMAGE_LABEL}=1 rise.test.base=${baseId}`,
      'COPY busybox /bin/busybox',
      'ENTRYPOINT []',
      `EXPOSE ${TEST_APP_PORT}`,
      'CMD ["psql", "--version"]',
    ],
  });
}

type ImageRecipe = { files: Record<string, string>; dockerfile: string[] };

function buildOnce(docker: Dockerode | undefined, tag: string, recipe: ImageRecipe): Promise<string> {
  let build = builds.get(tag);
  if (!build) {
    build = buildIfMissing(docker ?? new Dockerode(), tag, recipe);
    builds.set(tag, build);
    build.catch(() => builds.delete(tag));
  }
  return build;
}

async function buildIfMissing(docker: Dockerode, tag: string, recipe: ImageRecipe): Promise<string> {
  // An image left by an older recipe under the same tag is rebuilt: the recipe's hash is a label.
  const hash = createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 16);
  const present = await docker
    .getImage(tag)
    .inspect()
    .then(
      (image) => image.Config.Labels?.[RECIPE_LABEL] === hash,
      () => false,
    );
  if (present) return tag;
  recipe = { ...recipe, dockerfile: [...recipe.dockerfile, `LABEL ${RECIPE_LABEL}=${hash}`] };
  const context = await mkdtemp(path.join(tmpdir(), 'rise-test-image-'));
  try {
    await writeFile(path.join(context, 'Dockerfile'), `${recipe.dockerfile.join('\n')}\n`);
    await copyFile(BUSYBOX, path.join(context, 'busybox'));
    for (const [name, content] of Object.entries(recipe.files)) {
      await mkdir(path.dirname(path.join(context, name)), { recursive: true });
      await writeFile(path.join(context, name), content);
    }
    const src = ['Dockerfile', 'busybox', ...Object.keys(recipe.files)];
    const stream = await docker.buildImage({ context, src }, { t: tag, rm: true, forcerm: true });
    await followBuild(docker, stream, tag);
    return tag;
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

/** The engine reports build failures inside the progress stream, not as an HTTP status. */
function followBuild(docker: Dockerode, stream: NodeJS.ReadableStream, tag: string): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, events: { error?: string; stream?: string }[]) => {
        const failure = error?.message ?? events.find((event) => event.error)?.error;
        if (!failure) return resolve();
        const output = events.map((event) => event.stream ?? '').join('');
        reject(new Error(`docker build of ${tag} failed: ${failure}\n${output}`));
      },
    );
  });
}

/**
 * `image` labelled for `project` (dev.rise.project=<project>), as `rise d c` builds it: Rise runs an
 * image of the local engine only for the project its label names. Tagged `<repository>-for-<project>`.
 */
export async function imageForProject(image: string, project: string, docker?: Dockerode): Promise<string> {
  const engine = docker ?? new Dockerode();
  const base = (await engine.getImage(image).inspect()).Id;
  const colon = image.lastIndexOf(':');
  const [repository, tag] =
    colon > image.lastIndexOf('/') ? [image.slice(0, colon), image.slice(colon + 1)] : [image, 'latest'];
  return buildOnce(engine, `${repository.replace(/[^a-z0-9]+/g, '-')}-for-${project}:${tag}`, {
    files: {},
    // The base's id changes the recipe, so a rebuilt base is relabelled.
    dockerfile: [`FROM ${image}`, `LABEL ${PROJECT_IMAGE_LABEL}=${project} rise.test.base=${base}`],
  });
}
