import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCClientError } from '@trpc/client';
import Dockerode from 'dockerode';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { issueToken } from '@/server/domains/tokens/token.service';
import { buildProjectRoute } from '@/server/proxy/routes';
import { httpApi } from '../api-client';
import { startCaddy, type TestCaddy } from '../caddy';
import { runCli } from '../cli-runner';
import { startDnsServer, type TestDnsServer } from '../dns-server';
import { removeNetworks, TEST_SUBNET_POOL } from '../docker-networks';
import { createUser, uniqueName } from '../fixtures';
import { getThroughProxy } from '../http-through-proxy';
import { type NextServer, startNextServer } from '../next-server';
import { claimPortBlock } from '../port-blocks';
import { type WaitOptions, waitFor } from '../wait';
import { startWorkerProcess, type WorkerProcess } from '../worker-process';

// Custom domains as a project admin attacks them, against the real web server, worker, Caddy and a
// real DNS server (the one Rise's resolver asks, RISE_DNS_SERVERS). Rise is served through its Caddy
// at rise.test; projects get <name>.apps.test; the registry is registry.test.

const runId = randomBytes(4).toString('hex');
const RISE_HOST = 'rise.test';
const BASE = 'apps.test';
const docker = new Dockerode();
let caddy: TestCaddy;
let dns: TestDnsServer;
let web: NextServer;
let worker: WorkerProcess;
let boss: PgBoss;
let attackerApi: ReturnType<typeof httpApi>;
let attackerToken: string;
const cliHome = mkdtempSync(join(tmpdir(), 'rise-cli-home-'));
let ownerApi: ReturnType<typeof httpApi>;
const attackerProject = uniqueName('attacker');
const otherProject = uniqueName('victim');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const withWorkerOutput = (description: string, timeoutMs = 60_000): WaitOptions => ({
  description,
  timeoutMs,
  intervalMs: 250,
  context: () => worker?.output(),
});

const through = (host: string, path = '/') => getThroughProxy(caddy.httpPort, host, { path });
const ask = async (domain: string) =>
  (await fetch(`${web.url}/api/proxy/tls-allowed?domain=${encodeURIComponent(domain)}`)).status;

/** Runs the worker's reconcile now and waits until it has finished. */
async function reconcileNow() {
  const id = await boss.send('reconcile', {});
  if (!id) throw new Error('reconcile was not queued (a run is already queued): retry');
  await waitFor(async () => {
    const job = await boss.getJobById('reconcile', id);
    if (job?.state === 'failed') throw new Error(`reconcile failed: ${JSON.stringify(job.output)}`);
    return job?.state === 'completed';
  }, withWorkerOutput('the reconcile job to finish'));
}

async function rejection(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof TRPCClientError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return { code: (error.data as { code?: string } | undefined)?.code, message: error.message };
}

const viewOf = async (api: ReturnType<typeof httpApi>, project: string, hostname: string) => {
  const found = (await api.domain.list.query({ project })).find((domain) => domain.hostname === hostname);
  if (!found) throw new Error(`${hostname} is not listed on ${project}`);
  return found;
};

