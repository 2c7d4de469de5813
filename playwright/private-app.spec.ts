import { type Browser, expect, test } from '@playwright/test';
import { getThroughProxy } from '../test/http-through-proxy';
import { imageForProject } from '../test/images';
import { apiAs, ensureJourneyData } from './fixtures/rise-api';
import { screenshot } from './fixtures/screenshot';
import { signIn } from './fixtures/sign-in';
import { e2e } from './fixtures/state';

// Private apps on the default `npm start` layout: Rise at http://localhost:<port>, apps at
// http://<project>.localhost:<caddy port>. Rise's session cookie is host-only, so an app host gets its
// own cookie through the sign-in handshake (app → Rise's authorize → app's /.rise/auth/complete).
// ada owns a private project; grace, a viewer of team devops, is not a member of it but is of a
// private project devops owns.

const SETTLED = ['healthy', 'failed', 'cancelled', 'superseded', 'stopped', 'expired'];
const mine = () => `private-${e2e().runId}`;
const teams = () => `crew-app-${e2e().runId}`;
const appUrl = (project: string) => `http://${project}.localhost:${e2e().caddyHttpPort}/`;

async function deployPrivate(project: string, owner?: string) {
  const api = apiAs('ada');
  const existing = await api.project.list.query();
  if (!existing.some((item) => item.name === project)) {
    await api.project.create.mutate({ name: project, visibility: 'private', ...(owner ? { owner } : {}) });
  }
  // Rise runs a local image only for the project its label names, as `rise d c` builds it.
  const image = await imageForProject(e2e().images.v1, project);
  const { id } = await api.deployment.create.mutate({ project, image });
  await expect
    .poll(
      async () => SETTLED.includes((await api.deployment.get.query({ project, deployment: id })).status),
      { timeout: 90_000, message: `deployment of ${project} settles` },
    )
    .toBe(true);
  expect((await api.deployment.get.query({ project, deployment: id })).status).toBe('healthy');
  // The route is in place when Caddy asks Rise (401 for a client that is not a browser).
  await expect
    .poll(
      async () =>
        (await getThroughProxy(e2e().caddyHttpPort, `${project}.localhost`).catch(() => null))?.status,
      { timeout: 30_000, message: `${project} is behind forward-auth` },
    )
    .toBe(401);
}

async function contextOf(browser: Browser, user: 'ada' | 'grace' | null) {
  return browser.newContext(user ? { storageState: e2e().storage[user] } : {});
}

test.beforeAll(async () => {
  await ensureJourneyData({ deployed: false });
  await deployPrivate(mine());
  await deployPrivate(teams(), 'team:devops');
});

test('a member signs in to Rise and sees the private app after the handshake', async ({ browser }) => {
  const context = await contextOf(browser, null);
  const page = await context.newPage();
  await signIn(page, 'ada');
  // Rise's session cookie belongs to Rise's host only.
  const riseCookies = await context.cookies(e2e().url);
  expect(riseCookies.find((cookie) => cookie.name === 'rise.session-token')?.domain).toBe('localhost');

  await page.goto(appUrl(mine()));
  await expect(page.locator('body')).toHaveText('v1');
  expect(page.url()).toBe(appUrl(mine()));
  const appCookies = await context.cookies(appUrl(mine()));
  expect(appCookies.map((cookie) => cookie.name)).toEqual(['rise_app_session']);
  expect(appCookies[0]).toMatchObject({ domain: `${mine()}.localhost`, httpOnly: true, sameSite: 'Lax' });
  await screenshot(page, 'private-app-member');

  // The app host's cookie is for this project only: another private app asks Rise again.
  await page.goto(appUrl(teams()));
  await expect(page.locator('body')).toHaveText('v1');
  await context.close();
});

test('a user who is not a member sees the 403 text', async ({ browser }) => {
  const context = await contextOf(browser, 'grace');
  const page = await context.newPage();
  await page.goto(appUrl(mine()));
  await expect(page.locator('body')).toContainText('not a member of the team that owns this app');
  expect(await context.cookies(appUrl(mine()))).toEqual([
    expect.objectContaining({ name: 'rise_app_state' }),
  ]);
  await screenshot(page, 'private-app-non-member');

  // As a viewer of devops she opens the private app devops owns.
  await page.goto(appUrl(teams()));
  await expect(page.locator('body')).toHaveText('v1');
  await context.close();
});
