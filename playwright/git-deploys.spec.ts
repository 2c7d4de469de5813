import { createHmac, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRepository, git } from '../test/git-repository';
import { apiAs } from './fixtures/rise-api';
import { setGitSourceUrl } from './fixtures/rise-db';
import { e2e } from './fixtures/state';
import { expect, test } from './fixtures/test';

// Git-driven deploys in the dashboard, against a real git daemon: signed webhook deliveries listed with
// their status and deployment, one redelivered; "Deploy from git" lists the repository's branches and
// tags and starts a server build of the one picked (or of a typed commit), shown with trigger `manual`
// and its commit. This run has no registry, so the repository's Dockerfile fails on purpose: each build
// clones (recording its commit) and then fails at the build step, which the deployment shows.

const PROJECT = 'git-deploys';
const DOCKERFILE = 'FROM scratch\nCOPY missing-on-purpose /app\n';
let heads: Record<string, string>;
let secret: string;
let webhookUrl: string;

test.beforeAll(async () => {
  const ada = apiAs('ada');
  if (!(await ada.project.list.query({})).some((project) => project.name === PROJECT))
    await ada.project.create.mutate({ name: PROJECT });
  // Made once a run (a retried worker finds it made).
  const bare = join(e2e().git.root, `${PROJECT}.git`);
  heads = existsSync(bare)
    ? { main: git(bare, 'rev-parse', 'main'), 'feature/login': git(bare, 'rev-parse', 'feature/login') }
    : createRepository(e2e().git.root, PROJECT, [
        {
          name: 'main',
          files: { Dockerfile: DOCKERFILE },
          message: 'First version\n\nBuilt by the e2e test.',
        },
        {
          name: 'feature/login',
          files: { Dockerfile: DOCKERFILE, 'login.txt': 'login\n' },
          message: 'Add login',
        },
      ]);
  if (!existsSync(join(bare, 'refs', 'tags', 'v1.0.0')))
    git(bare, 'tag', '-a', 'v1.0.0', '-m', 'v1.0.0', 'main');
  const set = await ada.gitSource.set.mutate({
    project: PROJECT,
    repositoryUrl: 'https://git.example.test/acme/git-deploys.git',
    branch: 'main',
    rootDirectory: 'app',
    provider: 'github',
  });
  secret =
    set.webhookSecret ?? (await ada.gitSource.revealWebhookSecret.mutate({ project: PROJECT })).webhookSecret;
  webhookUrl = set.source.webhookUrl!;
  await setGitSourceUrl(PROJECT, `git://127.0.0.1:${e2e().git.port}/${PROJECT}.git`);
});

/** POSTs a push as GitHub does, signed with the source's webhook secret. */
async function postPush(delivery: string, ref: string, sha: string) {
  const body = JSON.stringify({
    ref,
    after: sha,
    head_commit: { id: sha, message: 'First version', author: { name: 'Ada' } },
    commits: [{ added: ['Dockerfile'] }],
  });
  const response = await fetch(webhookUrl, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': delivery,
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
  });
  return {
    status: response.status,
    body: (await response.json()) as { status: string; deploymentId?: string },
  };
}