beforeAll(async () => {
  [caddy, dns] = await Promise.all([startCaddy(), startDnsServer()]);
  const riseUrl = `http://${RISE_HOST}:${caddy.httpPort}`;
  const shared = {
    RISE_URL: riseUrl,
    RISE_BASE_DOMAIN: BASE,
    RISE_TLS_MODE: 'off',
    RISE_REGISTRY_HOST: 'registry.test:5000',
    RISE_DNS_SERVERS: dns.address,
    RISE_PROXY_HTTP_PORT: String(caddy.httpPort),
    RISE_PROXY_HTTPS_PORT: String(caddy.httpsPort),
    RISE_PROXY_BIND_HOST: '127.0.0.1',
    RISE_CADDY_ADMIN_URL: caddy.adminUrl,
  };
  web = await startNextServer({ ...shared, RISE_LOCAL_AUTH: 'true' });
  const portBase = (await claimPortBlock()).first;
  worker = await startWorkerProcess({
    ...shared,
    // The dashboard route: Caddy dials the web server at RISE_HOST:PORT.
    PORT: String(web.port),
    RISE_WORKER_QUEUES: 'reconcile,domain-check',
    RISE_DOCKER_NETWORK: `rise-test-${runId}`,
    RISE_DOCKER_SUBNET_POOL: TEST_SUBNET_POOL,
    RISE_INSTANCE_ID: `test-${runId}`,
    RISE_APP_PORT_RANGE: `${portBase}-${portBase + 99}`,
  });
  boss = new PgBoss({
    connectionString: process.env.DATABASE_URL!,
    schema: 'pgboss',
    supervise: false,
    schedule: false,
  });
  await boss.start();

  const attacker = await createUser({ username: uniqueName('mallory') });
  const owner = await createUser({ username: uniqueName('olivia') });
  attackerToken = (await issueToken(null, { userId: attacker.id, name: 'attack', expiresInDays: 1 })).token;
  attackerApi = httpApi(web.url, { token: attackerToken });
  ownerApi = httpApi(web.url, {
    token: (await issueToken(null, { userId: owner.id, name: 'own', expiresInDays: 1 })).token,
  });
  await attackerApi.project.create.mutate({ name: attackerProject });
  await ownerApi.project.create.mutate({ name: otherProject });
  // Routable without a deploy: slot ports (nothing listens there, the route is the stopped page,
  // which names its project in X-Rise-Project).
  await getDb().project.update({
    where: { name: attackerProject },
    data: { slotPortA: portBase + 98, slotPortB: portBase + 99 },
  });
  await reconcileNow();
}, 300_000);

afterAll(async () => {
  if (process.env.RISE_TEST_DEBUG) console.log(worker?.output(), web?.output());
  await boss?.stop({ graceful: false });
  await worker?.stop();
  await web?.stop();
  await caddy?.stop();
  await dns?.stop();
  rmSync(cliHome, { recursive: true, force: true });
  await removeNetworks(docker, `dev.rise.managed-by=test-${runId}`);
  await docker
    .getNetwork(`rise-test-${runId}`)
    .remove()
    .catch(() => undefined);
});

describe("Rise's own names cannot be claimed", () => {
  it('refuses Rise’s host, the registry, the base domain and other projects’ hosts, saying why', async () => {
    const add = (hostname: string) =>
      rejection(attackerApi.domain.add.mutate({ project: attackerProject, hostname }));
    const own = await add(RISE_HOST);
    expect(own.code).toBe('BAD_REQUEST');
    expect(own.message).toContain("rise.test is Rise's own address (RISE_URL)");
    expect((await add(`login.${RISE_HOST}`)).code).toBe('BAD_REQUEST');
    const registry = await add('registry.test');
    expect(registry.code).toBe('BAD_REQUEST');
    expect(registry.message).toContain("Rise's registry (RISE_REGISTRY_HOST)");
    const base = await add(BASE);
    expect(base.code).toBe('BAD_REQUEST');
    expect(base.message).toContain(`projects already get <name>.${BASE}`);
    const other = await add(`${otherProject}.${BASE}`);
    expect(other.code).toBe('BAD_REQUEST');
    expect(other.message).toContain(`under Rise's base domain ${BASE}`);
    expect((await add(`nobody.${BASE}`)).code).toBe('BAD_REQUEST');
    for (const literal of ['localhost', 'app.localhost', '127.0.0.1']) {
      expect((await add(literal)).code, literal).toBe('BAD_REQUEST');
    }
    expect(await attackerApi.domain.list.query({ project: attackerProject })).toEqual([]);
  });

  it('the dashboard answers for Rise’s host even when a stale config puts a project route claiming it first', async () => {
    // An older Rise accepted Rise's own host and routed it before the dashboard.
    const project = await getDb().project.findUniqueOrThrow({ where: { name: attackerProject } });
    await getDb().domain.create({
      data: {
        projectId: project.id,
        hostname: RISE_HOST,
        verifiedAt: new Date(),
        verificationToken: 'legacy-token',
      },
    });
    const stale = buildProjectRoute(
      {
        project: attackerProject,
        hosts: [`${attackerProject}.${BASE}`, RISE_HOST],
        state: 'stopped',
        upstream: '127.0.0.1:9',
        healthPath: '/',
        visibility: 'public',
        activeDeploymentId: null,
        port: 8080,
      },
      { authUpstream: `127.0.0.1:${web.port}` },
    );
    await fetch(`${caddy.adminUrl}/id/rise-project-${attackerProject}`, { method: 'DELETE' });
    const put = await fetch(`${caddy.adminUrl}/config/apps/http/servers/rise/routes/0`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(stale),
    });
    expect(put.status).toBe(200);
    // The attack as it was: the project's route answers Rise's sign-in page.
    expect((await through(RISE_HOST, '/signin')).headers['x-rise-project']).toBe(attackerProject);

    await reconcileNow();
    const signin = await through(RISE_HOST, '/signin');
    expect(signin.headers['x-rise-project']).toBeUndefined();
    expect(signin.status).toBe(200);
    expect(signin.body).toContain('<html');
    const routes = (await (await fetch(`${caddy.adminUrl}/config/apps/http/servers/rise/routes`)).json()) as {
      '@id': string;
      match?: { host?: string[] }[];
    }[];
    expect(routes.map((route) => route['@id'])).toEqual([
      'rise-domain-challenge',
      'rise-dashboard',
      `rise-project-${attackerProject}`,
      'rise-not-found',
    ]);
    // The stale row no longer reaches the project's route either.
    expect(routes[2]!.match).toEqual([{ host: [`${attackerProject}.${BASE}`] }]);
    expect(await ask(RISE_HOST)).toBe(200);
    await getDb().domain.deleteMany({ where: { hostname: RISE_HOST } });
  });
});

