import { ensureJourneyData } from './fixtures/rise-api';
import { screenshot } from './fixtures/screenshot';
import { expect, test } from './fixtures/test';

// grace is a viewer on team devops, which owns project hello: she sees it, the dashboard offers her
// none of the buttons her role may not use, and the API refuses them anyway.

test.use({ user: 'grace' });

test.beforeAll(async () => {
  // Left as the journey left it; made up through the API when the journey did not get that far.
  await ensureJourneyData({ deployed: true });
});

test('a viewer sees the deployments of hello but no Deploy, Redeploy, Restart, Roll back, Stop or Start button', async ({
  page,
}) => {
  await page.goto('/projects/hello');
  await expect(page.getByRole('heading', { level: 1, name: 'hello' })).toBeVisible();
  await expect(page.getByTestId('signed-in-user')).toContainText('user:grace');
  const deployments = page.locator('[data-testid^="deployment-"]');
  await expect(deployments.first()).toBeVisible();
  expect(await deployments.count()).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('project-status')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Roll back to / })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Stop', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toHaveCount(0);
  for (const name of ['Deploy', 'Redeploy', 'Restart']) {
    await expect(page.getByRole('button', { name, exact: true })).toHaveCount(0);
  }
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }),
  ).toHaveCount(0);
  await screenshot(page, 'viewer-project');
});

test('a viewer gets no Reveal or Save on the Environment tab', async ({ page }) => {
  await page.goto('/projects/hello/env');
  await expect(page.getByRole('heading', { level: 1, name: 'hello' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Reveal / })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save variable' })).toHaveCount(0);
});

test("a rollback posted from the viewer's browser session is refused with 403 FORBIDDEN", async ({
  page,
}) => {
  await page.goto('/projects/hello');
  const response = await page.request.post('/api/trpc/deployment.rollback?batch=1', {
    data: { 0: { json: { project: 'hello' } } },
  });
  expect(response.status()).toBe(403);
  const body = (await response.json()) as { error: { json: { data: { code: string } } } }[];
  expect(body[0]?.error.json.data.code).toBe('FORBIDDEN');
});
