import { buildCrashLoopImage, imageForProject, TEST_APP_PORT } from '../test/images';
import { apiAs } from './fixtures/rise-api';
import { screenshot } from './fixtures/screenshot';
import { expect, test } from './fixtures/test';

// An app that serves its health check, then exits 1 after printing a line, again and again: the
// worker restarts it as Docker reports each death (RISE_RESTART_BACKOFF_MS=500 in the e2e stack) until
// it is crash-looping, which the project's deployment list shows with the last exit code and output.

const PROJECT = 'crashy';
let deploymentId = '';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const image = await imageForProject(await buildCrashLoopImage('rise-e2e-crash-loop:1'), PROJECT);
  const api = apiAs('ada');
  const projects = await api.project.list.query();
  if (!projects.some((project) => project.name === PROJECT))
    await api.project.create.mutate({ name: PROJECT, port: TEST_APP_PORT, healthPath: '/health' });
  ({ id: deploymentId } = await api.deployment.create.mutate({ project: PROJECT, image }));
  await expect
    .poll(
      async () => {
        const deployment = await api.deployment.get.query({ project: PROJECT, deployment: deploymentId });
        return deployment.crashes?.crashLoopingSince ? 'crash-looping' : deployment.status;
      },
      { timeout: 120_000, intervals: [500], message: `${PROJECT} becomes crash-looping` },
    )
    .toBe('crash-looping');
});

// It would go on restarting (with backoff) through the other specs.
test.afterAll(async () => {
  await apiAs('ada').deployment.stop.mutate({ project: PROJECT });
});

test('the deployment list shows a crash-looping app with its last exit code and output', async ({ page }) => {
  await page.goto(`/projects/${PROJECT}`);
  await expect(page.getByRole('heading', { level: 1, name: PROJECT })).toBeVisible();
  const crashes = page.getByTestId(`crashes-${deploymentId}`);
  await expect(crashes.locator('summary')).toHaveText('crash-looping');
  await crashes.locator('summary').click();
  await expect(crashes).toContainText(/crash-looping since \S+: \d+ restarts, last exit code 1/);
  await expect(crashes.locator('pre')).toContainText('fatal: lost the database');
  await screenshot(page, 'deployment-crash-looping');
});