describe('custom domains are routed only once proven', () => {
  const viaTxt = `shop-${runId}.example.test`;
  const viaHttp = `www-${runId}.example.test`;

  it('an unproven domain gets no route and no certificate', async () => {
    const [added] = await attackerApi.domain.add.mutate({ project: attackerProject, hostname: viaTxt });
    expect(added).toMatchObject({
      hostname: viaTxt,
      status: 'pending',
      verifiedAt: null,
      challenge: { txt: { name: `_rise-challenge.${viaTxt}` } },
    });
    expect(added!.challenge.txt.value).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(added!.challenge.http.url).toBe(
      `http://${viaTxt}:${caddy.httpPort}/.well-known/rise-challenge/${added!.challenge.txt.value}`,
    );
    await reconcileNow();
    const answer = await through(viaTxt);
    expect(answer.status).toBe(404);
    expect(answer.body).toBe('No app is served at this address.\n');
    expect(answer.headers['x-rise-project']).toBeUndefined();
    expect(await ask(viaTxt)).toBe(404);
    // The project itself is routed: the refusal is about the domain.
    expect((await through(`${attackerProject}.${BASE}`)).headers['x-rise-project']).toBe(attackerProject);
  });

  it('verify without a proof keeps it pending and says what is missing', async () => {
    const view = await attackerApi.domain.verify.mutate({ project: attackerProject, hostname: viaTxt });
    expect(view.status).toBe('pending');
    expect(view.lastCheckedAt).toBeInstanceOf(Date);
    expect(view.lastCheckError).toContain(`TXT _rise-challenge.${viaTxt} not found`);
    expect(view.lastCheckError).toContain(`HTTP ${view.challenge.http.url} could not be fetched (ENOTFOUND)`);
    // A wrong record is named in the error.
    dns.setTxt(`_rise-challenge.${viaTxt}`, ['not-the-token']);
    const again = rejection(attackerApi.domain.verify.mutate({ project: attackerProject, hostname: viaTxt }));
    expect((await again).code).toBe('TOO_MANY_REQUESTS');
    await sleep(5_100);
    const wrong = await attackerApi.domain.verify.mutate({ project: attackerProject, hostname: viaTxt });
    expect(wrong.lastCheckError).toContain(
      `TXT _rise-challenge.${viaTxt} does not have the value ${view.challenge.txt.value}; found: "not-the-token"`,
    );
    expect(await ask(viaTxt)).toBe(404);
  });

  it('with the TXT record, verify makes it verified: the route appears and ask says 200', async () => {
    const pending = await viewOf(attackerApi, attackerProject, viaTxt);
    dns.setTxt(`_rise-challenge.${viaTxt}`, ['unrelated', pending.challenge.txt.value]);
    await sleep(5_100);
    const view = await attackerApi.domain.verify.mutate({ project: attackerProject, hostname: viaTxt });
    expect(view.status).toBe('verified');
    expect(view.verifiedAt).toBeInstanceOf(Date);
    expect(view.lastCheckError).toBeNull();
    // verify queued a reconcile: the route appears without waiting for the minute.
    await waitFor(
      async () => (await through(viaTxt)).headers['x-rise-project'] === attackerProject,
      withWorkerOutput('the verified domain to be routed', 20_000),
    );
    expect(await ask(viaTxt)).toBe(200);
    const audits = await getDb().auditEvent.findMany({
      where: { action: 'domain.verify', targetName: viaTxt },
      orderBy: { createdAt: 'asc' },
    });
    expect(audits.map((audit) => (audit.details as { status?: string }).status)).toEqual([
      'pending',
      'pending',
      'verified',
    ]);
    expect(audits.at(-1)?.details).toMatchObject({ status: 'verified', method: 'dns' });
  });

  it('with DNS pointed at Rise, the HTTP token proves it', async () => {
    const [, added] = (
      await attackerApi.domain.add.mutate({ project: attackerProject, hostname: viaHttp })
    ).sort((a, b) => (a.hostname === viaHttp ? 1 : b.hostname === viaHttp ? -1 : 0));
    expect(added!.hostname).toBe(viaHttp);
    const token = added!.challenge.http.body;
    // Rise's Caddy serves the token of a pending domain, on that domain only, and nothing else.
    const path = `/.well-known/rise-challenge/${token}`;
    const served = await through(viaHttp, path);
    expect(served.status).toBe(200);
    expect(served.body).toBe(token);
    expect((await through(viaTxt, path)).status).toBe(404);
    expect((await through(viaHttp, `/.well-known/rise-challenge/${'x'.repeat(32)}`)).status).toBe(404);

    dns.setA(viaHttp, ['127.0.0.1']);
    const view = await attackerApi.domain.verify.mutate({ project: attackerProject, hostname: viaHttp });
    expect(view.lastCheckError).toBeNull();
    expect(view.status).toBe('verified');
    await waitFor(
      async () => (await through(viaHttp)).headers['x-rise-project'] === attackerProject,
      withWorkerOutput('the domain proven over HTTP to be routed', 20_000),
    );
    expect(await ask(viaHttp)).toBe(200);
    // Verified: the challenge is no longer answered.
    expect((await through(viaHttp, path)).status).toBe(404);
  });

  it('pending domains are re-checked in the background', async () => {
    const later = `later-${runId}.example.test`;
    const [added] = (
      await attackerApi.domain.add.mutate({ project: attackerProject, hostname: later })
    ).filter((domain) => domain.hostname === later);
    dns.setTxt(`_rise-challenge.${later}`, [added!.challenge.txt.value]);
    expect(
      (await boss.getSchedules('domain-check')).map((schedule) => schedule.cron),
      'the background check runs every minute',
    ).toEqual(['* * * * *']);
    await boss.send('domain-check', {});
    await waitFor(
      async () => (await viewOf(attackerApi, attackerProject, later)).status === 'verified',
      withWorkerOutput('the background check to verify the domain'),
    );
    await waitFor(
      async () => (await through(later)).headers['x-rise-project'] === attackerProject,
      withWorkerOutput('the domain verified in the background to be routed', 20_000),
    );
  });

  it('a domain from before verification existed (pending, never checked, months old) is checked too', async () => {
    const old = `old-${runId}.example.test`;
    const project = await getDb().project.findUniqueOrThrow({ where: { name: attackerProject } });
    // As the migration leaves a domain that earlier versions trusted without proof.
    await getDb().domain.create({
      data: {
        projectId: project.id,
        hostname: old,
        verificationToken: 'c0ffee0123456789c0ffee0123456789',
        createdAt: new Date(Date.now() - 90 * 86_400_000),
      },
    });
    expect((await through(old)).headers['x-rise-project']).toBeUndefined();
    dns.setTxt(`_rise-challenge.${old}`, ['c0ffee0123456789c0ffee0123456789']);
    await boss.send('domain-check', {});
    await waitFor(
      async () => (await viewOf(attackerApi, attackerProject, old)).status === 'verified',
      withWorkerOutput('the background check to verify the old domain'),
    );
  });
});

