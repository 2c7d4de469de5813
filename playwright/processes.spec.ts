import { imageForProject } from '../test/images';
import { apiAs, appBody, ensureJourneyData } from './fixtures/rise-api';
import { screenshot } from './fixtures/screenshot';
import { e2e } from './fixtures/state';
import { expect, test } from './fixtures/test';

// The Processes panel of the Settings tab: each process (web first) with its command, desired replicas
// and the running version's instances; Apply scales them through project.scale, applied by the real
// worker without a redeploy, and the panel follows until every process runs its count.

const SETTLED = ['healthy', 'failed', 'cancelled', 'superseded', 'stopped', 'expired'];
const project = () => `procs-${e2e().runId}`;
const WORKER = ['/bin/busybox', 'sleep', '3600'];

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await ensureJourneyData({ deployed: false });
  const api = apiAs('ada');
  if (!(await api.project.list.query()).some((item) => item.name === project())) {
    await api.project.create.mutate({ name: project(), owner: 'team:devops', visibility: 'public' });
  }
  await api.project.setProcesses.mutate({
    project: project(),
    web: {},
    processes: { worker: { command: WORKER, replicas: 1 } },
  });
  await api.project.scale.mutate({ project: project(), counts: { web: 1, worker: 1 } });
  const image = await imageForProject(e2e().images.v1, project());
  const { id } = await api.deployment.create.mutate({ project: project(), image });
  await expect
    .poll(
      async () =>
        SETTLED.includes((await api.deployment.get.query({ project: project(), deployment: id })).status),
      { timeout: 120_000, message: `deployment of ${project()} settles` },
    )
    .toBe(true);
  expect((await api.deployment.get.query({ project: project(), deployment: id })).status).toBe('healthy');
});

test('shows each process and its instances, and scales web up and the worker down', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(`/projects/${project()}/settings`);
  const panel = page.getByRole('region', { name: 'Processes' });
  const rows = panel.getByTestId(/^process-/);
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toHaveAttribute('data-testid', 'process-web');
  const web = panel.getByTestId('process-web');
  const worker = panel.getByTestId('process-worker');
  await expect(web).toContainText('1 replica · 1 of 1 running');
  await expect(web).toContainText("the image's command");
  await expect(web.getByTestId('instance-web-0')).toContainText('running');
  await expect(web.getByTestId('instance-web-0')).toContainText(/started (now|.* ago)/);
  await expect(worker).toContainText(JSON.stringify(WORKER));
  await expect(worker.getByTestId('instance-worker-0')).toContainText('running');
  await expect(web.getByText('No instances running.')).toHaveCount(0);

  // A count the API refuses is named before anything is sent.
  await web.getByLabel('Replicas of web').fill('21');
  await expect(web.getByText('expected at most 20 replicas')).toBeVisible();
  await web.getByLabel('Replicas of web').fill('2');
  await panel.getByRole('button', { name: 'Apply' }).click();
  await expect(panel.getByRole('status')).toContainText('web 1 → 2');
  await expect(panel.getByRole('status')).toHaveText('Scaled web 1 → 2.', { timeout: 90_000 });
  await expect(web).toContainText('2 replicas · 2 of 2 running');
  await expect(web.getByTestId('instance-web-1')).toContainText('running');
  await expect(web.getByLabel('Replicas of web')).toHaveValue('2');
  await screenshot(page, 'project-processes');
  // Scaled without a redeploy: one deployment, still serving.
  expect(await apiAs('ada').deployment.list.query({ project: project(), limit: 10 })).toHaveLength(1);
  expect(await appBody(project())).toBe('v1');

  await web.getByLabel('Replicas of web').fill('1');
  await worker.getByLabel('Replicas of worker').fill('0');
  await panel.getByRole('button', { name: 'Apply' }).click();
  await expect(panel.getByRole('status')).toHaveText('Scaled web 2 → 1, worker 1 → 0.', { timeout: 90_000 });
  await expect(worker).toContainText('No instances running.');
  await expect(web.getByTestId(/^instance-web-/)).toHaveCount(1);

  const { processes } = await apiAs('ada').project.processes.query({ project: project() });
  expect(processes.map((process) => [process.name, process.replicas, process.instances.length])).toEqual([
    ['web', 1, 1],
    ['worker', 0, 0],
  ]);
});

test.describe('as a viewer', () => {
  test.use({ user: 'grace' });

  test('grace sees the processes and instances without the scale control, and why', async ({ page }) => {
    await page.goto(`/projects/${project()}/settings`);
    const panel = page.getByRole('region', { name: 'Processes' });
    await expect(panel.getByTestId('instance-web-0')).toContainText('running');
    await expect(panel.getByRole('spinbutton')).toHaveCount(0);
    await expect(panel.getByRole('button', { name: 'Apply' })).toHaveCount(0);
    await expect(panel).toContainText('Scaling needs the developer role on this project.');
  });
});
