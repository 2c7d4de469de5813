import type { Page } from '@playwright/test';
import Dockerode from 'dockerode';
import { imageForProject } from '../test/images';
import { apiAs, appBody, expectAppServes } from './fixtures/rise-api';
import { screenshot } from './fixtures/screenshot';
import { e2e } from './fixtures/state';
import { expect, test } from './fixtures/test';

// The dashboard deploys on its own: a project that never ran offers Deploy (with the CLI commands),
// not a Start that can only fail; Deploy takes an image reference checked as it is typed; Redeploy
// applies changed env vars; Restart replaces the instances without dropping requests. A viewer sees
// none of the three.

test.describe.configure({ mode: 'serial' });

const project = () => `deploy-${e2e().runId}`;
let image = '';

const api = () => apiAs('ada');
const header = (page: Page) => page.getByTestId('project-actions');

/** The deployments of the project, newest first. */
const deployments = () => api().deployment.list.query({ project: project(), limit: 20 });

/** Waits until a deployment newer than `after` is the active, healthy one; returns it. */
async function expectNewActive(after: string | null) {
  let found: Awaited<ReturnType<typeof deployments>>[number] | undefined;
  await expect
    .poll(
      async () => {
        found = (await deployments()).find((d) => d.active);
        return found && found.id !== after ? found.status : `still ${after ?? 'none'}`;
      },
      { timeout: 90_000, message: `a new deployment of ${project()} is active and healthy` },
    )
    .toBe('healthy');
  return found!;
}

/** The env the Docker engine runs a deployment's container with. */
async function containerEnv(deploymentId: string) {
  const info = await new Dockerode().getContainer(`rise-${project()}-${deploymentId}`).inspect();
  return info.Config.Env ?? [];
}

async function containerExists(deploymentId: string) {
  return new Dockerode()
    .getContainer(`rise-${project()}-${deploymentId}`)
    .inspect()
    .then(
      () => true,
      (error: { statusCode?: number }) => {
        if (error.statusCode === 404) return false;
        throw error;
      },
    );
}

async function confirm(page: Page, button: string, dialogTitle: string) {
  await header(page).getByRole('button', { name: button, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: dialogTitle });
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await expect(dialog).toBeHidden();
}

test.beforeAll(async () => {
  // A team of its own with grace as a viewer (the journey creates devops itself, so not that one); the
  // project belongs to it so that she can look at it.
  const team = `deployers-${e2e().runId}`;
  await api().team.create.mutate({ name: team });
  await api().team.addMember.mutate({ team, user: 'grace', role: 'viewer' });
  await api().project.create.mutate({ name: project(), owner: `team:${team}`, visibility: 'public' });
  // Rise runs a local image only for the project its label names.
  image = await imageForProject(e2e().images.v1, project());
});

test('a project that never ran says so, shows the CLI commands and offers Deploy, not Start', async ({
  page,
}) => {
  await page.goto(`/projects/${project()}`);
  await expect(page.getByRole('heading', { level: 1, name: project() })).toBeVisible();
  await expect(page.getByTestId('project-status')).toHaveText('not deployed');
  await expect(page.getByText('Not deployed yet')).toBeVisible();
  await expect(page.getByText(`rise d c ${project()}`, { exact: true })).toBeVisible();
  await expect(page.getByText(`rise d c ${project()} --image <ref>`, { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Redeploy', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Restart', exact: true })).toHaveCount(0);
  await screenshot(page, 'project-not-deployed');
});

