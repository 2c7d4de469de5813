import { apiAs } from './fixtures/rise-api';
import { expect, test } from './fixtures/test';

// The Source tab: connect a repository (hostile URLs refused with the reason), copy the webhook URL,
// see the webhook secret once and reveal it later, generate a deploy key; the access token goes in
// and never comes back.

const PROJECT = 'git-source-ui';
const TOKEN = 'e2e-forge-t0ken';

test.beforeAll(async () => {
  const ada = apiAs('ada');
  if (!(await ada.project.list.query({})).some((project) => project.name === PROJECT))
    await ada.project.create.mutate({ name: PROJECT });
});

test('connects a repository, shows webhook and deploy key, keeps the token write-only', async ({ page }) => {
  await page.goto(`/projects/${PROJECT}`);
  await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Source' }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${PROJECT}/source$`));
  const repository = page.getByRole('region', { name: 'Repository' });
  const url = repository.getByLabel('Repository URL', { exact: true });

  await url.fill('file:///etc');
  await expect(repository.getByText("'file://' repositories are not allowed")).toBeVisible();
  await url.fill('git@github.com:acme/shop.git');
  await repository.getByLabel('Watch paths', { exact: true }).fill('src/**');
  await repository.getByRole('button', { name: 'Connect repository' }).click();
  await expect(repository.getByRole('status')).toContainText('Saved the git source.');

  const webhook = page.getByRole('region', { name: 'Webhook' });
  await expect(webhook.getByText(/\/api\/hooks\/git\/github\/[A-Za-z0-9_-]{32}$/)).toBeVisible();
  const source = await apiAs('ada').gitSource.revealWebhookSecret.mutate({ project: PROJECT });
  // Shown once on creation; hidden, then revealed on request.
  await expect(webhook.getByText(source.webhookSecret, { exact: true })).toBeVisible();
  await webhook.getByRole('button', { name: 'Hide secret' }).click();
  await expect(webhook.getByText(source.webhookSecret, { exact: true })).toHaveCount(0);
  await webhook.getByRole('button', { name: 'Reveal secret' }).click();
  await expect(webhook.getByText(source.webhookSecret, { exact: true })).toBeVisible();

  const credentials = page.getByRole('region', { name: 'Credentials' });
  await credentials.getByRole('button', { name: 'Generate deploy key' }).click();
  await expect(credentials.getByText(new RegExp(`^ssh-ed25519 AAAA\\S+ rise-${PROJECT}$`))).toBeVisible();

  const token = credentials.getByLabel('Access token', { exact: true });
  await expect(token).toHaveAttribute('type', 'password');
  await token.fill(TOKEN);
  await credentials.getByRole('button', { name: 'Save token' }).click();
  await expect(credentials.getByRole('status')).toContainText('Saved the access token.');
  await expect(token).toHaveValue('');
  await page.reload();
  await expect(page.getByText('A token is set (never shown). Saving replaces it.')).toBeVisible();
  expect(await page.content()).not.toContain(TOKEN);
});
