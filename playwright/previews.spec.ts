import type { Page } from '@playwright/test';
import { getThroughProxy } from '../test/http-through-proxy';
import { imageForProject } from '../test/images';
import { apiAs } from './fixtures/rise-api';
import { screenshot } from './fixtures/screenshot';
import { e2e } from './fixtures/state';
import { expect, test } from './fixtures/test';

// Previews: deployment groups other than default (`rise d c -g mr/26 --expire 2h`), each at its own
// URL until it expires. The Previews tab lists them with URL, status and a ticking expiry; Extend sets
// a new expiry, Stop removes the preview; the deployments list marks a preview's deployments with the
// group; the project lists count the live previews. A viewer sees them but neither Extend nor Stop.

test.describe.configure({ mode: 'serial' });

const project = () => `previews-${e2e().runId}`;
const team = () => `previewers-${e2e().runId}`;
const GROUP = 'mr/26';

const api = () => apiAs('ada');
const groups = () => api().deployment.groups.query({ project: project() });
const preview = (page: Page) => page.getByTestId(`preview-${GROUP}`);

/** What the preview's host answers through Caddy, or the error. */
async function previewBody(url: string) {
  try {
    const response = await getThroughProxy(e2e().caddyHttpPort, new URL(url).hostname);
    return response.status === 200 ? response.body.trim() : `HTTP ${response.status}`;
  } catch (error) {
    return (error as Error).message;
  }
}

test.beforeAll(async () => {
  // A team of its own with grace as a viewer, owning the project, so that she can look at it.
  await api().team.create.mutate({ name: team() });
  await api().team.addMember.mutate({ team: team(), user: 'grace', role: 'viewer' });
  await api().project.create.mutate({ name: project(), owner: `team:${team()}`, visibility: 'public' });
});

test('a project without previews says how to deploy one', async ({ page }) => {
  await page.goto(`/projects/${project()}`);
  await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Previews' }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${project()}/previews$`));
  const panel = page.getByRole('region', { name: 'Previews' });
  await expect(panel.getByText('No previews')).toBeVisible();
  await expect(panel.getByText(`rise d c ${project()} -g mr/26 --expire 7d`, { exact: true })).toBeVisible();
  await expect(page.getByTestId(`project-previews-${project()}`)).toHaveCount(0);
});

test('a live preview shows its URL, status, who deployed it and its expiry counting down', async ({
  page,
}) => {
  const image = await imageForProject(e2e().images.v1, project());
  const created = await api().deployment.create.mutate({
    project: project(),
    image,
    group: GROUP,
    expire: '2h',
  });
  expect(created.group).toBe(GROUP);
  await expect
    .poll(async () => (await groups()).find((g) => g.group === GROUP)?.status, {
      timeout: 90_000,
      message: `preview ${GROUP} of ${project()} is healthy`,
    })
    .toBe('healthy');
  const [listed] = await groups();
  expect(listed?.url).toContain('mr--26');
  await expect
    .poll(() => previewBody(listed!.url), { timeout: 30_000, message: 'the preview answers at its URL' })
    .toBe('v1');

  await page.goto(`/projects/${project()}/previews`);
  const item = preview(page);
  await expect(item.getByRole('link', { name: listed!.url })).toHaveAttribute('href', listed!.url);
  await expect(item.getByTestId(`preview-status-${GROUP}`)).toHaveText('healthy');
  await expect(item).toContainText('by user:ada');
  await expect(item).toContainText(created.id);
  const expiry = item.getByTestId(`preview-expiry-${GROUP}`);
  await expect(expiry).toHaveText(/^expires in 1h \d+m$/);
  await expect(expiry).toHaveAttribute('datetime', listed!.expiresAt!.toISOString());
  await screenshot(page, 'project-previews');
});

/** Minutes of "expires in 1h 58m" (hours and minutes only). */
function minutesLeft(text: string | null) {
  const match = /^expires in (?:(\d+)h)? ?(?:(\d+)m)?$/.exec(text ?? '');
  if (!match) throw new Error(`not an expiry in hours and minutes: ${text}`);
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}

test('the expiry counts down without reloading', async ({ page }) => {
  await page.clock.install();
  await page.goto(`/projects/${project()}/previews`);
  const expiry = preview(page).getByTestId(`preview-expiry-${GROUP}`);
  await expect(expiry).toHaveText(/^expires in 1h \d+m$/);
  const before = minutesLeft(await expiry.textContent());
  await page.clock.fastForward('05:00');
  // Five minutes on the page's clock; a real minute may also have turned meanwhile.
  await expect.poll(async () => before - minutesLeft(await expiry.textContent())).toBeGreaterThanOrEqual(5);
  expect(before - minutesLeft(await expiry.textContent())).toBeLessThanOrEqual(6);
});

