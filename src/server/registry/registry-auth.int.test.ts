import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { projectRegistryLogins } from '@/server/domains/registry-logins/project-registry-logins';
import { issueToken } from '@/server/domains/tokens/token.service';
import { freePort } from '@/server/platform/free-port';
import { parseImageReference } from '@/shared/registry/image-reference';
import { httpApi } from '../../../test/api-client';
import { createUser, type TestUser, uniqueName } from '../../../test/fixtures';
import { buildTestAppImage } from '../../../test/images';
import { type NextServer, startNextServer } from '../../../test/next-server';
import { startRegistry, type TestRegistry } from '../../../test/registry';
import { workerPullToken } from './config';
import { createImageResolver } from './image-resolver';
import { signCredential } from './registry-credential';
import { fetchManifestDigest, platformRegistryFetch } from './registry-digest';
import { ensureRegistrySigningKey, type RegistrySigningKey } from './signing-key';

// The real CNCF registry in token-auth mode, Rise's real token endpoint (`next start`) as its realm, and
// the real Docker engine pushing with credentials from `registry.credentials`.

const SERVICE = 'rise-registry-test';
const ISSUER = 'rise-test';
const BASE_IMAGE = 'rise-test/registry-auth:v1';

type Run = { code: number; stdout: string; stderr: string };

function docker(args: string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** What the worker signs for itself when it deploys `project` (registry/config.ts workerPullCredentials). */
const workerCredentials = (project: string) =>
  signCredential(
    key,
    { subject: { kind: 'worker', project }, repository: project, actions: ['pull'], ttlSeconds: 300 },
    ISSUER,
  );

const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

let dataDir: string;
let key: RegistrySigningKey;
let registry: TestRegistry;
let server: NextServer;
let alice: TestUser;
let aliceToken: string;
let projectA: { id: string; name: string };
let projectB: { id: string; name: string };
const configDirs: string[] = [];
const tags: string[] = [];

function dockerConfigDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rise-docker-config-'));
  configDirs.push(dir);
  return dir;
}

async function tag(repository: string, tagName: string): Promise<string> {
  const reference = `${registry.host}/${repository}:${tagName}`;
  const result = await docker(['tag', BASE_IMAGE, reference]);
  expect(result.code, result.stderr).toBe(0);
  tags.push(reference);
  return reference;
}

const login = (config: string, username: string, password: string) =>
  docker(['--config', config, 'login', registry.host, '-u', username, '--password-stdin'], password);

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'rise-registry-auth-'));
  key = await ensureRegistrySigningKey(dataDir);
  const port = await freePort();
  registry = await startRegistry({
    tokenAuth: {
      realm: `http://localhost:${port}/api/registry/token`,
      service: SERVICE,
      issuer: ISSUER,
      rootCertBundle: key.certificatePath,
    },
  });
  server = await startNextServer(
    {
      RISE_DATA_DIR: dataDir,
      RISE_REGISTRY_HOST: registry.host,
      RISE_REGISTRY_SERVICE: SERVICE,
      RISE_REGISTRY_ISSUER: ISSUER,
    },
    port,
  );
  alice = await createUser({ username: uniqueName('alice') });
  const bob = await createUser({ username: uniqueName('bob') });
  projectA = await getDb().project.create({
    data: { name: uniqueName('proj-a'), ownerUserId: alice.id },
    select: { id: true, name: true },
  });
  projectB = await getDb().project.create({
    data: { name: uniqueName('proj-b'), ownerUserId: bob.id },
    select: { id: true, name: true },
  });
  aliceToken = (await issueToken(null, { userId: alice.id, name: 'registry', expiresInDays: 1 })).token;
  await buildTestAppImage({ tag: BASE_IMAGE, version: 'registry-auth' });
}, 180_000);

