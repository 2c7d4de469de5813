/**
 * `npm start` (scripts/start.ts) end to end: with no DATABASE_URL it runs an embedded PostgreSQL in
 * RISE_DATA_DIR, migrates it, runs the image registry (Debian's docker-registry) with Rise's token auth,
 * serves the dashboard and runs the worker, and stops all of it on Ctrl+C. One start per data dir.
 * Needs a Next build in .next/; without one the script builds it first (slow, but within the timeouts).
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/server/platform/free-port';
import { httpApi, signUpLocally } from './api-client';
import { launchChromium } from './browser';
import { buildBusyboxBaseImage } from './busybox-base-image';
import { removeInstanceResources, TEST_SUBNET_POOL } from './docker-networks';
import { getThroughProxy } from './http-through-proxy';
import { buildTestAppImage } from './images';
import { claimPortBlock } from './port-blocks';
import {
  cleanUpStarts,
  descendants,
  isAlive,
  processesMatching,
  type RunningRise,
  repoRoot,
  startEnv,
  startRise,
} from './rise-start-process';
import { runInShell } from './run-in-shell';
import { StopWaiting, waitFor } from './wait';

const START_TIMEOUT = 180_000;
const STOP_TIMEOUT = 60_000;

/** Polls `url` until it answers `status` (each request bounded), failing early if `process` exits. */
async function waitForHttp(url: string, running: RunningRise, timeoutMs: number): Promise<Response> {
  return waitFor(
    async () => {
      if (running.exit() !== undefined) {
        throw new StopWaiting(`start exited (${running.exit()}) before ${url} answered\n${running.output()}`);
      }
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'manual' }).catch(
        (error: Error) => {
          throw new Error(String(error.cause ?? error));
        },
      );
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      return response;
    },
    { description: `${url} to answer 200`, timeoutMs, intervalMs: 250, context: () => running.output() },
  );
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(5_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Runs `command` with `args` (stdin from `input`) and collects its output. */
function run(
  command: string,
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

const tempDirs: string[] = [];
const dockerTags: string[] = [];
const started: RunningRise[] = [];
const knownPids = new Set<number>();

afterAll(async () => {
  await cleanUpStarts(started, tempDirs, knownPids);
  if (dockerTags.length) spawnSync('docker', ['rmi', ...dockerTags], { stdio: 'ignore' });
}, 60_000);

describe('npm start with embedded PostgreSQL', () => {
  let dataDir: string;
  let port: number;
  let registryHost: string;
  let env: NodeJS.ProcessEnv;
  let rise: RunningRise;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'rise-start-'));
    tempDirs.push(dataDir);
    port = await freePort();
    registryHost = `127.0.0.1:${await freePort()}`;
    env = startEnv({
      RISE_DATA_DIR: dataDir,
      PORT: String(port),
      RISE_URL: `http://127.0.0.1:${port}`,
      RISE_PROXY_HTTP_PORT: String(await freePort()),
      RISE_REGISTRY_HOST: registryHost,
    });
    rise = startRise(env);
    started.push(rise);
    await waitForHttp(`http://127.0.0.1:${port}/signin`, rise, START_TIMEOUT - 10_000);
  }, START_TIMEOUT);

  it('serves the sign-in page with a password form (no OIDC configured)', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/signin`, { signal: AbortSignal.timeout(30_000) });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Sign in to Rise');
    expect(html).toMatch(/<form[^>]*action="\/api\/local-auth"/);
    expect(html).toMatch(/<input[^>]*type="password"/);
    expect(html).not.toContain('Continue with');
    expect(rise.stdout()).toContain('local accounts are on');
  });

  it('reports healthy, with its database reachable', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/api/health`, {
      signal: AbortSignal.timeout(30_000),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('keeps its secrets and PostgreSQL cluster in the data directory', () => {
    const secrets = path.join(dataDir, 'secrets.json');
    expect(existsSync(secrets)).toBe(true);
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    const parsed = JSON.parse(readFileSync(secrets, 'utf8'));
    expect(Object.keys(parsed).sort()).toEqual(['authSecret', 'encryptionKey', 'postgresPassword']);
    expect(existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(processesMatching(dataDir).length).toBeGreaterThan(0);
  });

  it("runs the registry, which asks for a token from Rise's token endpoint", async () => {
    const response = await fetch(`http://${registryHost}/v2/`, { signal: AbortSignal.timeout(10_000) });
    expect(response.status).toBe(401);
    // RISE_URL with 127.0.0.1 is normalized to localhost, the host Rise's cookies and OIDC use.
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer realm="http://localhost:${port}/api/registry/token",service="rise-registry"`,
    );
    expect(existsSync(path.join(dataDir, 'registry', 'data'))).toBe(true);
    expect(existsSync(path.join(dataDir, 'registry', 'registry.log'))).toBe(true);
    expect(rise.stdout()).toContain(`[rise] registry at ${registryHost}`);
  });

  it('lets docker log in with a token from Rise and push an image to the project repository', async () => {
    const cookie = await signUpLocally(`http://127.0.0.1:${port}`, {
      email: 'admin@example.com',
      password: 'correct horse battery staple',
      name: 'Admin',
    });
    const api = httpApi(`http://127.0.0.1:${port}`, { cookie });
    const project = `start-push-${process.pid}`;
    await api.project.create.mutate({ name: project });
    const credentials = await api.registry.credentials.mutate({ project });
    expect(credentials).toMatchObject({ host: registryHost, repository: project });

    // The token endpoint the registry points at grants this project's repository, and the registry takes it.
    const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
    const tokenResponse = await fetch(
      `http://127.0.0.1:${port}/api/registry/token?service=rise-registry&scope=repository:${project}:push,pull`,
      { headers: { authorization: `Basic ${basic}` }, signal: AbortSignal.timeout(30_000) },
    );
    expect(tokenResponse.status).toBe(200);
    const { token } = (await tokenResponse.json()) as { token: string };
    const withToken = await fetch(`http://${registryHost}/v2/`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    expect(withToken.status).toBe(200);

    const image = await buildTestAppImage({ tag: 'rise-test/start-push:v1', version: 'start' });
    const reference = `${registryHost}/${project}:v1`;
    const tagged = await run('docker', ['tag', image, reference]);
    expect(tagged.code, tagged.stderr).toBe(0);
    dockerTags.push(reference);
    const config = mkdtempSync(path.join(tmpdir(), 'rise-start-docker-'));
    tempDirs.push(config);
    const login = await run(
      'docker',
      ['--config', config, 'login', registryHost, '-u', credentials.username, '--password-stdin'],
      { input: credentials.password },
    );
    expect(login.code, login.stderr).toBe(0);
    const push = await run('docker', ['--config', config, 'push', reference]);
    expect(push.code, `${push.stdout}\n${push.stderr}`).toBe(0);
    expect(push.stdout).toMatch(/v1: digest: sha256:[0-9a-f]{64}/);
  }, 180_000);

  it('refuses a second npm start on the same data directory, naming the process that holds it', async () => {
    const second = startRise({ ...env, PORT: String(await freePort()) });
    started.push(second);
    const code = await second.waitForExit(60_000);
    expect(code, second.output()).toBe(1);
    expect(second.stderr()).toContain(
      `[rise] failed to start: Rise is already running on the data directory ${dataDir}: process ${rise.child.pid} `,
    );
    expect(second.stderr()).toContain(`\`kill ${rise.child.pid}\``);
    expect(second.output()).not.toContain('undefined');
    expect(second.stdout()).not.toContain('starting embedded PostgreSQL');
    // The first one is untouched.
    expect(rise.exit()).toBeUndefined();
    expect(JSON.parse(readFileSync(path.join(dataDir, 'rise.pid'), 'utf8')).pid).toBe(rise.child.pid);
  }, 70_000);

  it('runs the worker', async () => {
    await waitFor(
      () => {
        if (rise.exit() !== undefined) throw new StopWaiting(`rise start exited (${rise.exit()})`);
        return rise.stdout().includes('[worker] worker ready');
      },
      { description: 'the worker to be ready', timeoutMs: 60_000, context: () => rise.output() },
    );
    expect(rise.stdout(), rise.output()).toContain(
      '[worker] worker ready: queues deploy, stop, project-delete, reconcile, cleanup',
    );
  }, 70_000);

  it(
    'stops everything and exits 0 on SIGINT',
    async () => {
      const pid = rise.child.pid as number;
      const children = descendants(pid);
      for (const child of children) knownPids.add(child);
      expect(children.length).toBeGreaterThan(0);

      expect(rise.child.kill('SIGINT')).toBe(true);
      const code = await rise.waitForExit(STOP_TIMEOUT);
      expect(code, rise.output()).toBe(0);
      expect(rise.stdout()).toContain('[rise] stopping...');
      expect(rise.stdout()).toContain('[rise] stopped');
      // Children first, PostgreSQL last: the worker never sees its database shut down under it.
      expect(rise.stdout().indexOf('[worker] stopped')).toBeGreaterThan(-1);
      expect(rise.stdout().indexOf('[worker] stopped')).toBeLessThan(rise.stdout().indexOf('[rise] stopped'));
      expect(rise.output()).not.toContain('terminating connection due to administrator command');

      expect(await isListening(port)).toBe(false);
      expect(await isListening(Number(registryHost.split(':')[1]))).toBe(false);
      expect(existsSync(path.join(dataDir, 'rise.pid'))).toBe(false);
      expect(processesMatching(dataDir)).toEqual([]);
      expect(children.filter(isAlive)).toEqual([]);
    },
    STOP_TIMEOUT + 15_000,
  );
});

