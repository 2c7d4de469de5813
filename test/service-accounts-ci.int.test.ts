import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { httpApi, signUpLocally } from './api-client';
import { runCli } from './cli-runner';
import { uniqueName } from './fixtures';
import { startJwksIssuer } from './jwks-server';
import { type NextServer, startNextServer } from './next-server';

// A CI-shaped run against the built server: a user creates a service account with `rise sa`, then a
// job with no `rise login` presents its issuer's JWT as RISE_TOKEN. The issuer is real: a discovery
// document and JWKS over HTTP on 127.0.0.1, JWTs signed with jose. Rise fetches trusted issuers'
// keys with plain fetch (issuers are operator configuration), so no RISE_OUTBOUND_ALLOW is needed.

const EXIT = { ok: 0, usage: 2, unauthenticated: 3, notFound: 4 };
const CLAIMS = { aud: 'rise', repository: 'acme/app', ref: 'refs/heads/main' };
const ACCOUNT = 'acme-app-refs-heads-main';
const DEPLOYMENT = `20261202-0900-${randomBytes(2).toString('hex')}`;

let issuer: Awaited<ReturnType<typeof startJwksIssuer>>;
let web: NextServer;
let userToken: string;
const project = uniqueName('ci-app');
const otherProject = uniqueName('other-app');
const home = mkdtempSync(join(tmpdir(), 'rise-sa-user-'));
/** The CI job's config home: never logged in. */
const ciHome = mkdtempSync(join(tmpdir(), 'rise-sa-ci-'));

beforeAll(async () => {
  issuer = await startJwksIssuer();
  web = await startNextServer({ RISE_LOCAL_AUTH: 'true', RISE_TRUSTED_ISSUERS: issuer.issuer });
  const email = `${uniqueName('sa')}@example.test`;
  const cookie = await signUpLocally(web.url, { email, password: 'correct-horse-battery' });
  userToken = (await httpApi(web.url, { cookie }).token.create.mutate({ name: 'sa' })).token;
  for (const name of [project, otherProject]) expect((await asUser(['p', 'c', name])).code).toBe(EXIT.ok);
  const { id } = await getDb().project.findUniqueOrThrow({ where: { name: project } });
  await getDb().deployment.create({
    data: { id: DEPLOYMENT, projectId: id, status: 'superseded', image: 'acme/app:v1' },
  });
}, 180_000);

afterAll(async () => {
  await web?.stop();
  await issuer?.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(ciHome, { recursive: true, force: true });
});

const asUser = (args: string[]) => runCli(args, { home, env: { RISE_URL: web.url, RISE_TOKEN: userToken } });
const asCi = (jwt: string, args: string[]) =>
  runCli(args, { home: ciHome, env: { RISE_URL: web.url, RISE_TOKEN: jwt } });
const json = <T>(stdout: string) => JSON.parse(stdout) as T;

describe('rise sa as a user', () => {
  it('create: aud plus another claim; the name comes from the claims', async () => {
    const created = await asUser([
      'sa',
      'create',
      project,
      '--issuer',
      issuer.issuer,
      '--claim',
      'aud=rise',
      '--claim',
      'repository=acme/app',
      '--claim',
      'ref=refs/heads/main',
    ]);
    expect(created.code, created.stderr).toBe(EXIT.ok);
    expect(created.stderr).toContain(`Created service account '${ACCOUNT}'`);
    expect(created.stderr).toContain('as developer');
  });

  it('create refuses aud alone, in the CLI (exit 2) and in the API', async () => {
    const refused = await asUser([
      'sa',
      'c',
      '-p',
      project,
      '--issuer',
      issuer.issuer,
      '--claim',
      'aud=rise',
    ]);
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.stderr).toContain("at least one besides 'aud'");
    const api = httpApi(web.url, { token: userToken });
    await expect(
      api.serviceAccount.create.mutate({
        project,
        name: 'aud-only',
        issuer: issuer.issuer,
        claims: { aud: 'rise' },
      }),
    ).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
      message: expect.stringContaining("at least one besides 'aud'"),
    });
  });

  it('ls (table and JSON) and show by id or by name', async () => {
    const table = await asUser(['sa', 'ls', project]);
    expect(table.code, table.stderr).toBe(EXIT.ok);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+ROLE\s+CREATED\s+ISSUER\s+CLAIMS$/m);
    expect(table.stdout).toContain('aud=rise, ref=refs/heads/main, repository=acme/app');
    const listed = json<{ id: string; name: string }[]>(
      (await asUser(['sa', 'list', '-p', project, '-o', 'json'])).stdout,
    );
    expect(listed.map((account) => account.name)).toEqual([ACCOUNT]);

    const byId = await asUser(['sa', 's', project, listed[0]!.id]);
    expect(byId.code, byId.stderr).toBe(EXIT.ok);
    expect(byId.stdout).toMatch(new RegExp(`^Service account:\\s+${ACCOUNT}$`, 'm'));
    expect(byId.stdout).toMatch(new RegExp(`^Issuer:\\s+${issuer.issuer}$`, 'm'));
    const byName = await asUser(['service-account', 'show', '-p', project, ACCOUNT, '-o', 'json']);
    expect(json(byName.stdout)).toMatchObject({ id: listed[0]!.id, role: 'developer', claims: CLAIMS });

    const missing = await asUser(['sa', 'show', project, 'nobody']);
    expect(missing.code).toBe(EXIT.notFound);
    expect(missing.stderr).toContain(`Service account 'nobody' not found on project '${project}'`);
  });
});

