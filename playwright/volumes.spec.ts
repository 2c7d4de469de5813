import { apiAs } from './fixtures/rise-api';
import { screenshot } from './fixtures/screenshot';
import { expect, test } from './fixtures/test';

// The "Volumes" tab of a project: its named volumes with mount path and size; admins add (checked as
// typed with the API's rules) and delete them.

const PROJECT = 'vol-ui';

test.beforeAll(async () => {
  const ada = apiAs('ada');
  if (!(await ada.project.list.query({})).some((project) => project.name === PROJECT))
    await ada.project.create.mutate({ name: PROJECT });
  for (const volume of await ada.volume.list.query({ project: PROJECT }))
    await ada.volume.delete.mutate({ project: PROJECT, name: volume.name });
});

test('adds a volume, refuses a bad mount path, lists it after a reload and deletes it', async ({ page }) => {
  await page.goto(`/projects/${PROJECT}/volumes`);
  await expect(
    page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Volumes' }),
  ).toHaveAttribute('aria-current', 'page');
  const section = page.getByRole('region', { name: 'Volumes' });
  await expect(section.getByText('No volumes')).toBeVisible();
  const form = page.getByRole('form', { name: 'New volume' });
  const add = form.getByRole('button', { name: 'Add volume' });

  await form.getByLabel('Name', { exact: true }).fill('data');
  await form.getByLabel('Mount path', { exact: true }).fill('/proc/data');
  await expect(
    form.getByText('Mount path "/proc/data" is under /proc, which the runtime owns.'),
  ).toBeVisible();
  await add.click();
  expect(await apiAs('ada').volume.list.query({ project: PROJECT })).toEqual([]);

  await form.getByLabel('Mount path', { exact: true }).fill('/data');
  await form.getByLabel('Size', { exact: true }).fill('512Mi');
  await add.click();
  await expect(form.getByRole('status')).toContainText('Added data.');
  const item = section.getByTestId('volume-data');
  await expect(item).toContainText('/data');
  await expect(item).toContainText('512Mi');
  await screenshot(page, 'project-volumes');

  await expect(item).toContainText('No scheduled backups');
  await expect(page.getByRole('region', { name: 'Volume backups' })).toContainText('No volume backups yet');

  // A schedule set from the terminal shows after a reload, with the list being the API's.
  await apiAs('ada').volume.schedule.mutate({ project: PROJECT, name: 'data', cron: '0 3 * * *', keep: 7 });
  await page.reload();
  await expect(item).toContainText('Mounted at /data');
  await expect(item).toContainText('Backed up at 0 3 * * * (UTC) to local, last 7 kept');
  expect(await apiAs('ada').volume.list.query({ project: PROJECT })).toMatchObject([
    { name: 'data', mountPath: '/data', size: '512Mi' },
  ]);

  await item.getByRole('button', { name: 'Delete data' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete volume' });
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(section.getByText('No volumes')).toBeVisible();
  expect(await apiAs('ada').volume.list.query({ project: PROJECT })).toEqual([]);
});
