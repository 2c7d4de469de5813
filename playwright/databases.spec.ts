import { PassThrough } from 'node:stream';
import { type BrowserContext, expect, type Locator, type Page, test } from '@playwright/test';
import Dockerode from 'dockerode';
import { ensureJourneyData } from './fixtures/rise-api';
import { screenshot } from './fixtures/screenshot';
import { e2e } from './fixtures/state';

// Managed databases in the dashboard, for real: ada (platform admin, owner of team devops) creates a
// project and a PostgreSQL database in the UI, the worker runs it in Docker, she backs it up, runs a
// restore drill and restores it in place, each with its live log; grace (a viewer of devops) sees the
// same history without a button that changes anything. Steps build on each other: serial.

let context: BrowserContext;
let page: Page;
const project = () => `shop-${e2e().runId}`;
/** The database's container name and host, named after the global setup's RISE_INSTANCE_ID `e2e-<runId>`. */
const databaseHost = () => `rise-e2e-${e2e().runId}-db-${project()}-main`;
const databasePath = () => `/projects/${project()}/databases/main`;

/** Rows of the backup history (the size cell has a data-testid of its own, so rows are `tr`s). */
const backupRows = () => page.locator('tr[data-testid^="backup-"]');

/** Runs SQL in the database's container as its user (local connections are trusted there). */
async function psql(sql: string): Promise<string> {
  const docker = new Dockerode();
  const host = databaseHost();
  const connection = page.getByRole('region', { name: 'Connection' });
  const item = (label: string) => connection.getByText(label, { exact: true }).locator('..').locator('dd');
  const username = (await item('User').textContent()) ?? '';
  const database = (await item('Database').textContent()) ?? '';
  const exec = await docker.getContainer(host).exec({
    Cmd: ['psql', '-U', username.trim(), '-d', database.trim(), '-v', 'ON_ERROR_STOP=1', '-Atc', sql],
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({});
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  // Docker multiplexes stdout and stderr on one stream; both are wanted here.
  docker.modem.demuxStream(stream, output, output);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const { ExitCode } = await exec.inspect();
  const text = Buffer.concat(chunks).toString('utf8').trim();
  expect(ExitCode, text).toBe(0);
  return text;
}

/** Opens the restore dialog of the newest succeeded backup, picks `mode` and starts it. */
async function startRestore(mode: RegExp, submit: string): Promise<Locator> {
  const row = backupRows().filter({ hasText: 'succeeded' }).first();
  await row.getByRole('button', { name: /^Restore/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Restore backup' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('radio', { name: mode }).check();
  await dialog.getByRole('button', { name: submit }).click();
  return dialog;
}

test.describe.configure({ mode: 'serial' });

test.describe('databases and backups', () => {
  test.beforeAll(async ({ browser }) => {
    await ensureJourneyData({ deployed: false });
    context = await browser.newContext({
      baseURL: e2e().url,
      storageState: e2e().storage.ada,
      viewport: { width: 1280, height: 900 },
    });
    page = await context.newPage();
  });

  test.afterAll(async () => {
    await context?.close();
  });

  test('ada creates a project and a PostgreSQL database from the Databases tab; it comes up running', async () => {
    await page.goto('/');
    await page.getByRole('button', { name: 'New project' }).click();
    const newProject = page.getByRole('dialog', { name: 'New project' });
    await newProject.getByLabel('Name', { exact: true }).fill(project());
    const owner = newProject.getByLabel('Owner', { exact: true });
    if ((await owner.evaluate((element) => element.tagName)) === 'SELECT')
      await owner.selectOption('team:devops');
    else await owner.fill('team:devops');
    await newProject.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(`**/projects/${project()}`);

    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Databases' }).click();
    await page.waitForURL(`**/projects/${project()}/databases`);
    await expect(page.getByText('No databases yet')).toBeVisible();
    await page.getByRole('button', { name: 'New database' }).click();
    const dialog = page.getByRole('dialog', { name: 'New database' });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Name', { exact: true }).fill('Main!');
    await expect(dialog.getByRole('alert')).toBeVisible();
    await dialog.getByLabel('Name', { exact: true }).fill('main');
    await expect(dialog.getByLabel('Engine')).toHaveValue('postgres');
    await expect(dialog.getByLabel('Env prefix')).toHaveValue('DATABASE');
    await dialog.getByLabel('Engine').selectOption('redis');
    await expect(dialog.getByLabel('Env prefix')).toHaveValue('REDIS');
    await dialog.getByLabel('Engine').selectOption('postgres');
    await screenshot(page, 'new-database-dialog');
    await dialog.getByRole('button', { name: 'Create database' }).click();
    await expect(dialog).toBeHidden();

    const row = page.getByTestId('database-main');
    await expect(row).toContainText('postgres');
    await expect(row).toContainText('DATABASE_URL');
    await expect(row).toContainText(`${databaseHost()}:5432`);
    // The list polls while the database is provisioning.
    await expect(row.getByTestId('database-status')).toHaveText('running', { timeout: 150_000 });
    await screenshot(page, 'databases');
  });

  test('the database page shows the connection; Reveal URL gives the postgres:// URL', async () => {
    await page.getByRole('link', { name: 'main', exact: true }).click();
    await page.waitForURL(`**${databasePath()}`);
    await expect(page.getByRole('heading', { level: 2, name: 'main' })).toBeVisible();
    const connection = page.getByRole('region', { name: 'Connection' });
    await expect(connection).toContainText(databaseHost());
    await expect(connection).toContainText('5432');
    await connection.getByRole('button', { name: 'Reveal URL' }).click();
    await expect(page.getByTestId('database-url')).toContainText(`postgres://`);
    await connection.getByRole('button', { name: 'Hide URL' }).click();
    await expect(page.getByTestId('database-url')).toHaveCount(0);
    await psql(
      "CREATE TABLE items (id serial PRIMARY KEY, name text); INSERT INTO items (name) VALUES ('a'), ('b'), ('c');",
    );
  });

  test('Back up now: the backup succeeds with a size', async () => {
    await expect(page.getByText('No backups yet')).toBeVisible();
    await page.getByRole('button', { name: 'Back up now' }).click();
    const row = backupRows().first();
    await expect(row).toBeVisible();
    await expect(row).toContainText('manual');
    await expect(row).toContainText('succeeded', { timeout: 90_000 });
    await expect(row.getByTestId('backup-size')).toHaveText(/^\d+(\.\d)? (B|KB|MB)$/);
    await expect(row).toContainText('local');
    await screenshot(page, 'database-backups');
  });

  test('a restore drill streams its log, passes and reports the row counts per table', async () => {
    const dialog = await startRestore(/Restore drill/, 'Start drill');
    await expect(dialog).toBeHidden();
    const log = page.getByTestId('restore-log');
    await expect(log).toBeVisible();
    await expect(page.getByTestId('restore-log-result')).toHaveText('succeeded', { timeout: 120_000 });
    await expect(log.locator('li')).not.toHaveCount(0);
    await expect(log).toContainText('restore succeeded');
    const report = page.getByTestId('drill-report');
    await expect(page.getByTestId('drill-result')).toHaveText('passed');
    const items = report.getByRole('row').filter({ hasText: 'items' });
    await expect(items).toContainText('3');
    await expect(report.locator('[data-mismatch]')).toHaveCount(0);
    await expect(page.locator('tr[data-testid^="restore-"]').first()).toContainText('drill');
    await screenshot(page, 'database-drill');
  });

  test('an in-place restore asks first, then brings the backed-up rows back, its log ending in success', async () => {
    await page.getByRole('button', { name: /^Close/ }).click();
    await psql("INSERT INTO items (name) VALUES ('written after the backup');");
    expect(await psql('SELECT count(*) FROM items')).toBe('4');

    const dialog = await startRestore(/Restore into this database/, 'Continue');
    await expect(dialog).toContainText('Data written since then is lost');
    await screenshot(page, 'database-restore-confirm');
    await dialog.getByRole('button', { name: 'Restore and overwrite' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('restore-log-result')).toHaveText('succeeded', { timeout: 120_000 });
    await expect(page.getByTestId('restore-log')).toContainText('restore succeeded');
    await expect(page.getByTestId('database-status')).toHaveText('running', { timeout: 60_000 });
    await expect.poll(() => psql('SELECT count(*) FROM items'), { timeout: 30_000 }).toBe('3');
    const restores = page.locator('tr[data-testid^="restore-"]');
    await expect(restores).toHaveCount(2);
    await expect(restores.first()).toContainText('in place');
    await expect(restores.first()).toContainText('succeeded');
    await screenshot(page, 'database-restored');
  });

  test('a schedule is added with its next run and removed again', async () => {
    const schedules = page.getByRole('region', { name: 'Schedules' });
    await schedules.getByLabel('Cron').fill('every day');
    await expect(schedules.getByRole('alert')).toBeVisible();
    await schedules.getByLabel('Cron').fill('0 3 * * *');
    await schedules.getByRole('button', { name: 'Add schedule' }).click();
    const row = schedules.locator('tr[data-testid^="schedule-"]');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('0 3 * * *');
    await expect(row).toContainText(/in \d+ (hours?|minutes?|seconds?)|tomorrow/);
    await row.getByRole('button', { name: /^Remove/ }).click();
    await page
      .getByRole('dialog', { name: 'Remove schedule' })
      .getByRole('button', { name: 'Remove' })
      .click();
    await expect(row).toHaveCount(0);
  });

  test("platform admin: Back up now on the admin page backs up Rise's own database", async () => {
    await page.goto('/admin');
    // A click before the page hydrates is lost (the button is server-rendered); it once was.
    await page.waitForLoadState('networkidle');
    const section = page.getByRole('region', { name: 'Platform backups', exact: true });
    await section.getByRole('button', { name: 'Back up now' }).click();
    const row = section.locator('tr[data-testid^="backup-"]').first();
    await expect(row).toContainText('succeeded', { timeout: 90_000 });
    await expect(row.getByTestId('backup-size')).toHaveText(/^\d+(\.\d)? (B|KB|MB)$/);
    await expect(row).toContainText('encrypted');
  });

  test('platform admin: a drill of that backup streams its log and passes', async () => {
    const section = page.getByRole('region', { name: 'Platform backups', exact: true });
    const row = section.locator('tr[data-testid^="backup-"]').filter({ hasText: 'succeeded' }).first();
    await row.getByRole('button', { name: /^Drill/ }).click();
    const result = section.getByTestId('restore-log-result');
    await expect(result).toHaveText(/succeeded|failed/, { timeout: 120_000 });
    await screenshot(page, 'admin-platform-backups');
    await expect(result).toHaveText('succeeded');
    await expect(section.getByTestId('drill-result')).toHaveText('passed');
  });

  test.describe('as grace, a viewer', () => {
    let viewer: BrowserContext;
    let viewerPage: Page;

    test.beforeAll(async ({ browser }) => {
      viewer = await browser.newContext({
        baseURL: e2e().url,
        storageState: e2e().storage.grace,
        viewport: { width: 1280, height: 900 },
      });
      viewerPage = await viewer.newPage();
    });

    test.afterAll(async () => {
      await viewer?.close();
    });

    test('sees the databases and the backup history but no button that changes anything', async () => {
      await viewerPage.goto(`/projects/${project()}/databases`);
      await expect(viewerPage.getByTestId('signed-in-user')).toContainText('user:grace');
      await expect(viewerPage.getByTestId('database-main')).toContainText('running');
      await expect(viewerPage.getByRole('button', { name: 'New database' })).toHaveCount(0);
      await expect(viewerPage.getByRole('button', { name: 'Add destination' })).toHaveCount(0);

      await viewerPage.goto(databasePath());
      await expect(viewerPage.locator('tr[data-testid^="backup-"]').first()).toContainText('succeeded');
      await expect(viewerPage.locator('tr[data-testid^="restore-"]')).toHaveCount(2);
      await expect(viewerPage.getByRole('button', { name: 'Back up now' })).toHaveCount(0);
      await expect(viewerPage.getByRole('button', { name: /^Restore/ })).toHaveCount(0);
      await expect(viewerPage.getByRole('button', { name: 'Reveal URL' })).toHaveCount(0);
      await expect(viewerPage.getByRole('button', { name: 'Add schedule' })).toHaveCount(0);
      await expect(viewerPage.getByRole('button', { name: 'Delete database' })).toHaveCount(0);
      await screenshot(viewerPage, 'viewer-database');
    });
  });
  test('deleting the database keeps its backups; one is restored into a new database', async () => {
    await page.goto(databasePath());
    await page.getByRole('button', { name: 'Delete database' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete database' });
    await confirm.getByLabel('Database name').fill('main');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(`**/projects/${project()}/databases`);

    const card = page.getByRole('region', { name: 'Backups of deleted databases' });
    const row = card.locator('tr[data-testid^="backup-"]').filter({ hasText: 'succeeded' }).first();
    await expect(row).toContainText('main', { timeout: 30_000 });
    await row.getByRole('button', { name: /^Restore into new database/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore into new database' });
    await dialog.getByLabel('New database name').fill('main-restored');
    await dialog.getByRole('button', { name: 'Restore into new database' }).click();
    await expect(page.getByTestId('restore-log-result')).toHaveText('succeeded', { timeout: 180_000 });
    await expect(page.getByTestId('database-main-restored')).toContainText('running', { timeout: 60_000 });
    await screenshot(page, 'deleted-database-restored');
  });
});