describe('claims of the same host', () => {
  it('a squatter’s pending claim gives way to the owner’s proven one; a verified claim does not', async () => {
    const contested = `brand-${runId}.example.test`;
    await attackerApi.domain.add.mutate({ project: attackerProject, hostname: contested });

    const refused = await rejection(
      ownerApi.domain.add.mutate({ project: otherProject, hostname: contested }),
    );
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toContain(`${contested} is claimed by another project but not verified`);
    const ownerToken = /_rise-challenge\.\S+\. TXT "([A-Za-z0-9_-]+)"/.exec(refused.message)?.[1];
    expect(ownerToken).toBeDefined();
    const squatterToken = (await viewOf(attackerApi, attackerProject, contested)).challenge.txt.value;
    expect(ownerToken).not.toBe(squatterToken);

    // The squatter cannot verify (the record holds the owner's token), the owner's add now wins.
    dns.setTxt(`_rise-challenge.${contested}`, [ownerToken!]);
    const squatter = await attackerApi.domain.verify.mutate({
      project: attackerProject,
      hostname: contested,
    });
    expect(squatter.status).toBe('pending');
    const owned = await ownerApi.domain.add.mutate({ project: otherProject, hostname: contested });
    expect(owned.find((domain) => domain.hostname === contested)?.status).toBe('verified');
    expect(
      (await attackerApi.domain.list.query({ project: attackerProject })).map((d) => d.hostname),
    ).not.toContain(contested);

    // Now verified: nobody else can take it, with or without a record.
    const taken = await rejection(
      attackerApi.domain.add.mutate({ project: attackerProject, hostname: contested }),
    );
    expect(taken.code).toBe('CONFLICT');
    expect(taken.message).toBe(`${contested} is already used by another project.`);
  });
});