describe('npm start with an invalid variable', () => {
  it('exits 1 before starting anything, naming the variable', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'rise-start-invalid-'));
    tempDirs.push(dataDir);
    const port = await freePort();
    const rise = startRise(
      startEnv({
        RISE_DATA_DIR: dataDir,
        PORT: String(port),
        RISE_URL: `http://127.0.0.1:${port}`,
        RISE_LOCAL_AUTH: 'maybe',
      }),
    );
    started.push(rise);
    const code = await rise.waitForExit(30_000);
    expect(code, rise.output()).toBe(1);
    expect(rise.stderr()).toContain('RISE_LOCAL_AUTH');
    expect(rise.stderr()).toContain('Invalid environment');
    expect(rise.stdout()).not.toContain('starting embedded PostgreSQL');
    expect(existsSync(path.join(dataDir, 'postgres'))).toBe(false);
  }, 40_000);
});

describe('npm start with the registry port taken', () => {
  it('exits 1 before starting anything, naming the port and how to change it', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'rise-start-taken-'));
    tempDirs.push(dataDir);
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      const port = await freePort();
      const rise = startRise(
        startEnv({
          RISE_DATA_DIR: dataDir,
          PORT: String(port),
          RISE_URL: `http://127.0.0.1:${port}`,
          RISE_REGISTRY_HOST: `127.0.0.1:${taken}`,
        }),
      );
      started.push(rise);
      const code = await rise.waitForExit(30_000);
      expect(code, rise.output()).toBe(1);
      expect(rise.stderr()).toContain(
        `[rise] failed to start: port ${taken} of RISE_REGISTRY_HOST (127.0.0.1:${taken}) is already in use`,
      );
      expect(rise.stderr()).toContain('RISE_REGISTRY_HOST=127.0.0.1:5001 npm start');
      expect(rise.stdout()).not.toContain('starting embedded PostgreSQL');
      expect(existsSync(path.join(dataDir, 'rise.pid'))).toBe(false);
    } finally {
      blocker.close();
    }
  }, 40_000);
});

