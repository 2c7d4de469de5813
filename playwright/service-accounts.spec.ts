import { apiAs, ensureJourneyData } from './fixtures/rise-api';
import { screenshot } from './fixtures/screenshot';
import { e2e } from './fixtures/state';
import { expect, test } from './fixtures/test';

// The "Service accounts" tab of a project: the accounts CI jobs deploy as with their CI's OIDC token,
// each with the GitHub Actions and GitLab CI snippet filled with this Rise's URL, the project and the
// account's aud; admins create (aud plus at least one more claim) and delete them, viewers only read.

const PROJECT = 'sa-ui';
const GITHUB = 'https://token.actions.githubusercontent.com';
const AUDIENCE = 'rise-e2e-audience';

test.beforeAll(async () => {
  const ada = apiAs('ada');
  if (!(await ada.project.list.query({})).some((project) => project.name === PROJECT))
    await ada.project.create.mutate({ name: PROJECT });
  for (const account of await ada.serviceAccount.list.query({ project: PROJECT }))
    await ada.serviceAccount.delete.mutate({ project: PROJECT, name: account.name });
});

test('creates a service account with its CI snippets, refuses aud alone, deletes it', async ({ page }) => {
  await page.goto(`/projects/${PROJECT}/service-accounts`);
  await expect(
    page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Service accounts' }),
  ).toHaveAttribute('aria-current', 'page');
  const section = page.getByRole('region', { name: 'Service accounts' });
  await expect(section.getByText('No service accounts')).toBeVisible();
  const form = section.getByRole('form', { name: 'New service account' });
  const create = form.getByRole('button', { name: 'Create service account' });

  // aud alone: the form says why and nothing is created.
  await form.getByLabel('Name', { exact: true }).fill('aud-only');
  await form.getByLabel('Issuer URL', { exact: true }).fill(GITHUB);
  await form.getByLabel('Audience (aud)', { exact: true }).fill(AUDIENCE);
  await create.click();
  await expect(form.getByRole('alert')).toContainText('at least one claim besides aud');
  expect(await apiAs('ada').serviceAccount.list.query({ project: PROJECT })).toEqual([]);
  await expect(section.getByText('No service accounts')).toBeVisible();

  // aud and repository: listed with its issuer, claims and role.
  await form.getByLabel('Name', { exact: true }).fill('deploy-main');
  await form.getByLabel('Claim 1 name', { exact: true }).fill('repository');
  await form.getByLabel('Claim 1 value', { exact: true }).fill('acme/sa-ui');
  await form.getByLabel('Role', { exact: true }).selectOption('developer');
  await create.click();
  await expect(form.getByRole('status')).toContainText('Created deploy-main');
  const item = section.getByTestId('service-account-deploy-main');
  await expect(item).toContainText(GITHUB);
  await expect(item).toContainText('developer');
  await expect(item).toContainText('not in RISE_TRUSTED_ISSUERS');
  const claims = item.getByRole('list', { name: 'Claims of deploy-main' });
  await expect(claims.getByRole('listitem')).toHaveText([`aud=${AUDIENCE}`, 'repository=acme/sa-ui']);

  // A GitHub issuer opens the GitHub Actions snippet; both carry this Rise, the project and the aud.
  const tabs = item.getByRole('tablist', { name: 'CI setup for deploy-main' });
  const snippet = item.getByTestId('ci-snippet-deploy-main');
  await expect(tabs.getByRole('tab', { name: 'GitHub Actions' })).toHaveAttribute('aria-selected', 'true');
  await expect(snippet).toContainText('id-token: write');
  await expect(snippet).toContainText(`audience=${AUDIENCE}`);
  await expect(snippet).toContainText(`RISE_URL: "${e2e().url}"`);
  await expect(snippet).toContainText(`rise d c ${PROJECT}`);
  await expect(
    item.getByRole('button', { name: 'Copy GitHub Actions snippet for deploy-main' }),
  ).toBeVisible();
  await tabs.getByRole('tab', { name: 'GitLab CI' }).click();
  await expect(snippet).toContainText(`aud: "${AUDIENCE}"`);
  await expect(snippet).toContainText(`RISE_URL: "${e2e().url}"`);
  await expect(snippet).toContainText(`rise d c ${PROJECT}`);
  await screenshot(page, 'project-service-accounts');

  // The list is the API's after a reload, not only the form's result.
  await page.reload();
  await expect(item).toContainText(GITHUB);

  await item.getByRole('button', { name: 'Delete deploy-main' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete service account' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(item).toBeVisible();
  await item.getByRole('button', { name: 'Delete deploy-main' }).click();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(item).toHaveCount(0);
  await expect(section.getByText('No service accounts')).toBeVisible();
  expect(await apiAs('ada').serviceAccount.list.query({ project: PROJECT })).toEqual([]);
});

test.describe('as a viewer', () => {
  test.use({ user: 'grace' });
  test.beforeAll(async () => {
    await ensureJourneyData({ deployed: false });
    const ada = apiAs('ada');
    if (
      !(await ada.serviceAccount.list.query({ project: 'hello' })).some((a) => a.name === 'ci-viewer-check')
    )
      await ada.serviceAccount.create.mutate({
        project: 'hello',
        name: 'ci-viewer-check',
        issuer: 'https://gitlab.com',
        claims: { aud: AUDIENCE, project_path: 'devops/hello' },
        role: 'developer',
      });
  });

  test('sees the accounts and their snippets but no form and no Delete', async ({ page }) => {
    await page.goto('/projects/hello/service-accounts');
    const item = page.getByTestId('service-account-ci-viewer-check');
    await expect(item).toContainText('https://gitlab.com');
    await expect(item.getByRole('tab', { name: 'GitLab CI' })).toHaveAttribute('aria-selected', 'true');
    await expect(item.getByTestId('ci-snippet-ci-viewer-check')).toContainText(`aud: "${AUDIENCE}"`);
    await expect(page.getByRole('form', { name: 'New service account' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Create service account' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^Delete/ })).toHaveCount(0);
  });
});