test('lists webhook deliveries with their status and deployment, and redelivers one', async ({ page }) => {
  const accepted = randomUUID();
  const ignored = randomUUID();
  const push = await postPush(accepted, 'refs/heads/main', heads.main!);
  expect(push).toMatchObject({ status: 202, body: { status: 'accepted' } });
  const first = push.body.deploymentId!;
  expect((await postPush(ignored, 'refs/heads/elsewhere', heads.main!)).body.status).toBe('ignored');

  await page.goto(`/projects/${PROJECT}/source`);
  const deliveries = page.getByRole('region', { name: 'Recent deliveries' });
  const acceptedRow = deliveries.getByTestId(`delivery-${accepted}`);
  await expect(acceptedRow).toContainText('push');
  await expect(acceptedRow).toContainText('accepted');
  await expect(acceptedRow).toContainText(`Deploying main at ${heads.main!.slice(0, 7)}.`);
  await expect(acceptedRow.getByRole('link', { name: first })).toBeVisible();
  const ignoredRow = deliveries.getByTestId(`delivery-${ignored}`);
  await expect(ignoredRow).toContainText('ignored');
  await expect(ignoredRow).toContainText('Push to refs/heads/elsewhere; the project deploys branch main.');
  await expect(ignoredRow.getByRole('button', { name: /Redeliver/ })).toHaveCount(0);

  await acceptedRow.getByRole('button', { name: `Redeliver ${accepted}` }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Redeliver' }).click();
  const redelivered = acceptedRow.getByRole('link', { name: /^\d{8}-\d{4}-[a-z0-9]{4}$/ });
  await expect(redelivered).not.toHaveText(first);
  const again = (await redelivered.textContent())!;
  const [delivery] = (await apiAs('ada').gitHooks.deliveries.query({ project: PROJECT })).filter(
    (d) => d.deliveryId === accepted,
  );
  expect(delivery).toMatchObject({ status: 'accepted', deploymentId: again });

  // The delivery's deployment: started by the push, with the pushed commit once cloned.
  await redelivered.click();
  await expect(page).toHaveURL(new RegExp(`/projects/${PROJECT}\\?deployment=${again}$`));
  await expect(page.getByRole('heading', { name: `Logs of ${again}` })).toBeVisible();
  const row = page.getByTestId(`deployment-${again}`);
  await expect(row).toContainText('git-push');
  await expect(row.getByTestId('commit')).toContainText(heads.main!.slice(0, 7), { timeout: 60_000 });
  await expect(row.getByTestId('commit')).toContainText('First version');
});

test('deploys a branch picked from the repository, and a typed commit', async ({ page }) => {
  await page.goto(`/projects/${PROJECT}/source`);
  await page
    .getByRole('region', { name: 'Repository' })
    .getByRole('button', { name: 'Deploy from git' })
    .click();
  const dialog = page.getByRole('dialog', { name: `Deploy ${PROJECT} from git` });
  const picker = dialog.getByLabel('Branch or tag', { exact: true });
  // The tracked branch first; every branch and tag of the repository with its commit.
  await expect(picker).toHaveValue('main');
  await expect(picker.locator('option')).toHaveText([
    `feature/login (${heads['feature/login']!.slice(0, 7)})`,
    `main (${heads.main!.slice(0, 7)})`,
    `v1.0.0 (${heads.main!.slice(0, 7)})`,
  ]);
  await picker.selectOption('feature/login');
  await dialog.getByRole('button', { name: 'Deploy latest commit' }).click();

  await expect(page).toHaveURL(new RegExp(`/projects/${PROJECT}\\?deployment=\\d{8}-\\d{4}-[a-z0-9]{4}$`));
  const id = new URL(page.url()).searchParams.get('deployment')!;
  const row = page.getByTestId(`deployment-${id}`);
  await expect(row).toContainText('manual');
  await expect(page.getByRole('heading', { name: `Logs of ${id}` })).toBeVisible();
  // Once cloned: the commit of feature/login; then the build fails at the Dockerfile, as planned.
  const commit = row.getByTestId('commit');
  await expect(commit).toContainText(heads['feature/login']!.slice(0, 7), { timeout: 60_000 });
  for (const part of ['Add login', 'by Ada <ada@example.test>', 'on feature/login'])
    await expect(commit).toContainText(part);
  const view = page.getByTestId('deployment-source');
  await expect(view).toContainText(heads['feature/login']!);
  await expect(view).toContainText('manual');
  await expect(page.getByRole('region', { name: 'Deploy events' })).toContainText(
    `Cloning git://127.0.0.1:${e2e().git.port}/${PROJECT}.git`,
  );
  await expect(row.getByText('failed', { exact: true })).toBeVisible({ timeout: 90_000 });

  // From the Deployments tab: a typed commit sha is built as it is.
  await page.getByRole('button', { name: 'Deploy from git' }).click();
  const again = page.getByRole('dialog', { name: `Deploy ${PROJECT} from git` });
  const typedRef = again.getByLabel('Commit or ref', { exact: true });
  await typedRef.fill('--upload-pack=touch');
  await expect(again.getByText('a git ref is letters, digits, ., _, / and -')).toBeVisible();
  await typedRef.fill(heads.main!);
  await again.getByRole('button', { name: 'Deploy this commit' }).click();
  await expect(again).toHaveCount(0);
  // The new deployment's logs show at once.
  const logsHeading = page.getByRole('heading', { name: /^Logs of / });
  await expect(logsHeading).not.toHaveText(`Logs of ${id}`);
  const typedId = (await logsHeading.textContent())!.replace('Logs of ', '');
  const created = await apiAs('ada').deployment.get.query({ project: PROJECT, deployment: typedId });
  expect(created).toMatchObject({ trigger: 'manual', commit: { ref: 'main', sha: heads.main } });
  const typed = page.getByTestId(`deployment-${typedId}`);
  await expect(typed).toContainText('manual');
  await expect(typed.getByTestId('commit')).toContainText(heads.main!.slice(0, 7));
  await expect(typed.getByTestId('commit')).toContainText('First version', { timeout: 60_000 });
});