describe('the rise CLI from the checkout', () => {
  it('runs as `npx rise` after npm ci (postinstall builds it)', async () => {
    const result = await run('npx', ['rise', '--help'], { timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Usage: rise');
    expect(result.stderr).not.toContain('ESTRICTALLOWSCRIPTS');
  }, 70_000);
});

/** A PATH like this process's, without `name`: a directory of links to every other program on it. */
function pathWithout(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rise-start-path-'));
  tempDirs.push(dir);
  for (const entry of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    let programs: string[] = [];
    try {
      programs = readdirSync(entry);
    } catch {
      continue;
    }
    for (const program of programs) {
      if (program === name || existsSync(path.join(dir, program))) continue;
      symlinkSync(path.join(entry, program), path.join(dir, program));
    }
  }
  return dir;
}

describe('npm start without docker-registry, and with PostgreSQL unable to start', () => {
  it('says once what will not work without the registry, and prints why PostgreSQL failed', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'rise-start-noregistry-'));
    tempDirs.push(dataDir);
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const postgresPort = (blocker.address() as AddressInfo).port;
    try {
      const port = await freePort();
      const rise = startRise(
        startEnv({
          PATH: pathWithout('docker-registry'),
          RISE_DATA_DIR: dataDir,
          PORT: String(port),
          RISE_URL: `http://127.0.0.1:${port}`,
          RISE_REGISTRY_HOST: `127.0.0.1:${await freePort()}`,
          RISE_EMBEDDED_POSTGRES_PORT: String(postgresPort),
        }),
      );
      started.push(rise);
      const code = await rise.waitForExit(60_000);
      expect(code, rise.output()).toBe(1);
      const missing =
        '[rise] docker-registry not found on PATH: `rise d c` from a Dockerfile or source cannot push images, ' +
        'so only deployments of existing images work. Install it (Debian: apt-get install docker-registry).';
      expect(rise.stdout().split(missing).length - 1, rise.output()).toBe(1);
      expect(rise.stderr()).toContain(
        `[rise] failed to start: PostgreSQL exited while starting in ${path.join(dataDir, 'postgres')} on 127.0.0.1:${postgresPort}`,
      );
      expect(rise.stderr()).not.toContain('failed to start: undefined');
      expect(existsSync(path.join(dataDir, 'rise.pid'))).toBe(false);
    } finally {
      blocker.close();
    }
  }, 70_000);
});