afterAll(async () => {
  if (tags.length) await docker(['rmi', ...tags]);
  await server?.stop();
  await registry?.stop();
  for (const dir of [dataDir, ...configDirs]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('registry token auth (real registry, real Docker engine)', () => {
  it('pushes with credentials for project A, refuses project B, and reads the digest', async () => {
    const api = httpApi(server.url, { token: aliceToken });
    const credentials = await api.registry.credentials.mutate({ project: projectA.name });
    expect(credentials).toMatchObject({
      host: registry.host,
      repository: projectA.name,
      username: alice.username,
    });
    expect(credentials.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 15 * 60_000 + 1000);
    expect(credentials.expiresAt.getTime()).toBeGreaterThan(Date.now() + 60_000);

    const audit = await getDb().auditEvent.findFirst({
      where: { action: 'registry.credentials', targetName: projectA.name },
    });
    expect(audit).not.toBeNull();
    expect(JSON.stringify(audit)).not.toContain(credentials.password);

    const config = dockerConfigDir();
    const loggedIn = await login(config, credentials.username, credentials.password);
    expect(loggedIn.code, loggedIn.stderr).toBe(0);

    const imageA = await tag(credentials.repository, 'v1');
    const pushed = await docker(['--config', config, 'push', imageA]);
    expect(pushed.code, `${pushed.stderr}\n${registry.output()}`).toBe(0);
    const digest = pushed.stdout.match(/digest: (sha256:[0-9a-f]{64})/)?.[1];
    expect(digest).toBeDefined();

    // The same credentials may not push to another project's repository.
    const imageB = await tag(projectB.name, 'v1');
    const refused = await docker(['--config', config, 'push', imageB]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/denied: requested access to the resource is denied/);

    // The digest, without pulling: with the push credentials, and with the worker's credentials for A,
    // which cannot read B's repository.
    const reference = parseImageReference(imageA);
    const platform = { fetch: platformRegistryFetch };
    expect(await fetchManifestDigest(reference, { credentials, ...platform })).toBe(digest);
    const workerA = await workerCredentials(projectA.name);
    expect(await fetchManifestDigest(reference, { credentials: workerA, ...platform })).toBe(digest);
    const pushedB = await docker(['--config', config, 'push', imageB]);
    expect(pushedB.code).not.toBe(0);
    await expect(
      fetchManifestDigest(parseImageReference(imageB), { credentials: workerA, ...platform }),
    ).rejects.toThrow(/refused the credentials|not found/);
  });

  it("lets the worker read a digest at the registry's internal address, with a token it signs itself", async () => {
    // As in the compose stack: images are named by the public RISE_REGISTRY_HOST (here a name that does
    // not even resolve), the registry's API is at RISE_REGISTRY_INTERNAL_URL, and the token realm
    // (RISE_URL, public) is never asked.
    const api = httpApi(server.url, { token: aliceToken });
    const credentials = await api.registry.credentials.mutate({ project: projectA.name });
    const config = dockerConfigDir();
    expect((await login(config, credentials.username, credentials.password)).code).toBe(0);
    const image = await tag(projectA.name, 'internal');
    const pushed = await docker(['--config', config, 'push', image]);
    expect(pushed.code, pushed.stderr).toBe(0);
    const digest = pushed.stdout.match(/digest: (sha256:[0-9a-f]{64})/)?.[1];

    const publicHost = 'registry.public.invalid:5000';
    const signing = { service: SERVICE, issuer: ISSUER, tokenTtlSeconds: 300, signingKey: async () => key };
    const resolver = createImageResolver({
      riseRegistryHost: publicHost,
      riseRegistryUrl: `http://${registry.host}`,
      pullToken: (project) => workerPullToken(project, signing),
      logins: projectRegistryLogins,
    });
    expect(await resolver.resolve(`${publicHost}/${projectA.name}:internal`, projectA)).toEqual({ digest });
    await expect(resolver.resolve(`${publicHost}/${projectA.name}:missing`, projectA)).rejects.toThrow(
      `image ${publicHost}/${projectA.name}:missing not found in its registry`,
    );
    // The token reads only the project's own repository.
    const token = await workerPullToken(projectB, signing);
    await expect(
      fetchManifestDigest(parseImageReference(`${publicHost}/${projectA.name}:internal`), {
        bearerToken: token,
        baseUrl: `http://${registry.host}`,
        fetch: platformRegistryFetch,
      }),
    ).rejects.toThrow(
      `registry ${publicHost} (at http://${registry.host}) refused the credentials for ${projectA.name}: the manifest request answered 401`,
    );
    // A registry that does not trust this Rise's tokens is named as a configuration problem.
    const foreign = createImageResolver({
      riseRegistryHost: publicHost,
      riseRegistryUrl: `http://${registry.host}`,
      pullToken: (project) => workerPullToken(project, { ...signing, issuer: 'someone-else' }),
      logins: projectRegistryLogins,
    });
    await expect(foreign.resolve(`${publicHost}/${projectA.name}:internal`, projectA)).rejects.toThrow(
      /does not accept the tokens this Rise signs: its auth\.token issuer and service must be RISE_REGISTRY_ISSUER/,
    );
  });

  it('refuses expired credentials at the token endpoint, and expired tokens at the registry', async () => {
    // Signed eleven minutes ago for five: expired six minutes ago, without waiting for it.
    const longAgo = new Date(Date.now() - 11 * 60_000);
    const sign = (issuedAt?: Date) =>
      signCredential(
        key,
        {
          subject: { kind: 'user', userId: alice.id, username: alice.username },
          repository: projectA.name,
          actions: ['pull', 'push'],
          ttlSeconds: 300,
        },
        ISSUER,
        issuedAt,
      );
    // The same credential issued now logs in and pushes: only its age differs.
    const fresh = await sign();
    const config = dockerConfigDir();
    const loggedIn = await login(config, fresh.username, fresh.password);
    expect(loggedIn.code, loggedIn.stderr).toBe(0);
    const image = await tag(projectA.name, 'expiry');
    const pushed = await docker(['--config', config, 'push', image]);
    expect(pushed.code, pushed.stderr).toBe(0);

    const expired = await sign(longAgo);
    expect(expired.expiresAt.getTime()).toBeLessThan(Date.now());
    const refused = await login(dockerConfigDir(), expired.username, expired.password);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/unauthorized|401/i);
    const url = new URL(`${server.url}/api/registry/token`);
    url.searchParams.set('service', SERVICE);
    url.searchParams.append('scope', `repository:${projectA.name}:pull`);
    const answer = await fetch(url, {
      headers: { authorization: basic(expired.username, expired.password) },
    });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toEqual({
      errors: [{ code: 'UNAUTHORIZED', message: expect.stringMatching(/^Invalid, expired or revoked/) }],
    });

    // The registry checks a token's expiry itself: one issued by a clock eleven minutes behind is refused.
    const signing = { service: SERVICE, issuer: ISSUER, tokenTtlSeconds: 300, signingKey: async () => key };
    const readDigest = (token: string) =>
      fetchManifestDigest(parseImageReference(image), {
        bearerToken: token,
        baseUrl: `http://${registry.host}`,
        fetch: platformRegistryFetch,
      });
    expect(await readDigest(await workerPullToken(projectA, signing))).toMatch(/^sha256:[0-9a-f]{64}$/);
    await expect(
      readDigest(await workerPullToken(projectA, { ...signing, now: () => longAgo })),
    ).rejects.toThrow(`refused the credentials for ${projectA.name}: the manifest request answered 401`);
  });

  it('answers the token spec: granted subset for repeated scopes, 401 only for bad credentials', async () => {
    const url = new URL(`${server.url}/api/registry/token`);
    url.searchParams.set('service', SERVICE);
    url.searchParams.append('scope', `repository:${projectB.name}:push,pull`);
    url.searchParams.append('scope', `repository:${projectA.name}:pull,push`);

    const ok = await fetch(url, { headers: { authorization: basic('rise', aliceToken) } });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { token: string; access_token: string; expires_in: number };
    expect(body.access_token).toBe(body.token);
    expect(body.expires_in).toBeLessThanOrEqual(900);
    const [header, payload] = body.token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header.kid).toBe(key.kid);
    expect(payload).toMatchObject({ iss: ISSUER, aud: SERVICE, sub: alice.username });
    expect(payload.access).toEqual([{ type: 'repository', name: projectA.name, actions: ['pull', 'push'] }]);

    // The worker's credentials for project A: pull of A only, never push, never B.
    const workerA = await workerCredentials(projectA.name);
    const worker = await fetch(url, {
      headers: { authorization: basic(workerA.username, workerA.password) },
    });
    const workerToken = ((await worker.json()) as { token: string }).token;
    expect(JSON.parse(Buffer.from(workerToken.split('.')[1]!, 'base64url').toString()).access).toEqual([
      { type: 'repository', name: projectA.name, actions: ['pull'] },
    ]);
    // The pull-everything account `rise-worker` of earlier versions no longer exists.
    const legacy = await fetch(url, {
      headers: { authorization: basic('rise-worker', 'anything-at-all-here') },
    });
    expect(legacy.status).toBe(401);

    const bad = await fetch(url, { headers: { authorization: basic(alice.username, 'rise_wrong') } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toBe('Basic realm="rise"');
    const wrongUser = await fetch(url, { headers: { authorization: basic('mallory', aliceToken) } });
    expect(wrongUser.status).toBe(401);
    const none = await fetch(url);
    expect(none.status).toBe(401);
  });
});
