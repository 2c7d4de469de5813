import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { freePort } from '@/server/platform/free-port';
import { CaddyProxy } from '@/server/proxy/caddy-proxy';
import { startCaddy, type TestCaddy, testCaddyProxyConfig } from '../../../../test/caddy';
import { apiAs, createUser, type TestUser, userCaller } from '../../../../test/fixtures';
import { newDeploymentId } from '../deployments/deployment-id';
import { type CertificateCheckDeps, checkCertificates } from './certificate-check.service';
import type { TlsObservation } from './certificate-verdict';
import { observeCertificate } from './tls-probe';

// Certificate checks against a real Caddy serving HTTPS with Rise's TLS policy (Caddy's internal CA,
// certificates on demand, each host asked at Rise's `ask` endpoint, played here by a local server that
// allows some hosts). A denied host gets no certificate: its handshake fails, as it would when an
// ACME CA refuses one.

const runId = randomBytes(4).toString('hex');
let caddy: TestCaddy;
let ask: http.Server;
let projectId = '';
let owner: TestUser;
const name = `cert-${runId}`;
const appHost = `${name}.localhost`;
const servedDomain = `www-${runId}.localhost`;
const deniedDomain = `denied-${runId}.localhost`;
const pendingDomain = `pending-${runId}.localhost`;
const allowed = new Set([appHost, servedDomain]);

beforeAll(async () => {
  caddy = await startCaddy();
  const askPort = await freePort();
  ask = http.createServer((req, res) => {
    const domain = new URL(req.url ?? '/', 'http://x').searchParams.get('domain') ?? '';
    res.statusCode = allowed.has(domain) ? 200 : 403;
    res.end();
  });
  await new Promise<void>((resolve) => ask.listen(askPort, '127.0.0.1', resolve));
  const proxy = new CaddyProxy(testCaddyProxyConfig(caddy, askPort, { tlsMode: 'internal' }));
  await proxy.prepare();

  // A running project (its container is not needed: the certificate is Caddy's) with custom domains.
  owner = await createUser();
  await apiAs(userCaller(owner)).project.create({ name, port: 8080 });
  const project = await getDb().project.findUniqueOrThrow({ where: { name } });
  projectId = project.id;
  const deployment = await getDb().deployment.create({
    data: { id: newDeploymentId(), projectId, status: 'healthy', image: 'app:1' },
  });
  await getDb().project.update({
    where: { id: projectId },
    data: { desiredState: 'running', activeDeploymentId: deployment.id },
  });
  // The route Rise writes for the project and its domains (with host matchers Caddy serves HTTPS).
  await proxy.upsertRoute({
    project: name,
    hosts: [appHost, servedDomain, deniedDomain],
    state: 'running',
    upstream: `127.0.0.1:${await freePort()}`,
    healthPath: '/',
    visibility: 'public',
    activeDeploymentId: deployment.id,
    port: 8080,
  });
  await getDb().domain.createMany({
    data: [
      { projectId, hostname: servedDomain, verifiedAt: new Date(), verificationToken: 'a' },
      { projectId, hostname: deniedDomain, verifiedAt: new Date(), verificationToken: 'b' },
      { projectId, hostname: pendingDomain, verifiedAt: null, verificationToken: 'c' },
    ],
  });
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => ask?.close(resolve));
  await caddy?.stop();
});

const observed: string[] = [];
const realDeps = (): CertificateCheckDeps => ({
  observe: (host) => {
    observed.push(host);
    return observeCertificate({ address: '127.0.0.1', port: caddy.httpsPort }, host, 15_000);
  },
  hostOf: (project) => `${project}.localhost`,
  runtimes: ['docker'],
  warnDays: 14,
  retryDelayMs: 300,
});

const raised = () =>
  getDb().notificationEvent.findMany({
    where: { projectId, kind: 'certificate.failed' },
    orderBy: { id: 'asc' },
  });
const checks = async () =>
  Object.fromEntries(
    (await getDb().certificateCheck.findMany({ where: { projectId } })).map((row) => [row.hostname, row]),
  );