describe('the CLI', () => {
  it('rise domain add prints the record to create, verify checks it, ls shows the state', async () => {
    const hostname = `cli-${runId}.example.test`;
    const rise = (args: string[]) =>
      runCli([...args, '--project', attackerProject], {
        home: cliHome,
        env: { RISE_URL: web.url, RISE_TOKEN: attackerToken },
      });
    const added = await rise(['domain', 'add', hostname]);
    expect(added.code).toBe(0);
    expect(added.stderr).toContain(`Added ${hostname} to '${attackerProject}', pending`);
    const token = (await viewOf(attackerApi, attackerProject, hostname)).challenge.txt.value;
    expect(added.stderr).toContain(
      `create a TXT record  _rise-challenge.${hostname}  with the value  ${token}`,
    );
    expect(added.stderr).toContain(`rise domain verify ${hostname} --project ${attackerProject}`);

    const pending = await rise(['domain', 'verify', hostname]);
    expect(pending.code).toBe(1);
    expect(pending.stderr).toContain(
      `${hostname} is still pending: TXT _rise-challenge.${hostname} not found`,
    );
    const listed = await rise(['domain', 'ls']);
    expect(listed.stdout).toMatch(new RegExp(`^${hostname.replace(/\./g, '\\.')} +pending `, 'm'));

    dns.setTxt(`_rise-challenge.${hostname}`, [token]);
    await sleep(5_100);
    const verified = await rise(['domain', 'verify', hostname]);
    expect(verified.stderr).toContain(`${hostname} is verified: Rise routes it to '${attackerProject}'.`);
    expect(verified.code).toBe(0);
    expect((await rise(['domain', 'ls'])).stdout).toMatch(
      new RegExp(`^${hostname.replace(/\./g, '\\.')} +verified `, 'm'),
    );
  });
});
