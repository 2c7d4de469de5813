import { randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '@/server/domains/tokens/token.service';
import { createSession } from '@/server/domains/users/session.service';
import type { ProjectRoute } from '@/server/proxy/types';
import { kubernetesRouterSettings } from '@/server/runtime/kubernetes/kubernetes-module';
import { KubernetesRouter } from '@/server/runtime/kubernetes/kubernetes-router';
import { KubernetesRuntime } from '@/server/runtime/kubernetes/kubernetes-runtime';
import { HANDSHAKE_SERVICE_NAME } from '@/server/runtime/kubernetes/names';
import { apiAs, createUser, type TestUser, userCaller } from '../fixtures';
import { IngressNginx, type NginxAnswer } from '../ingress-nginx';
import { type NextServer, startNextServer } from '../next-server';

// Issue 12 on the Kubernetes runtime (ingress-nginx): a private app looped between Rise's sign-in and
// a 401 once Rise's session cookie stopped being shared with app hosts, a client's own
// X-Forwarded-Host (passed through to the auth endpoint by ingress-nginx) named the host Rise decided
// for, and Rise's credentials reached the app. Replayed against Rise's real web server, through an
// emulation of ingress-nginx driven by the Ingress objects Rise writes (test/ingress-nginx.ts; there
// is no cluster here).

const runId = randomBytes(4).toString('hex');
const BASE = 'kube.test';
let web: NextServer;
let nginx: IngressNginx;
let owner: TestUser;
let member: TestUser;
let stranger: TestUser;
let memberSession: string;
let strangerSession: string;
let memberToken: string;
const projects = { a: `k8s-${runId}-a`, b: `k8s-${runId}-b`, pub: `k8s-${runId}-pub` };
const hostOf = (project: string) => `${project}.${BASE}`;
const page = { accept: 'text/html,application/xhtml+xml' };

function setCookies(answer: { headers: Record<string, unknown> }): string[] {
  const value = answer.headers['set-cookie'];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}
const cookiePair = (setCookie: string) => setCookie.split(';')[0]!;

/** Rise's own host (where its session cookie lives), not following redirects. */
async function atRise(url: string, cookie?: string) {
  const response = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  return { status: response.status, location: response.headers.get('location'), body: await response.text() };
}

/** A browser on a private app: refused, sent through start → authorize → complete, and back. */
async function handshake(project: string, session: string, path = '/reports?year=2026&q=a%20b') {
  const refused = await nginx.request({ host: hostOf(project), path, headers: page });
  expect(refused.status, refused.body).toBe(302);
  const start = new URL(refused.headers.location!);
  const started = await nginx.request({
    host: start.host,
    path: `${start.pathname}${start.search}`,
    headers: page,
  });
  const authorize = new URL(started.headers.location ?? 'http://missing.invalid/');
  const stateCookie = cookiePair(setCookies(started)[0] ?? '');
  const authorized = await atRise(authorize.toString(), session);
  return { refused, start, started, authorize, stateCookie, authorized };
}

async function signedIn(project: string, session: string, path?: string) {
  const steps = await handshake(project, session, path);
  expect(steps.authorized.status, steps.authorized.body).toBe(302);
  const back = new URL(steps.authorized.location!);
  const completed = await nginx.request({
    host: back.host,
    path: `${back.pathname}${back.search}`,
    headers: { ...page, cookie: steps.stateCookie },
  });
  return {
    ...steps,
    back,
    completed,
    appCookie: cookiePair(setCookies(completed).find((c) => c.startsWith('rise_app_session='))!),
  };
}

function appSaw(answer: NginxAnswer): Record<string, string> {
  expect(answer.status, answer.body).toBe(200);
  expect(answer.upstream).toBe('app');
  return answer.appHeaders!;
}

beforeAll(async () => {
  web = await startNextServer({
    RISE_LOCAL_AUTH: 'true',
    RISE_BASE_DOMAIN: BASE,
    RISE_TLS_MODE: 'off',
    RISE_APP_SESSION_TTL_SECONDS: '600',
  });
  const webPort = Number(new URL(web.url).port);
  const settings = kubernetesRouterSettings({
    RISE_URL: web.url,
    RISE_TLS_MODE: 'off',
    RISE_KUBE_INGRESS_CLASS: 'nginx',
    RISE_KUBE_TLS_SECRET: undefined,
    RISE_KUBE_CERT_MANAGER_ISSUER: undefined,
    RISE_KUBE_AUTH_URL: undefined,
    RISE_KUBE_RISE_SERVICE: 'rise-web.rise.svc.cluster.local:80',
  });
  // Only the manifests are used: no Kubernetes API is called.
  const runtime = new KubernetesRuntime({ kubeConfig: new KubeConfig(), instance: `test-${runId}` });
  const router = new KubernetesRouter({ runtime, kubeConfig: new KubeConfig(), ...settings });
  const route = (project: string, visibility: 'public' | 'private'): ProjectRoute => ({
    project,
    hosts: [hostOf(project)],
    state: 'running',
    upstream: 'unused:1',
    healthPath: '/',
    visibility,
    activeDeploymentId: '20261201-2300-abcd',
    port: 8080,
  });
  const routes = [route(projects.a, 'private'), route(projects.b, 'private'), route(projects.pub, 'public')];
  const ingresses = routes.flatMap((r) =>
    r.visibility === 'private'
      ? [router.ingressManifest(r), router.handshakeIngressManifest(r)]
      : [router.ingressManifest(r)],
  );
  nginx = new IngressNginx(
    () => ingresses,
    {
      ...Object.fromEntries(Object.values(projects).map((name) => [name, { kind: 'app' as const }])),
      // The ExternalName Service to rise-web, reached here on the test's web server.
      [HANDSHAKE_SERVICE_NAME]: { kind: 'http', port: webPort },
    },
    webPort,
  );

  [owner, member, stranger] = [await createUser(), await createUser(), await createUser()];
  memberSession = `rise.session-token=${(await createSession(member.id)).sessionToken}`;
  strangerSession = `rise.session-token=${(await createSession(stranger.id)).sessionToken}`;
  memberToken = (await issueToken(null, { userId: member.id, name: 'cli', expiresInDays: 1 })).token;
  const api = apiAs(userCaller(owner));
  const team = `crew-${runId}`;
  await api.team.create({ name: team });
  await api.team.addMember({ team, user: member.username, role: 'viewer' });
  for (const [key, name] of Object.entries(projects)) {
    await api.project.create({
      name,
      visibility: key === 'pub' ? 'public' : 'private',
      owner: `team:${team}`,
      port: 8080,
      runtime: 'kubernetes',
    });
  }
}, 120_000);

afterAll(async () => {
  if (process.env.RISE_TEST_DEBUG) console.log(web?.output());
  await web?.stop();
});

describe('private apps on ingress-nginx', () => {
  it('a member signs in through start → authorize → complete on the app host and gets back to the page asked for', async () => {
    const path = '/reports?year=2026&q=a%20b';
    const { refused, start, started, authorize, authorized, back, completed, appCookie } = await signedIn(
      projects.a,
      memberSession,
      path,
    );
    // auth-signin: the app host's own start, with ingress-nginx's rd.
    expect(`${start.origin}${start.pathname}`).toBe(`http://${hostOf(projects.a)}/.rise/auth/start`);
    expect(start.searchParams.get('rd')).toBe(`http://${hostOf(projects.a)}${path}`);
    expect(refused.upstream).toBeUndefined();
    // start (reached through the handshake Ingress and its rewrite): host-only state cookie, to Rise.
    expect(started.upstream).toBe(`/api/proxy/app-auth/start${start.search}`);
    expect(started.status).toBe(302);
    expect(setCookies(started)).toEqual([
      expect.stringMatching(/^rise_app_state=[\w-]{43}; Path=\/; Max-Age=600; HttpOnly; SameSite=Lax$/),
    ]);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${web.url}/api/proxy/authorize`);
    expect(authorize.searchParams.get('host')).toBe(hostOf(projects.a));
    expect(authorize.searchParams.get('return')).toBe(path);
    // authorize: a one-time code for the app host; complete: the app cookie, back to the page.
    expect(authorized.status).toBe(302);
    expect(`${back.origin}${back.pathname}`).toBe(`http://${hostOf(projects.a)}/.rise/auth/complete`);
    expect(completed.upstream).toMatch(/^\/api\/proxy\/app-auth\/complete\?code=/);
    expect(completed.status, completed.body).toBe(302);
    expect(completed.headers.location).toBe(path);
    expect(appCookie).toMatch(/^rise_app_session=.+/);
    for (const cookie of setCookies(completed)) expect(cookie).not.toMatch(/domain=/i);

    // The page, with the app cookie: the app sees the member and none of Rise's cookies.
    const seen = appSaw(
      await nginx.request({
        host: hostOf(projects.a),
        path,
        headers: { ...page, cookie: `theme=dark; ${appCookie}; lang=en`, 'x-rise-user': 'admin' },
      }),
    );
    expect(seen['x-rise-user']).toBe(member.username);
    expect(seen.cookie).toBe('theme=dark; lang=en');
  });

  it('a non-member gets 403 at authorize, and no code', async () => {
    const { authorized } = await handshake(projects.a, strangerSession);
    expect(authorized.status).toBe(403);
    expect(authorized.location).toBeNull();
  });

  it("a Rise token opens the app but never reaches it; the app's own Authorization does", async () => {
    const withToken = appSaw(
      await nginx.request({
        host: hostOf(projects.a),
        path: '/api/data',
        headers: { authorization: `Bearer ${memberToken}`, cookie: 'rise_app_state=x' },
      }),
    );
    expect(withToken['x-rise-user']).toBe(member.username);
    expect(withToken.authorization).toBeUndefined();
    expect(withToken.cookie).toBeUndefined();

    const { appCookie } = await signedIn(projects.a, memberSession);
    const basic = appSaw(
      await nginx.request({
        host: hostOf(projects.a),
        path: '/admin',
        headers: { authorization: 'Basic YWRtaW46c2VjcmV0', cookie: appCookie },
      }),
    );
    expect(basic.authorization).toBe('Basic YWRtaW46c2VjcmV0');
  });

  it("a client's X-Forwarded-Host naming a public app does not open a private one", async () => {
    const attack = await nginx.request({
      host: hostOf(projects.a),
      path: '/secret',
      headers: { 'x-forwarded-host': hostOf(projects.pub), 'x-forwarded-uri': '/' },
    });
    expect(attack.upstream).not.toBe('app');
    expect(attack.status).toBe(302);
  });

  it('a Host header naming another project than the one nginx routed by is refused', async () => {
    // `GET http://<private host>/secret` with `Host: <public host>`: nginx routes by the request
    // line, X-Original-URL carries the Host header.
    const publicHost = await nginx.request({
      host: hostOf(projects.a),
      hostHeader: hostOf(projects.pub),
      path: '/secret',
    });
    expect(publicHost.upstream).not.toBe('app');
    expect(publicHost.status).toBe(403);

    // The same with project b's cookie against project a.
    const { appCookie } = await signedIn(projects.b, memberSession);
    const otherProject = await nginx.request({
      host: hostOf(projects.a),
      hostHeader: hostOf(projects.b),
      path: '/secret',
      headers: { cookie: appCookie },
    });
    expect(otherProject.upstream).not.toBe('app');
    expect(otherProject.status).toBe(403);
  });

  it("an app cookie of another project, or a code without this browser's state, signs nobody in", async () => {
    const { appCookie } = await signedIn(projects.b, memberSession);
    const crossProject = await nginx.request({
      host: hostOf(projects.a),
      path: '/',
      headers: { ...page, cookie: appCookie },
    });
    expect(crossProject.status).toBe(302);
    expect(crossProject.upstream).toBeUndefined();

    // Login CSRF: the victim's browser completes an attacker's code without the attacker's state cookie.
    const { authorized } = await handshake(projects.a, memberSession);
    const back = new URL(authorized.location!);
    const planted = await nginx.request({
      host: back.host,
      path: `${back.pathname}${back.search}`,
      headers: page,
    });
    expect(planted.status).toBe(401);
    expect(setCookies(planted)).toEqual([]);
  });

  it("start keeps the return on the app's host and refuses a host Rise does not serve apps on", async () => {
    const offHost = await nginx.request({
      host: hostOf(projects.a),
      path: `/.rise/auth/start?rd=${encodeURIComponent('https://evil.example/steal')}`,
    });
    expect(offHost.status).toBe(302);
    expect(new URL(offHost.headers.location!).searchParams.get('return')).toBe('/');
    const noHost = await fetch(`${web.url}/api/proxy/app-auth/start`, {
      redirect: 'manual',
      headers: { 'x-forwarded-host': 'not a host' },
    });
    expect(noHost.status).toBe(400);
  });

  it('public apps do not go through Rise', async () => {
    const seen = appSaw(await nginx.request({ host: hostOf(projects.pub), path: '/' }));
    expect(seen['x-rise-user']).toBeUndefined();
  });
});
