import { createServer, type Server } from 'node:http';
import { apiAs } from './fixtures/rise-api';
import { expect, test } from './fixtures/test';

// Notifications in a project's Settings: add a Slack channel pointing at a local receiver (the only
// address global-setup lets Rise reach), pick its events, Send test, and read the delivery log. The
// webhook URL goes in and never comes back.

const PROJECT = 'notify-ui';
const received: { path: string; body: string }[] = [];
let receiver: Server;

test.beforeAll(async () => {
  const ada = apiAs('ada');
  if (!(await ada.project.list.query({})).some((project) => project.name === PROJECT))
    await ada.project.create.mutate({ name: PROJECT });
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', body });
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) =>
    receiver.listen(Number(process.env.RISE_E2E_NOTIFY_PORT), '127.0.0.1', resolve),
  );
});

test.afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
});

test('adds a Slack channel, sends a test and shows it in the delivery log', async ({ page }) => {
  const hookPath = `/services/T0/B0/e2e-${Date.now()}`;
  await page.goto(`/projects/${PROJECT}/settings`);
  const section = page.getByRole('region', { name: 'Notifications' });
  await expect(section.getByText('No channels yet')).toBeVisible();

  const form = section.getByRole('form', { name: 'Add a notification channel' });
  await form.getByLabel('Type', { exact: true }).selectOption('slack');
  await form.getByLabel('Name', { exact: true }).fill('ops-slack');
  await form.getByLabel('Incoming webhook URL', { exact: true }).fill('not a url');
  await form.getByRole('button', { name: 'Add channel' }).click();
  await expect(form.getByRole('alert')).toContainText('Slack: Incoming webhook URL');

  await form
    .getByLabel('Incoming webhook URL', { exact: true })
    .fill(`http://127.0.0.1:${process.env.RISE_E2E_NOTIFY_PORT}${hookPath}`);
  await form.getByLabel('deployment.succeeded', { exact: true }).check();
  await form.getByRole('button', { name: 'Add channel' }).click();
  const channel = section.getByTestId('channel-ops-slack');
  await expect(channel).toContainText('deployment.succeeded');

  await channel.getByRole('button', { name: 'Send test' }).click();
  await expect(channel.getByTestId('last-delivery')).toHaveText('Last delivery: Sent (200)');
  expect(received).toHaveLength(1);
  expect(received[0]!.path).toBe(hookPath);
  expect(JSON.parse(received[0]!.body).text).toBe(`Rise test notification for project ${PROJECT}`);

  await channel.getByRole('button', { name: 'Delivery log' }).click();
  const row = channel.getByTestId('delivery-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('test');
  await expect(row).toContainText('sent (200)');

  await page.reload();
  await expect(section.getByTestId('channel-ops-slack')).toContainText('Last delivery: Sent (200)');
  expect(await page.content()).not.toContain(hookPath);
});
