import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpApi } from './api-client';
import { runCli } from './cli-runner';
import { getThroughProxy } from './http-through-proxy';
import { buildTestAppImage, imageForProject, TEST_APP_PORT } from './images';
import { startJwksIssuer } from './jwks-server';
import { type RiseStack, signUpWithToken, startRiseStack } from './rise-stack';

// A merge request's pipeline deploying its preview, as GitLab CI or GitHub Actions would: no
// `rise login`, only the JWT its CI issues (here signed by a local issuer whose JWKS is served over
// HTTP) as RISE_TOKEN, matched to a service account; `rise d c -g mr/7 --expire 1h` deploys the merge
// request to its own URL through the real worker, Docker, Caddy and registry.

const runId = Math.random().toString(16).slice(2, 10);
const dataDir = mkdtempSync(join(tmpdir(), 'rise-preview-ci-'));
const home = mkdtempSync(join(tmpdir(), 'rise-preview-ci-user-'));
const ciHome = mkdtempSync(join(tmpdir(), 'rise-preview-ci-job-'));
const project = `ci-${runId}`;
const CLAIMS = { aud: 'rise', project_path: 'acme/app', ref: 'mr-7' };
const ACCOUNT = 'acme-app-mr-7';
const PREVIEW_HOST = `${project}-mr--7.localhost`;
let issuer: Awaited<ReturnType<typeof startJwksIssuer>>;
let stack: RiseStack;
let token: string;
let image: string;

const asUser = (args: string[]) =>
  runCli(args, { home, env: { RISE_URL: stack.web.url, RISE_TOKEN: token } });
const asCi = (jwt: string, args: string[]) =>
  runCli(args, { home: ciHome, env: { RISE_URL: stack.web.url, RISE_TOKEN: jwt } });

beforeAll(async () => {
  issuer = await startJwksIssuer();
  image = await imageForProject(
    await buildTestAppImage({ tag: 'rise-test-preview-ci:mr7', version: 'mr7' }),
    project,
  );
  stack = await startRiseStack({ runId, dataDir, env: { RISE_TRUSTED_ISSUERS: issuer.issuer } });
  token = await signUpWithToken(stack.web.url, {
    email: `dev-${runId}@example.test`,
    projects: [project],
    tokenName: 'preview from CI test',
  });
  await httpApi(stack.web.url, { token }).project.update.mutate({
    project,
    port: TEST_APP_PORT,
    healthPath: '/health',
  });
  const created = await asUser([
    'sa',
    'create',
    project,
    '--issuer',
    issuer.issuer,
    ...Object.entries(CLAIMS).flatMap(([name, value]) => ['--claim', `${name}=${value}`]),
  ]);
  expect(created.code, created.stderr).toBe(0);
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await issuer?.close();
  for (const dir of [dataDir, home, ciHome]) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('a preview deployed from CI with its OIDC token', () => {
  it('rise d c -g mr/7 --expire 1h with the CI JWT as RISE_TOKEN: the preview URL answers', async () => {
    const jwt = await issuer.sign({ ...CLAIMS, sub: 'pipeline-1' });
    const deployed = await asCi(jwt, ['d', 'c', project, '--image', image, '-g', 'mr/7', '--expire', '1h']);
    expect(deployed.code, `${deployed.stderr}\n${stack.worker.output().slice(-2000)}`).toBe(0);
    expect(deployed.stdout + deployed.stderr).toContain(`http://${PREVIEW_HOST}:${stack.caddy.httpPort}`);

    const response = await getThroughProxy(stack.caddy.httpPort, PREVIEW_HOST);
    expect({ status: response.status, body: response.body.trim() }).toEqual({ status: 200, body: 'mr7' });
    // The project's own URL has nothing deployed: the preview is a group of its own.
    expect((await getThroughProxy(stack.caddy.httpPort, `${project}.localhost`)).status).not.toBe(200);

    const listed = await asCi(jwt, ['d', 'ls', project, '-g', 'mr/7', '-o', 'json']);
    expect(listed.code, listed.stderr).toBe(0);
    const [deployment] = JSON.parse(listed.stdout) as {
      group: string;
      createdBy: string;
      expiresAt: string;
    }[];
    expect(deployment).toMatchObject({ group: 'mr/7', createdBy: `service-account:${ACCOUNT}` });
    const remaining = new Date(deployment!.expiresAt).getTime() - Date.now();
    expect(remaining).toBeGreaterThan(55 * 60_000);
    expect(remaining).toBeLessThanOrEqual(3_600_000);
  }, 240_000);

  it('refuses a JWT whose claims do not match, with the reason, and deploys nothing', async () => {
    const jwt = await issuer.sign({ ...CLAIMS, ref: 'mr-8', sub: 'pipeline-2' });
    const refused = await asCi(jwt, ['d', 'c', project, '--image', image, '-g', 'mr/8', '--expire', '1h']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("No service account matches this token's claims");
    expect(refused.stderr).toContain(`'ref' (the token has "mr-8")`);
    const groups = await httpApi(stack.web.url, { token }).deployment.groups.query({ project });
    expect(groups.map((group) => group.group)).toEqual(['mr/7']);
  }, 60_000);
});
