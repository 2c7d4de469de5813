import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { mintAppSession } from '@/server/domains/proxy-access/app-session';
import { issueToken } from '@/server/domains/tokens/token.service';
import { createSession } from '@/server/domains/users/session.service';
import { startCaddy, type TestCaddy } from '../caddy';
import { removeInstanceResources, TEST_SUBNET_POOL } from '../docker-networks';
import { apiAs, createUser, type TestUser, uniqueName, userCaller } from '../fixtures';
import { type ProxyResponse, proxyRequest } from '../http-through-proxy';
import { imageForProject } from '../images';
import { type NextServer, startNextServer } from '../next-server';
import { claimPortBlock } from '../port-blocks';
import { type WaitOptions, waitFor } from '../wait';
import { startWorkerProcess, type WorkerProcess } from '../worker-process';
import { buildEchoAppImage, ECHO_APP_PORT } from './echo-app-image';

// Issue 12: apps received users' Rise credentials (the dashboard session cookie, shared with every app
// host through its Domain attribute, and API tokens). Replayed here against the real web server,
// worker, Docker and Caddy: a private app's host now gets its own host-only cookie through a one-time
// code handshake, and Rise's cookies and tokens are stripped before any request reaches an app.

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
let caddy: TestCaddy;
let web: NextServer;
let worker: WorkerProcess;
let owner: TestUser;
let member: TestUser;
let stranger: TestUser;
let memberSession: string;
let strangerSession: string;
let memberToken: string;
let strangerToken: string;
let team: string;
const projects = { a: `sec-${runId}-a`, b: `sec-${runId}-b`, pub: `sec-${runId}-pub` };
const projectIds: Record<string, string> = {};

const hostOf = (project: string) => `${project}.localhost:${caddy.httpPort}`;
const app = (project: string, path = '/cgi-bin/echo', headers: Record<string, string> = {}) =>
  proxyRequest(caddy.httpPort, { host: hostOf(project), path, headers });
const page = { accept: 'text/html,application/xhtml+xml' };

