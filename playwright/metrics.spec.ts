import { apiAs, ensureJourneyData } from './fixtures/rise-api';
import { screenshot } from './fixtures/screenshot';
import { expect, test } from './fixtures/test';

// The worker samples running apps and checks their URLs every minute (metrics-sample, uptime-check):
// hello, deployed, gets real figures, which the Metrics tab charts and the overview lists.

test.beforeAll(async () => {
  test.setTimeout(300_000);
  await ensureJourneyData({ deployed: true });
  const api = apiAs('ada');
  await expect
    .poll(
      async () => {
        const series = await api.metrics.series.query({ project: 'hello', range: '1h' });
        return series.resources.length > 0 && series.uptime.length > 0;
      },
      { timeout: 180_000, intervals: [5_000], message: 'the worker samples and checks hello' },
    )
    .toBe(true);
});

test('the Metrics tab charts CPU, memory, network and response time with current figures', async ({
  page,
}) => {
  await page.goto('/projects/hello/metrics');
  await expect(page.getByRole('heading', { level: 1, name: 'hello' })).toBeVisible();
  for (const chart of ['CPU', 'Memory', 'Network', 'Response time']) {
    await expect(page.getByTestId(`chart-${chart}`).locator('canvas')).toHaveCount(1);
    await expect(page.getByTestId(`chart-${chart}`).locator('.u-legend')).toBeVisible();
  }
  // The legends show the newest values.
  await expect(page.getByTestId('chart-CPU').locator('.u-legend')).toContainText(/CPU:?\s*\d+\.\d%/);
  await expect(page.getByTestId('chart-Memory').locator('.u-legend')).toContainText(
    /Memory:?\s*[\d.]+ (KiB|MiB)/,
  );
  await expect(page.getByTestId('chart-Response time').locator('.u-legend')).toContainText(
    /Response:?\s*\d+ ms/,
  );
  const summary = page.getByTestId('metrics-summary');
  await expect(summary).toContainText(/CPU\s*\d+\.\d%/);
  await expect(summary).toContainText(/Memory\s*[\d.]+ (KiB|MiB)/);
  await expect(summary).toContainText(/Uptime\s*\d+\.\d\d%/);
  await expect(summary).toContainText(/Response time\s*\d+ ms/);
  await screenshot(page, 'project-metrics');
});

test('the overview lists the apps with their figures and recent events', async ({ page }) => {
  // The feed holds what happened (deployments, uptime…), not deployment log lines. Other specs deploy
  // too, so it is checked against the newest notification event, whichever project it belongs to.
  const { events } = await apiAs('ada').metrics.events.query({ limit: 30 });
  expect(events.length).toBeGreaterThan(0);
  await page.goto('/overview');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  const hello = page.getByTestId('overview-app-hello');
  await expect(hello).toContainText(/\d+\.\d%/);
  await expect(hello).toContainText(/MiB|KiB/);
  await expect(hello).toContainText(/up, \d+ ms/);
  const feed = page.getByTestId('recent-events').getByRole('listitem');
  await expect(feed.filter({ hasText: events[0]!.message }).first()).toContainText(events[0]!.project);
  await expect(feed.filter({ hasText: /Cloning|Step \d+\/\d+/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Memory' }).click();
  await expect(page.getByRole('button', { name: 'Memory ↓' })).toHaveAttribute('aria-pressed', 'true');
  await screenshot(page, 'overview');
});
