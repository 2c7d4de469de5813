import Dockerode from 'dockerode';
import { buildBusyboxBaseImage } from '../test/busybox-base-image';
import { apiAs, ensureJourneyData } from './fixtures/rise-api';
import { screenshot } from './fixtures/screenshot';
import { e2e } from './fixtures/state';
import { expect, test } from './fixtures/test';

// The backup buttons of the Volumes tab, run by the real worker through its helper containers: "Back
// up now" takes a backup (pending, running, succeeded, with its file count), "Drill" restores it into
// a scratch volume and compares every file, "Restore" asks first, naming the volume it overwrites,
// then puts the backed-up files back. grace, a viewer, sees the backups without the buttons.

const project = () => `vol-bk-${e2e().runId}`;
const VOLUME = 'files';
const docker = new Dockerode();
/** The Docker volume Rise mounts for the project's volume (see projectVolumeName). */
const dockerVolume = () => `rise-vol.e2e-${e2e().runId}.${project()}.${VOLUME}`;

/** Runs `script` in a busybox container with the volume at /v; returns what it printed. */
async function inVolume(script: string): Promise<string> {
  const container = await docker.createContainer({
    Image: await buildBusyboxBaseImage(docker),
    Cmd: ['/bin/sh', '-c', script],
    Tty: true,
    Labels: { 'rise.test': e2e().runId, 'dev.rise.managed-by': `e2e-${e2e().runId}` },
    HostConfig: { Mounts: [{ Type: 'volume', Source: dockerVolume(), Target: '/v' }] },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const output = (await container.logs({ stdout: true, stderr: true })).toString().trim();
    if (StatusCode !== 0) throw new Error(`${script} exited with ${StatusCode}: ${output}`);
    return output;
  } finally {
    await container.remove({ force: true });
  }
}

test.beforeAll(async () => {
  await ensureJourneyData({ deployed: false });
  const api = apiAs('ada');
  if (!(await api.project.list.query()).some((item) => item.name === project())) {
    await api.project.create.mutate({ name: project(), owner: 'team:devops', visibility: 'public' });
    await api.volume.create.mutate({ project: project(), name: VOLUME, mountPath: '/files' });
  }
  // What a deployment would have written: the volume as Rise creates it, with one file in it.
  await docker.createVolume({
    Name: dockerVolume(),
    Labels: {
      'dev.rise.managed-by': `e2e-${e2e().runId}`,
      'dev.rise.project': project(),
      'dev.rise.volume': VOLUME,
    },
  });
  await inVolume('printf original > /v/note.txt');
});

test('backs a volume up now, drills the backup and restores it after a confirmation', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(`/projects/${project()}/volumes`);
  const backups = page.getByRole('region', { name: 'Volume backups' });
  await expect(backups).toContainText('No volume backups yet');

  await page
    .getByTestId(`volume-${VOLUME}`)
    .getByRole('button', { name: `Back up now ${VOLUME}` })
    .click();
  const row = backups.getByRole('listitem');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId(/^volume-backup-status-/)).toHaveText('succeeded', { timeout: 90_000 });
  await expect(row).toContainText('1 file');
  await expect(row.getByTestId(/^volume-backup-drill-/)).toHaveText('not drilled');

  await row.getByRole('button', { name: `Drill backup of ${VOLUME}` }).click();
  await expect(row.getByRole('button', { name: `Drill backup of ${VOLUME}` })).toBeDisabled();
  await expect(row.getByRole('status')).toHaveText('Drilling…');
  await expect(row.getByTestId(/^volume-backup-drill-/)).toContainText('drill passed', { timeout: 90_000 });
  await expect(row.getByText('Drilling…')).toHaveCount(0);
  await expect(row.getByRole('button', { name: `Drill backup of ${VOLUME}` })).toBeEnabled();
  await screenshot(page, 'project-volume-backups');

  // The app changed the file since: a restore puts the backed-up one back.
  await inVolume('printf changed > /v/note.txt');
  await row.getByRole('button', { name: `Restore backup of ${VOLUME}` }).click();
  const dialog = page.getByRole('dialog', { name: `Restore volume ${VOLUME}` });
  await expect(dialog).toContainText(
    `Every file in the volume ${VOLUME} is replaced by this backup's 1 file`,
  );
  await expect(dialog).toContainText('files written since are lost');
  await dialog.getByRole('button', { name: `Overwrite ${VOLUME}` }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByText('Restoring…')).toBeVisible();
  await expect(row).toContainText(/restored/, { timeout: 90_000 });
  await expect(row.getByText('Restoring…')).toHaveCount(0);
  expect(await inVolume('cat /v/note.txt')).toBe('original');

  const [kept] = await apiAs('ada').volume.backups.query({ project: project() });
  expect(kept).toMatchObject({ volume: VOLUME, status: 'succeeded', files: 1, drill: { ok: true } });
  expect(kept?.restoredAt).not.toBeNull();
});

test.describe('as a viewer', () => {
  test.use({ user: 'grace' });

  test('grace sees the backups and their drills, without the buttons, and why', async ({ page }) => {
    await page.goto(`/projects/${project()}/volumes`);
    const backups = page.getByRole('region', { name: 'Volume backups' });
    await expect(backups.getByRole('listitem')).toHaveCount(1);
    await expect(backups).toContainText('drill passed');
    await expect(page.getByRole('button', { name: /Back up now|Drill|Restore/ })).toHaveCount(0);
    await expect(backups).toContainText(
      'Drills need the developer role on this project, restores the admin role.',
    );
  });
});
