import { apiAs, ensureJourneyData } from './fixtures/rise-api';
import { expect, test } from './fixtures/test';

// The "Registry credentials" section of a project's Settings: list, add or replace, remove. The
// password goes in and never comes back: not in the list, not in the form after saving or a reload.

const PROJECT = 'regcreds-ui';
const PASSWORD = 'e2e-registry-s3cret';

test.beforeAll(async () => {
  const ada = apiAs('ada');
  if (!(await ada.project.list.query({})).some((project) => project.name === PROJECT))
    await ada.project.create.mutate({ name: PROJECT });
});

test('adds, replaces and removes a registry login; the password is never shown again', async ({ page }) => {
  await page.goto(`/projects/${PROJECT}/settings`);
  const section = page.getByRole('region', { name: 'Registry credentials' });
  await expect(section.getByText('No registry logins')).toBeVisible();
  const password = section.getByLabel('Password or token', { exact: true });
  await expect(password).toHaveAttribute('type', 'password');
  await expect(password).toHaveValue('');

  await section.getByLabel('Registry host', { exact: true }).fill('https://ghcr.io');
  await section.getByLabel('User name', { exact: true }).fill('bot');
  await password.fill(PASSWORD);
  await section.getByRole('button', { name: 'Save login' }).click();
  await expect(section.getByRole('alert')).toContainText('give host[:port] only');

  await section.getByLabel('Registry host', { exact: true }).fill('GHCR.io');
  await section.getByRole('button', { name: 'Save login' }).click();
  const row = section.getByTestId('registry-login-ghcr.io');
  await expect(row).toContainText('bot');
  await expect(section.getByRole('status')).toContainText('Saved the login for ghcr.io');
  await expect(password).toHaveValue('');

  await section.getByLabel('Registry host', { exact: true }).fill('ghcr.io');
  await expect(section.getByText('ghcr.io has a login (bot): saving replaces it.')).toBeVisible();
  await section.getByLabel('User name', { exact: true }).fill('bot2');
  await password.fill(`${PASSWORD}-2`);
  await section.getByRole('button', { name: 'Save login' }).click();
  await expect(row).toContainText('bot2');

  await page.reload();
  await expect(row).toContainText('bot2');
  await expect(section.getByLabel('Password or token', { exact: true })).toHaveValue('');
  expect(await page.content()).not.toContain(PASSWORD);

  await row.getByRole('button', { name: 'Remove ghcr.io' }).click();
  await page
    .getByRole('dialog', { name: 'Remove registry login' })
    .getByRole('button', { name: 'Remove' })
    .click();
  await expect(row).toHaveCount(0);
  await expect(section.getByText('No registry logins')).toBeVisible();
});

test.describe('as a viewer', () => {
  test.use({ user: 'grace' });
  test.beforeAll(async () => {
    await ensureJourneyData({ deployed: false });
  });

  test('sees the section but no form', async ({ page }) => {
    await page.goto('/projects/hello/settings');
    await expect(page.getByRole('region', { name: 'Registry credentials' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Save login' })).toHaveCount(0);
    await expect(page.getByLabel('Password or token', { exact: true })).toHaveCount(0);
  });
});