test('the deployments list shows the preview deployment with its group and expiry', async ({ page }) => {
  const [deployment] = await api().deployment.list.query({ project: project(), limit: 20, allGroups: true });
  expect(deployment?.group).toBe(GROUP);
  await page.goto(`/projects/${project()}`);
  const row = page.getByTestId(`deployment-${deployment!.id}`);
  await expect(row.getByRole('link', { name: `group ${GROUP}` })).toHaveAttribute('href', deployment!.url);
  await expect(row.getByTestId(`expires-${deployment!.id}`)).toHaveText(/^expires in 1h \d+m$/);
});

test('the project lists and the project header count the live preview', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId(`project-previews-${project()}`)).toHaveText('1 preview');
  await page.goto(`/teams/${team()}`);
  await expect(page.getByTestId(`project-previews-${project()}`)).toHaveText('1 preview');
  await page.goto(`/projects/${project()}`);
  const fact = page.locator('header dl > div', { hasText: 'Live previews' });
  await expect(fact.locator('dd')).toHaveText('1');
});

test.describe('as a viewer', () => {
  test.use({ user: 'grace' });

  test('grace sees the preview but neither Extend nor Stop', async ({ page }) => {
    await page.goto(`/projects/${project()}/previews`);
    await expect(preview(page).getByTestId(`preview-status-${GROUP}`)).toHaveText('healthy');
    await expect(preview(page).getByTestId(`preview-expiry-${GROUP}`)).toHaveText(/^expires in /);
    await expect(page.getByRole('button', { name: /^Extend/ })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^Stop/ })).toHaveCount(0);
  });
});

test.describe('at 375 px', () => {
  test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

  test('the preview with its URL, expiry and buttons fits the width', async ({ page }) => {
    await page.goto(`/projects/${project()}/previews`);
    for (const name of [`Extend ${GROUP}`, `Stop ${GROUP}`]) {
      await expect(preview(page).getByRole('button', { name })).toBeInViewport();
    }
    await expect(preview(page).getByTestId(`preview-expiry-${GROUP}`)).toBeInViewport();
    // The layout viewport (clientWidth) stays at 375 px under mobile emulation; see layout.spec.ts.
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    expect(clientWidth).toBe(375);
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth + 1);
    await screenshot(page, 'mobile-project-previews');
  });
});

test('Extend sets a new expiry counted from now', async ({ page }) => {
  await page.goto(`/projects/${project()}/previews`);
  const item = preview(page);
  await expect(item.getByTestId(`preview-expiry-${GROUP}`)).toHaveText(/^expires in 1h \d+m$/);

  // Cancel changes nothing.
  await item.getByRole('button', { name: `Extend ${GROUP}` }).click();
  const dialog = page.getByRole('dialog', { name: `Extend ${GROUP}` });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(item.getByTestId(`preview-expiry-${GROUP}`)).toHaveText(/^expires in 1h \d+m$/);

  await item.getByRole('button', { name: `Extend ${GROUP}` }).click();
  await dialog.getByLabel('Expires in', { exact: true }).selectOption('1d');
  await expect(dialog).toContainText(`rise d extend ${project()} -g ${GROUP} --expire 1d`);
  const before = Date.now();
  await dialog.getByRole('button', { name: 'Extend', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(item.getByTestId(`preview-expiry-${GROUP}`)).toHaveText(/^expires in 23h 5\dm$/);

  const expiresAt = (await groups())[0]?.expiresAt?.getTime() ?? 0;
  expect(expiresAt).toBeGreaterThanOrEqual(before + 86_400_000 - 5000);
  expect(expiresAt).toBeLessThanOrEqual(Date.now() + 86_400_000);
  // The list is the API's after a reload, not only the dialog's result.
  await page.reload();
  await expect(item.getByTestId(`preview-expiry-${GROUP}`)).toHaveText(/^expires in 23h 5\dm$/);
});

test('Stop asks first, then removes the preview and its URL stops answering', async ({ page }) => {
  const [listed] = await groups();
  await page.goto(`/projects/${project()}/previews`);
  const item = preview(page);
  const stop = item.getByRole('button', { name: `Stop ${GROUP}` });
  const dialog = page.getByRole('dialog', { name: 'Stop preview' });

  await stop.click();
  await expect(dialog).toContainText(GROUP);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  expect((await groups()).map((g) => g.group)).toEqual([GROUP]);

  await stop.click();
  await dialog.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(item).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByRole('region', { name: 'Previews' }).getByText('No previews')).toBeVisible();
  expect(await groups()).toEqual([]);
  await expect
    .poll(() => previewBody(listed!.url), { timeout: 30_000, message: 'the preview URL stops answering' })
    .not.toBe('v1');

  await page.goto('/');
  await expect(page.getByRole('link', { name: project(), exact: true })).toBeVisible();
  await expect(page.getByTestId(`project-previews-${project()}`)).toHaveCount(0);
});