describe('RISE_TOKEN carrying a CI JWT, without rise login', () => {
  it('acts as the service account on its project: rise p s, rise d ls', async () => {
    const jwt = await issuer.sign({ ...CLAIMS, sub: 'repo:acme/app:ref:refs/heads/main' });
    const shown = await asCi(jwt, ['p', 's', project]);
    expect(shown.code, shown.stderr).toBe(EXIT.ok);
    expect(shown.stdout).toMatch(new RegExp(`^Project:\\s+${project}$`, 'm'));
    expect(shown.stdout).toMatch(/^Your role:\s+developer$/m);
    const deployments = await asCi(jwt, ['d', 'ls', project, '-o', 'json']);
    expect(deployments.code, deployments.stderr).toBe(EXIT.ok);
    expect(json<{ id: string }[]>(deployments.stdout).map((d) => d.id)).toEqual([DEPLOYMENT]);
  });

  it('sees no other project', async () => {
    const jwt = await issuer.sign(CLAIMS);
    const other = await asCi(jwt, ['p', 's', otherProject]);
    expect(other.code).toBe(EXIT.notFound);
    expect(other.stderr).toContain(`Project '${otherProject}' not found.`);
  });

  it('a JWT whose claims do not match is refused, naming the claim that differs', async () => {
    const jwt = await issuer.sign({ ...CLAIMS, ref: 'refs/heads/feature' });
    const refused = await asCi(jwt, ['p', 's', project]);
    expect(refused.code).toBe(EXIT.unauthenticated);
    expect(refused.stderr).toContain("No service account matches this token's claims");
    expect(refused.stderr).toContain(`'ref' (the token has "refs/heads/feature")`);
  });

  it('an expired JWT is refused', async () => {
    const jwt = await issuer.sign(CLAIMS, { expiresIn: '-1m' });
    const refused = await asCi(jwt, ['d', 'ls', project]);
    expect(refused.code).toBe(EXIT.unauthenticated);
    expect(refused.stderr).toMatch(/JWT rejected: "exp" claim timestamp check failed/);
  });

  it('after rise sa rm, the same JWT is refused', async () => {
    const jwt = await issuer.sign(CLAIMS);
    expect((await asCi(jwt, ['p', 's', project])).code).toBe(EXIT.ok);
    const removed = await asUser(['sa', 'rm', project, ACCOUNT]);
    expect(removed.code, removed.stderr).toBe(EXIT.ok);
    expect(removed.stderr).toContain(`Deleted service account '${ACCOUNT}' of '${project}'`);
    expect(json((await asUser(['sa', 'ls', project, '-o', 'json'])).stdout)).toEqual([]);
    const refused = await asCi(jwt, ['p', 's', project]);
    expect(refused.code).toBe(EXIT.unauthenticated);
    expect(refused.stderr).toContain(`No service account trusts issuer ${issuer.issuer}`);
    expect((await asUser(['sa', 'delete', project, ACCOUNT])).code).toBe(EXIT.notFound);
  });
});