describe('certificate checks through a real Caddy', () => {
  it('passes hosts Caddy has a certificate for and raises certificate.failed once for one it cannot get', async () => {
    expect(await checkCertificates(realDeps())).toEqual({ checked: 3, failing: 1, raised: 1, recovered: 0 });
    // The pending domain has no certificate yet by design: it is not checked. The failed handshake
    // was tried twice.
    expect(observed.filter((host) => host === deniedDomain)).toHaveLength(2);
    expect([...new Set(observed)].sort()).toEqual([appHost, deniedDomain, servedDomain].sort());
    const rows = await checks();
    expect(rows[appHost]).toMatchObject({ ok: true, reason: null, failingSince: null });
    expect(rows[servedDomain]).toMatchObject({ ok: true, reason: null, failingSince: null });
    // Caddy's internal CA issues 12-hour certificates.
    const expires = rows[appHost]!.expiresAt!.getTime() - Date.now();
    expect(expires).toBeGreaterThan(11 * 3_600_000);
    expect(expires).toBeLessThanOrEqual(12 * 3_600_000);
    expect(rows[deniedDomain]).toMatchObject({ ok: false, expiresAt: null });
    // Caddy 2.6 answers a handshake it has no certificate for with an `internal_error` alert.
    expect(rows[deniedDomain]!.reason).toBe(
      `no certificate for ${deniedDomain}: the TLS handshake failed (tlsv1 alert internal error); Caddy could not obtain or present one`,
    );
    expect(rows[deniedDomain]!.failingSince).not.toBeNull();

    const [event] = await raised();
    expect(await raised()).toHaveLength(1);
    expect(event).toMatchObject({ title: `Certificate problem for ${deniedDomain}` });
    expect(event!.details).toEqual({
      hostname: deniedDomain,
      reason: rows[deniedDomain]!.reason,
      expiresAt: null,
    });

    // The Domains tab shows each domain's last check.
    const views = await apiAs(userCaller(owner)).domain.list({ project: name });
    const certificateOf = (hostname: string) => views.find((view) => view.hostname === hostname)?.certificate;
    expect(certificateOf(servedDomain)).toEqual({
      checkedAt: rows[servedDomain]!.checkedAt,
      ok: true,
      reason: null,
      expiresAt: rows[servedDomain]!.expiresAt,
    });
    expect(certificateOf(deniedDomain)).toMatchObject({ ok: false, reason: rows[deniedDomain]!.reason });
    expect(certificateOf(pendingDomain)).toBeNull();

    // Still failing: nothing more is raised.
    expect(await checkCertificates(realDeps())).toEqual({ checked: 3, failing: 1, raised: 0, recovered: 0 });
    expect(await raised()).toHaveLength(1);
  });

  it('ends the streak when Caddy can get the certificate after all', async () => {
    allowed.add(deniedDomain);
    expect(await checkCertificates(realDeps())).toEqual({ checked: 3, failing: 0, raised: 0, recovered: 1 });
    expect((await checks())[deniedDomain]).toMatchObject({ ok: true, reason: null, failingSince: null });
    expect(await raised()).toHaveLength(1);
  });

  it('raises again for a new failing streak, and forgets hosts no longer served', async () => {
    // A certificate Caddy obtained stays served: the next streak is played by the observation alone.
    const expiring: TlsObservation = {
      kind: 'certificate',
      certificate: {
        dnsNames: [deniedDomain],
        validFrom: new Date(Date.now() - 80 * 86_400_000),
        validTo: new Date(Date.now() + 3 * 86_400_000),
      },
    };
    const deps = realDeps();
    const observe = deps.observe;
    deps.observe = async (host) => (host === deniedDomain ? expiring : observe(host));
    expect(await checkCertificates(deps)).toMatchObject({ failing: 1, raised: 1 });
    expect(await checkCertificates(deps)).toMatchObject({ failing: 1, raised: 0 });
    const events = await raised();
    expect(events).toHaveLength(2);
    expect((events[1]!.details as { reason: string }).reason).toContain('(in 2 d) and was not renewed');

    await getDb().domain.delete({ where: { hostname: deniedDomain } });
    expect((await checkCertificates(realDeps())).checked).toBe(2);
    expect(Object.keys(await checks()).sort()).toEqual([appHost, servedDomain].sort());
  });
});