/**
 * The first hour, exactly as a newcomer lives it: a fresh data dir, `npm start`, the first account
 * made on the sign-in page in a real browser, `npx rise login` approved in that browser, `rise p c`,
 * and `rise d c` in a folder holding only a Dockerfile. The CLI builds, pushes to the registry
 * `npm start` runs, deploys, and the URL it prints answers through the Caddy `npm start` runs.
 */
describe('the first hour: npm start, sign up, rise login, rise d c from a Dockerfile', () => {
  const instanceId = `test-journey-${process.pid}`;
  const project = 'first-app';
  const docker = new Dockerode();
  let rise: RunningRise;
  let browser: Browser;
  let page: Page;
  let riseUrl: string;
  let appsPort: number;
  let registryHost: string;
  let home: string;
  let appDir: string;
  let cliEnv: Record<string, string>;

  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'rise-journey-'));
    home = mkdtempSync(path.join(tmpdir(), 'rise-journey-home-'));
    appDir = mkdtempSync(path.join(tmpdir(), 'rise-journey-app-'));
    tempDirs.push(dataDir, home, appDir);
    const port = await freePort();
    appsPort = await freePort();
    registryHost = `127.0.0.1:${await freePort()}`;
    const slots = await claimPortBlock();
    rise = startRise(
      startEnv({
        RISE_DATA_DIR: dataDir,
        // Only the ports, as `PORT=… npm start` in the README: everything else is derived from them.
        PORT: String(port),
        RISE_PROXY_HTTP_PORT: String(appsPort),
        RISE_REGISTRY_HOST: registryHost,
        // Test hygiene on a machine shared with other test runs: this installation's own labels,
        // app ports and network addresses.
        RISE_INSTANCE_ID: instanceId,
        RISE_APP_PORT_RANGE: slots.range,
        RISE_DOCKER_SUBNET_POOL: TEST_SUBNET_POOL,
      }),
    );
    started.push(rise);

    // A folder with only a Dockerfile, of an app that listens on the port Rise gives it.
    const base = await buildBusyboxBaseImage(docker);
    writeFileSync(
      path.join(appDir, 'Dockerfile'),
      [
        `FROM ${base}`,
        'RUN mkdir /www && echo "hello from the first hour" > /www/index.html',
        'CMD exec httpd -f -p "$PORT" -h /www',
        '',
      ].join('\n'),
    );
    // `rise` on the PATH as the README says: a link to cli/dist/rise.js in a bin directory.
    const bin = path.join(home, 'bin');
    mkdirSync(bin);
    symlinkSync(path.join(repoRoot, 'cli', 'dist', 'rise.js'), path.join(bin, 'rise'));
    cliEnv = {
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      CI: 'true',
    };

    browser = await launchChromium();
    page = await browser.newPage();
    await waitForHttp(`http://127.0.0.1:${port}/signin`, rise, START_TIMEOUT - 10_000);
    riseUrl = /\[rise\] Rise is starting at (\S+)/.exec(rise.stdout())?.[1] ?? '';
    expect(riseUrl, rise.output()).toBe(`http://localhost:${port}`);
  }, START_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    if (rise && rise.exit() === undefined) {
      rise.child.kill('SIGINT');
      await rise.waitForExit(STOP_TIMEOUT).catch(() => undefined);
    }
    await removeInstanceResources(docker, instanceId);
    const pushed = await docker.listImages({ filters: { reference: [`${registryHost}/${project}`] } });
    for (const image of pushed)
      await docker
        .getImage(image.Id)
        .remove({ force: true })
        .catch(() => undefined);
  }, STOP_TIMEOUT + 30_000);

  it('creates the first account on the sign-in page, which opens in sign-up mode', async () => {
    await page.goto(`${riseUrl}/signin`);
    await page.getByText('Create the first account: it becomes the platform admin.').waitFor();
    expect(await page.locator('input[name="mode"]').getAttribute('value')).toBe('signup');
    await page.getByLabel('Name', { exact: true }).fill('Niklas Newcomer');
    await page.getByLabel('Email', { exact: true }).fill('niklas@example.test');
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60_000 });
    expect(new URL(page.url()).origin).toBe(riseUrl);
  }, 90_000);

  it('`npx rise login` prints a URL; approving it in the browser logs the CLI in', async () => {
    // The approval's failure, if any, is reported after the CLI exits (never an unhandled rejection).
    let approval: Promise<unknown> | undefined;
    const login = runInShell('npx', ['rise', 'login', '--url', riseUrl], {
      cwd: repoRoot,
      env: cliEnv,
      timeoutMs: 120_000,
      onStderr: (stderr) => {
        const url = /Please login to rise at (\S+)/.exec(stderr)?.[1];
        if (url && !approval)
          approval = approveInBrowser(url).then(
            () => null,
            (error: unknown) => error,
          );
      },
    });
    const result = await login;
    expect(await approval).toBeNull();
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^Please login to rise at ${riseUrl}/cli/login\\?code=[A-Z]{4}-[A-Z]{4}$`),
    );
    expect(lines.at(-1)).toBe('Login successful! Welcome back, Niklas!');
    const whoami = await runInShell('rise', ['whoami'], { env: cliEnv, cwd: appDir });
    expect(whoami.stdout.trim()).toBe(`user:niklas (niklas@example.test) at ${riseUrl}`);
  }, 150_000);

  async function approveInBrowser(url: string): Promise<void> {
    await page.goto(url);
    const code = new URL(url).searchParams.get('code') ?? '';
    expect(await page.getByTestId('user-code').textContent()).toBe(code);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Login approved. You can return to your terminal.').waitFor({ timeout: 30_000 });
  }

  it('`rise p c` creates the project', async () => {
    const result = await runInShell('rise', ['p', 'c', project], { env: cliEnv, cwd: appDir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.trim()).toBe(
      `Created project '${project}' with public visibility owned by user:niklas.`,
    );
  }, 60_000);

  it('`rise d c` in the Dockerfile folder builds, pushes, deploys, and the URL it prints answers', async () => {
    const result = await runInShell('rise', ['d', 'c', project], {
      env: cliEnv,
      cwd: appDir,
      timeoutMs: 300_000,
    });
    expect(result.code, `${result.stdout}\n${result.stderr}\n${rise.output()}`).toBe(0);
    const url = `http://${project}.localhost:${appsPort}`;
    expect(result.stderr.trim().split('\n')).toEqual([
      `Building container image '${registryHost}/${project}:latest' using auto...`,
      `Pushing container image to ${registryHost}...`,
      `Deploying '${project}' ...`,
      `Deployment successful! Your app is now running at ${url}`,
    ]);
    // The printed URL, as a browser resolves *.localhost: to 127.0.0.1, with the URL's host name.
    const printed = new URL(/running at (\S+)$/.exec(result.stderr.trim())?.[1] ?? '');
    const response = await getThroughProxy(Number(printed.port), printed.hostname);
    expect(response.status, response.body).toBe(200);
    expect(response.body).toBe('hello from the first hour\n');
  }, 320_000);
});