/** The echo app's answer as a record: cookie, authorization, user. */
function echoed(response: ProxyResponse): Record<string, string> {
  expect(response.status, response.body).toBe(200);
  return Object.fromEntries(
    response.body
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

function setCookies(response: { headers: Record<string, unknown> } | ProxyResponse): string[] {
  const value = response.headers['set-cookie'];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

const cookiePair = (setCookie: string) => setCookie.split(';')[0]!;

const withWorkerOutput = (description: string, timeoutMs = 90_000): WaitOptions => ({
  description,
  timeoutMs,
  intervalMs: 250,
  context: () => worker?.output(),
});

/** Rise's authorize endpoint (on Rise's own host), not following redirects. */
async function authorize(query: Record<string, string>, cookie?: string) {
  const url = new URL('/api/proxy/authorize', web.url);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const response = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  return { status: response.status, location: response.headers.get('location'), body: await response.text() };
}

/** The whole handshake for `project` as the browser of the holder of `session`; returns each step. */
async function handshake(project: string, session: string, path = '/cgi-bin/echo?from=handshake') {
  const start = await app(project, path, page);
  expect(start.status).toBe(302);
  const stateCookie = cookiePair(setCookies(start)[0]!);
  const toRise = new URL(start.headers.location!);
  const authorized = await authorize(Object.fromEntries(toRise.searchParams), session);
  expect(authorized.status, authorized.body).toBe(302);
  const back = new URL(authorized.location!);
  const complete = await proxyRequest(caddy.httpPort, {
    host: back.host,
    path: `${back.pathname}${back.search}`,
    headers: { cookie: stateCookie },
  });
  return { start, toRise, stateCookie, back, complete };
}

const projectImages: string[] = [];

beforeAll(async () => {
  await buildEchoAppImage(`rise-test-echo:${runId}`, docker);
  caddy = await startCaddy();
  const port = String(caddy.httpPort);
  web = await startNextServer({
    RISE_LOCAL_AUTH: 'true',
    RISE_BASE_DOMAIN: 'localhost',
    RISE_TLS_MODE: 'off',
    RISE_PROXY_HTTP_PORT: port,
    RISE_APPS_PORT: port,
    RISE_APP_SESSION_TTL_SECONDS: '600',
  });
  const portBase = (await claimPortBlock()).first;
  worker = await startWorkerProcess({
    RISE_URL: web.url,
    RISE_BASE_DOMAIN: 'localhost',
    RISE_TLS_MODE: 'off',
    RISE_CADDY_ADMIN_URL: caddy.adminUrl,
    RISE_PROXY_HTTP_PORT: port,
    RISE_PROXY_HTTPS_PORT: String(caddy.httpsPort),
    RISE_PROXY_BIND_HOST: '127.0.0.1',
    RISE_DOCKER_NETWORK: `rise-test-${runId}`,
    RISE_DOCKER_SUBNET_POOL: TEST_SUBNET_POOL,
    RISE_INSTANCE_ID: `test-${runId}`,
    RISE_APP_PORT_RANGE: `${portBase}-${portBase + 99}`,
    RISE_HEALTH_CHECK_INTERVAL_MS: '200',
    RISE_HEALTH_CHECK_ATTEMPTS: '50',
    RISE_SWITCH_SETTLE_MS: '500',
    RISE_STOP_GRACE_MS: '1000',
    RISE_WORKER_SUPERVISE_SECONDS: '2',
  });
  [owner, member, stranger] = [await createUser(), await createUser(), await createUser()];
  memberSession = `rise.session-token=${(await createSession(member.id)).sessionToken}`;
  strangerSession = `rise.session-token=${(await createSession(stranger.id)).sessionToken}`;
  memberToken = (await issueToken(null, { userId: member.id, name: 'cli', expiresInDays: 1 })).token;
  strangerToken = (await issueToken(null, { userId: stranger.id, name: 'cli', expiresInDays: 1 })).token;
  const api = apiAs(userCaller(owner));
  team = uniqueName('crew');
  await api.team.create({ name: team });
  await api.team.addMember({ team, user: member.username, role: 'viewer' });
  for (const [key, name] of Object.entries(projects)) {
    const visibility = key === 'pub' ? 'public' : 'private';
    await api.project.create({
      name,
      visibility,
      owner: `team:${team}`,
      port: ECHO_APP_PORT,
      healthPath: '/health',
    });
    projectIds[key] = (await getDb().project.findUniqueOrThrow({ where: { name } })).id;
    // Rise runs a local image only for the project its label names, as `rise d c` builds it.
    const image = await imageForProject(`rise-test-echo:${runId}`, name, docker);
    projectImages.push(image);
    await api.deployment.create({ project: name, image });
  }
  // Every app answers through Caddy (private ones with a valid app-session cookie).
  for (const [key, name] of Object.entries(projects)) {
    const cookie = `rise_app_session=${await mintAppSession({ userId: owner.id, projectId: projectIds[key]! }, 600)}`;
    await waitFor(
      async () => (await app(name, '/health', { cookie })).status === 200,
      withWorkerOutput(`${name} to serve`),
    );
  }
}, 300_000);

afterAll(async () => {
  if (process.env.RISE_TEST_DEBUG) console.log(web?.output(), worker?.output(), caddy?.output().slice(-5000));
  await worker?.stop();
  await web?.stop();
  await caddy?.stop();
  await removeInstanceResources(docker, `test-${runId}`);
  await docker
    .getNetwork(`rise-test-${runId}`)
    .remove()
    .catch(() => undefined);
  for (const image of projectImages)
    await docker
      .getImage(image)
      .remove()
      .catch(() => undefined);
  await docker
    .getImage(`rise-test-echo:${runId}`)
    .remove()
    .catch(() => undefined);
}, 120_000);

describe("Rise's credentials never reach an app", () => {
  it("a member's Rise token and Rise cookies are stripped from a private app's request; the app's own cookie passes", async () => {
    const seen = echoed(
      await app(projects.a, '/cgi-bin/echo', {
        authorization: `Bearer ${memberToken}`,
        cookie: `${memberSession}; theme=dark; __Secure-rise.session-token=x; authjs.csrf-token=y`,
      }),
    );
    expect(seen).toEqual({ cookie: 'theme=dark', authorization: '', user: member.username });
  });

  it('the same holds on a public app, which forward-auth does not guard', async () => {
    const seen = echoed(
      await app(projects.pub, '/cgi-bin/echo', {
        authorization: `Bearer ${memberToken}`,
        cookie: `theme=dark; ${memberSession}`,
      }),
    );
    expect(seen).toEqual({ cookie: 'theme=dark', authorization: '', user: '' });
    // The app's own credentials are not Rise's business.
    const own = echoed(
      await app(projects.pub, '/cgi-bin/echo', { authorization: 'Bearer app-own', cookie: memberSession }),
    );
    expect(own).toEqual({ cookie: '', authorization: 'Bearer app-own', user: '' });
  });

  it("the host's app-session cookie is stripped too, and an app's own Authorization passes", async () => {
    const { complete } = await handshake(projects.a, memberSession);
    const appCookie = cookiePair(setCookies(complete)[0]!);
    const seen = echoed(
      await app(projects.a, '/cgi-bin/echo', {
        cookie: `${appCookie}; theme=dark`,
        authorization: 'Bearer app-own-token',
      }),
    );
    expect(seen).toEqual({
      cookie: 'theme=dark',
      authorization: 'Bearer app-own-token',
      user: member.username,
    });
  });

  it("Rise's dashboard session cookie alone no longer opens a private app", async () => {
    expect((await app(projects.a, '/cgi-bin/echo', { cookie: memberSession })).status).toBe(401);
    const browser = await app(projects.a, '/cgi-bin/echo', { ...page, cookie: memberSession });
    expect(browser.status).toBe(302);
    expect(browser.headers.location).toMatch(new RegExp(`^${web.url}/api/proxy/authorize\\?`));
  });
});

describe('per-host sign-in handshake', () => {
  it('redirects, issues a one-time code, sets a host-only cookie and returns to the page', async () => {
    const { start, toRise, back, complete } = await handshake(projects.a, memberSession);
    expect(`${toRise.origin}${toRise.pathname}`).toBe(`${web.url}/api/proxy/authorize`);
    expect(toRise.searchParams.get('host')).toBe(hostOf(projects.a));
    expect(toRise.searchParams.get('return')).toBe('/cgi-bin/echo?from=handshake');
    expect(setCookies(start)[0]).toMatch(
      /^rise_app_state=[\w-]{43}; Path=\/; Max-Age=600; HttpOnly; SameSite=Lax$/,
    );

    expect(back.origin).toBe(`http://${hostOf(projects.a)}`);
    expect(back.pathname).toBe('/.rise/auth/complete');
    expect(back.searchParams.get('code')).toMatch(/^[\w-]{43}$/);

    expect(complete.status, complete.body).toBe(302);
    expect(complete.headers.location).toBe('/cgi-bin/echo?from=handshake');
    const [session, clearedState] = setCookies(complete);
    expect(session).toMatch(
      /^rise_app_session=[\w-]+\.[\w-]+\.[\w-]+; Path=\/; Max-Age=600; HttpOnly; SameSite=Lax$/,
    );
    expect(session).not.toMatch(/domain=/i);
    expect(clearedState).toMatch(/^rise_app_state=; .*Max-Age=0/);

    const seen = echoed(await app(projects.a, '/cgi-bin/echo', { cookie: cookiePair(session!) }));
    expect(seen.user).toBe(member.username);
    // Only the code's hash is stored, and redeeming removed it.
    expect(await getDb().proxyAuthCode.count({ where: { userId: member.id } })).toBe(0);
  });

  it('asks a browser without a Rise session to sign in to Rise first, then come back', async () => {
    const start = await app(projects.a, '/', page);
    const query = Object.fromEntries(new URL(start.headers.location!).searchParams);
    const anonymous = await authorize(query);
    expect(anonymous.status).toBe(302);
    const signin = new URL(anonymous.location!);
    expect(`${signin.origin}${signin.pathname}`).toBe(`${web.url}/signin`);
    expect(signin.searchParams.get('callbackUrl')).toMatch(/^\/api\/proxy\/authorize\?host=/);
  });

  it('refuses a replayed code', async () => {
    const { back, stateCookie, complete } = await handshake(projects.a, memberSession);
    expect(complete.status).toBe(302);
    const replay = await proxyRequest(caddy.httpPort, {
      host: back.host,
      path: `${back.pathname}${back.search}`,
      headers: { cookie: stateCookie },
    });
    expect(replay.status).toBe(401);
    expect(setCookies(replay)).toEqual([]);
  });

  it("refuses a code on another project's host, and a code without the browser's handshake state", async () => {
    const start = await app(projects.a, '/', page);
    const stateCookie = cookiePair(setCookies(start)[0]!);
    const query = Object.fromEntries(new URL(start.headers.location!).searchParams);
    const forA = new URL((await authorize(query, memberSession)).location!);
    const onB = await proxyRequest(caddy.httpPort, {
      host: hostOf(projects.b),
      path: `${forA.pathname}${forA.search}`,
      headers: { cookie: stateCookie },
    });
    expect(onB.status).toBe(401);
    // Login CSRF: an attacker's own code sent to a victim's browser, which has no matching state.
    const forged = new URL((await authorize(query, memberSession)).location!);
    const noState = await proxyRequest(caddy.httpPort, {
      host: forged.host,
      path: `${forged.pathname}${forged.search}`,
    });
    expect(noState.status).toBe(401);
    expect(setCookies(noState)).toEqual([]);
  });

  it("refuses a cookie minted for project A on project B's host", async () => {
    const { complete } = await handshake(projects.a, memberSession);
    const cookieForA = cookiePair(setCookies(complete)[0]!);
    expect((await app(projects.a, '/cgi-bin/echo', { cookie: cookieForA })).status).toBe(200);
    expect((await app(projects.b, '/cgi-bin/echo', { cookie: cookieForA })).status).toBe(401);
    expect((await app(projects.b, '/cgi-bin/echo', { ...page, cookie: cookieForA })).status).toBe(302);
  });

  it('refuses a forged or expired app-session cookie', async () => {
    const expired = await mintAppSession({ userId: member.id, projectId: projectIds.a! }, -10);
    expect((await app(projects.a, '/cgi-bin/echo', { cookie: `rise_app_session=${expired}` })).status).toBe(
      401,
    );
    const forged = `${(await mintAppSession({ userId: member.id, projectId: projectIds.a! }, 600)).slice(0, -2)}AA`;
    expect((await app(projects.a, '/cgi-bin/echo', { cookie: `rise_app_session=${forged}` })).status).toBe(
      401,
    );
  });

  it('gives a non-member 403, at authorize and with a token', async () => {
    const start = await app(projects.a, '/', page);
    const query = Object.fromEntries(new URL(start.headers.location!).searchParams);
    const refused = await authorize(query, strangerSession);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('not a member of the team that owns this app');
    expect(await getDb().proxyAuthCode.count({ where: { userId: stranger.id } })).toBe(0);
    const withToken = await app(projects.a, '/cgi-bin/echo', { authorization: `Bearer ${strangerToken}` });
    expect(withToken.status).toBe(403);
    expect((await app(projects.a, '/', { authorization: 'Bearer rise_not-a-real-token' })).status).toBe(401);
  });

  it('checks membership on every request: a removed member loses access at once', async () => {
    const leaver = await createUser();
    await apiAs(userCaller(owner)).team.addMember({ team, user: leaver.username, role: 'viewer' });
    const session = `rise.session-token=${(await createSession(leaver.id)).sessionToken}`;
    const { complete } = await handshake(projects.a, session);
    const cookie = cookiePair(setCookies(complete)[0]!);
    expect((await app(projects.a, '/cgi-bin/echo', { cookie })).status).toBe(200);
    await apiAs(userCaller(owner)).team.removeMember({ team, user: leaver.username });
    const after = await app(projects.a, '/cgi-bin/echo', { cookie });
    expect(after.status).toBe(403);
  });

  it('is never an open redirect', async () => {
    const base = { host: hostOf(projects.a), state: 'S'.repeat(43) };
    for (const target of ['//evil.com', '//evil.com/x', 'https://evil.com', '/\\evil.com', 'evil.com']) {
      const answer = await authorize({ ...base, return: target }, memberSession);
      expect(answer.status, target).toBe(400);
      expect(answer.location).toBeNull();
    }
    // Codes only travel to hosts Rise serves, on the ports apps are served on.
    expect((await authorize({ ...base, host: 'evil.com', return: '/' }, memberSession)).status).toBe(404);
    expect(
      (await authorize({ ...base, host: `${projects.a}.localhost:1`, return: '/' }, memberSession)).status,
    ).toBe(400);
    // A page URI that is not a safe path comes back as `/`.
    const start = await app(projects.a, '//evil.com/x', page);
    expect(new URL(start.headers.location!).searchParams.get('return')).toBe('/');
  });
});
