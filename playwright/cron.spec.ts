import { imageForProject } from '../test/images';
import { apiAs } from './fixtures/rise-api';
import { screenshot } from './fixtures/screenshot';
import { e2e } from './fixtures/state';
import { expect, test } from './fixtures/test';

// The "Cron jobs" tab: a project's [[cron]] jobs with schedule, command, next and last run; "Run now"
// queues a run that the worker executes in a one-off container of the running deployment, and its
// status, exit code, duration and output show as it ends. grace, a viewer, gets no Run now.

const SETTLED = ['healthy', 'failed', 'cancelled', 'superseded', 'stopped', 'expired'];
const project = () => `cron-ui-${e2e().runId}`;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const api = apiAs('ada');
  // A team of its own with grace as a viewer: this file runs before the journey, which creates devops.
  const team = `cron-${e2e().runId}`;
  if (!(await api.team.list.query({ all: false })).some((item) => item.name === team)) {
    await api.team.create.mutate({ name: team });
    await api.team.addMember.mutate({ team, user: 'grace', role: 'viewer' });
  }
  if (!(await api.project.list.query()).some((item) => item.name === project())) {
    await api.project.create.mutate({ name: project(), owner: `team:${team}`, visibility: 'public' });
  }
  // Rise runs a local image only for the project its label names, as `rise d c` builds it.
  const image = await imageForProject(e2e().images.v1, project());
  const { id } = await api.deployment.create.mutate({ project: project(), image });
  await expect
    .poll(
      async () =>
        SETTLED.includes((await api.deployment.get.query({ project: project(), deployment: id })).status),
      { timeout: 90_000, message: `deployment of ${project()} settles` },
    )
    .toBe(true);
  expect((await api.deployment.get.query({ project: project(), deployment: id })).status).toBe('healthy');
  await api.cron.set.mutate({
    project: project(),
    jobs: [
      {
        name: 'report',
        schedule: '0 3 * * *',
        command: ['/bin/busybox', 'sh', '-c', 'echo report done; echo warned >&2'],
      },
      {
        name: 'broken',
        schedule: '*/30 * * * *',
        command: ['/bin/busybox', 'sh', '-c', 'echo oops; exit 3'],
      },
    ],
  });
});

test('lists the jobs, runs one now and shows its status, exit code, duration and output', async ({
  page,
}) => {
  await page.goto(`/projects/${project()}/cron`);
  await expect(
    page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Cron jobs' }),
  ).toHaveAttribute('aria-current', 'page');
  const section = page.getByRole('region', { name: 'Cron jobs' });
  const report = section.getByTestId('cron-job-report');
  await expect(report).toContainText('0 3 * * * (UTC)');
  await expect(report).toContainText('echo report done; echo warned >&2');
  await expect(report).toContainText('Next run in');
  await expect(report).toContainText('Never run');
  await expect(section.getByTestId('cron-job-broken')).toContainText('*/30 * * * * (UTC)');

  await report.getByRole('button', { name: 'Run now report' }).click();
  // Queued, then running in its container: the button waits, the status says where it stands.
  await expect(report.getByRole('button', { name: 'Run now report' })).toBeDisabled();
  await expect(report.getByRole('status')).toContainText(/Starting…|Queued…|Running…/);
  await expect(report.getByTestId('cron-last-report')).toHaveText('succeeded', { timeout: 90_000 });
  await expect(report.getByRole('button', { name: 'Run now report' })).toBeEnabled();

  await report.getByText('Recent runs').click();
  const runs = report.getByRole('list', { name: 'Runs of report' });
  await expect(runs.getByRole('listitem')).toHaveCount(1);
  const run = runs.getByRole('listitem').first();
  await expect(run).toContainText('succeeded');
  await expect(run).toContainText('exit 0');
  await expect(run).toContainText(/took \d+s/);
  await run.getByText('Output (2 lines)').click();
  const output = run.locator('pre');
  await expect(output).toContainText('stdout: report done');
  await expect(output).toContainText('stderr: warned');
  await screenshot(page, 'project-cron');

  const broken = section.getByTestId('cron-job-broken');
  await broken.getByRole('button', { name: 'Run now broken' }).click();
  await expect(broken.getByTestId('cron-last-broken')).toHaveText('failed', { timeout: 90_000 });
  await broken.getByText('Recent runs').click();
  const failed = broken.getByRole('list', { name: 'Runs of broken' }).getByRole('listitem');
  await expect(failed).toHaveCount(1);
  await expect(failed).toContainText('exit 3');
  await failed.getByText('Output (1 line)').click();
  await expect(failed.locator('pre')).toHaveText('stdout: oops');

  // What the page showed is what the API keeps.
  const kept = await apiAs('ada').cron.runs.query({ project: project(), name: 'broken' });
  expect(kept.map((item) => [item.status, item.exitCode])).toEqual([['failed', 3]]);
});

test.describe('as a viewer', () => {
  test.use({ user: 'grace' });

  test('grace sees the jobs and their runs but no Run now, and why', async ({ page }) => {
    await page.goto(`/projects/${project()}/cron`);
    const section = page.getByRole('region', { name: 'Cron jobs' });
    await expect(section.getByTestId('cron-job-report')).toBeVisible();
    await expect(section.getByRole('button', { name: /Run now/ })).toHaveCount(0);
    await expect(section).toContainText('Running a job now needs the developer role on this project.');
    const report = section.getByTestId('cron-job-report');
    await report.getByText('Recent runs').click();
    await expect(report.getByRole('list', { name: 'Runs of report' }).getByRole('listitem')).toHaveCount(1);
  });
});
