import { ensureJourneyData } from './fixtures/rise-api';
import { screenshot } from './fixtures/screenshot';
import { expect, test } from './fixtures/test';

// The dashboard's terminal: xterm.js over the WebSocket `rise exec` uses, to a shell in hello's running
// container (a busybox image: the shell is `/bin/busybox sh`).

test.beforeAll(async () => {
  await ensureJourneyData({ deployed: true });
});

test('the terminal runs echo hello in the running container and shows the output', async ({ page }) => {
  await page.goto('/projects/hello/terminal');
  await expect(page.getByRole('heading', { level: 1, name: 'hello' })).toBeVisible();
  await page.getByLabel('Command').fill('/bin/busybox sh');
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('terminal-status')).toContainText(/Connected to deployment \d{8}-\d{4}-/);
  await page.getByTestId('terminal').click();
  await page.keyboard.type('echo hello');
  await page.keyboard.press('Enter');
  // The typed line shows `echo hello`; the command's output is a row of its own.
  const rows = page.getByTestId('terminal').locator('.xterm-rows > div');
  await expect(rows.filter({ hasText: /^hello\s*$/ })).toHaveCount(1);
  await screenshot(page, 'project-terminal');
  await page.keyboard.type('exit 7');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('terminal-status')).toHaveText('The command exited with code 7.');
});

test.describe('as a viewer', () => {
  test.use({ user: 'grace' });

  test('grace is told the terminal needs the admin role, and gets no Connect', async ({ page }) => {
    await page.goto('/projects/hello/terminal');
    await expect(page.getByText('The terminal needs the admin role')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Connect' })).toHaveCount(0);
  });
});