test('Deploy: the image is checked as it is typed, then runs and answers through Caddy', async ({ page }) => {
  await page.goto(`/projects/${project()}`);
  await header(page).getByRole('button', { name: 'Deploy', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Deploy ${project()}` });
  const field = dialog.getByLabel('Image', { exact: true });

  await field.fill('Acme/App:1.0');
  // The server's own words for the malformed reference (the schema `deployment.create` uses).
  const problem = (await api().deployment.checkImage.query({ project: project(), image: 'Acme/App:1.0' }))
    .problem;
  expect(problem).toBeTruthy();
  await expect(dialog.getByRole('alert')).toHaveText(problem!);
  await expect(dialog.getByRole('button', { name: 'Deploy', exact: true })).toBeDisabled();

  await field.fill(image);
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await screenshot(page, 'deploy-dialog');
  await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
  await expect(dialog).toBeHidden();

  const first = await expectNewActive(null);
  expect(first.image).toBe(image);
  await expect(page.getByTestId('project-status')).toHaveText('running', { timeout: 30_000 });
  await expectAppServes(project(), 'v1');
});

test('Redeploy applies a changed env var as a new deployment of the same image', async ({ page }) => {
  const before = (await deployments()).find((d) => d.active)!;
  expect(await containerEnv(before.id)).not.toContain('GREETING=hello-redeploy');
  await api().env.set.mutate({
    project: project(),
    vars: [{ key: 'GREETING', value: 'hello-redeploy', secret: false }],
  });

  await page.goto(`/projects/${project()}`);
  await confirm(page, 'Redeploy', 'Redeploy project');
  const after = await expectNewActive(before.id);
  expect(after.imageDigest).toBe(before.imageDigest);
  expect(await containerEnv(after.id)).toContain('GREETING=hello-redeploy');
  await expectAppServes(project(), 'v1');
});

test('Restart replaces the instances while the app keeps answering', async ({ page }) => {
  const before = (await deployments()).find((d) => d.active)!;
  await page.goto(`/projects/${project()}`);

  const answers: string[] = [];
  let restarting = true;
  const sampling = (async () => {
    while (restarting) {
      answers.push(await appBody(project()));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  await confirm(page, 'Restart', 'Restart project');
  const after = await expectNewActive(before.id);
  // The old instance goes only after the switch settles: keep sampling until it is gone.
  await expect
    .poll(async () => (await deployments()).find((d) => d.id === before.id)?.status, { timeout: 30_000 })
    .toBe('superseded');
  await expect
    .poll(() => containerExists(before.id), { timeout: 30_000, message: 'the old instance is removed' })
    .toBe(false);
  restarting = false;
  await sampling;

  expect(after.imageDigest).toBe(before.imageDigest);
  expect(await containerEnv(after.id)).toContain('GREETING=hello-redeploy');
  expect(answers.length).toBeGreaterThan(10);
  expect(answers.filter((answer) => answer !== 'v1')).toEqual([]);
  await expectAppServes(project(), 'v1');
});

test.describe('at 375 px', () => {
  test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

  test('the running project with all its buttons fits the width', async ({ page }) => {
    await page.goto(`/projects/${project()}`);
    for (const name of ['Deploy', 'Redeploy', 'Restart', 'Stop']) {
      await expect(header(page).getByRole('button', { name, exact: true })).toBeVisible();
    }
    // The layout viewport (clientWidth) stays at 375 px under mobile emulation; see layout.spec.ts.
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    expect(clientWidth).toBe(375);
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth + 1);
    await screenshot(page, 'mobile-project-running');
  });
});

test.describe('as a viewer', () => {
  test.use({ user: 'grace' });

  test('grace sees the running project but no Deploy, Redeploy or Restart button', async ({ page }) => {
    await page.goto(`/projects/${project()}`);
    await expect(page.getByRole('heading', { level: 1, name: project() })).toBeVisible();
    await expect(page.getByTestId('project-status')).toHaveText('running');
    await expect(page.locator('[data-testid^="deployment-"]').first()).toBeVisible();
    for (const name of ['Deploy', 'Redeploy', 'Restart', 'Stop']) {
      await expect(page.getByRole('button', { name, exact: true })).toHaveCount(0);
    }
  });
});

test('the project list learns of a stop pushed over SSE, without polling', async ({ page }) => {
  const listRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('project.list')) listRequests.push(request.url());
  });
  // The server renders the first page; the change subscription's first message (resync) reloads it once.
  const resynced = page.waitForRequest((request) => request.url().includes('project.list'));
  await page.goto('/');
  await expect(page.getByTestId(`project-status-${project()}`)).toHaveText('running');
  await resynced;
  const before = listRequests.length;

  await api().deployment.stop.mutate({ project: project() });
  await expect(page.getByTestId(`project-status-${project()}`)).toHaveText('stopped');
  // The list used to be fetched again every 3 s; now only the pushed change updated it.
  await page.waitForTimeout(4000);
  expect(listRequests.slice(before)).toEqual([]);
});
