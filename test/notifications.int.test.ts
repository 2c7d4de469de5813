import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '@/env';
import { getDb } from '@/server/db';
import { listNotifications, raiseNotification } from '@/server/domains/notifications/notification.service';
import { freePort } from '@/server/platform/free-port';
import { apiAs, createTeamWithRoles, type TestUser, uniqueName, userCaller } from './fixtures';
import { waitFor } from './wait';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

// Every channel against a real receiver: local HTTP servers standing in for Slack, Teams, Discord, the
// Telegram Bot API, ntfy and a signed webhook, and a real SMTP server; the real worker delivers.

type Received = { path: string; headers: IncomingMessage['headers']; body: string; at: number };

const received: Received[] = [];
let flakyFailures = 2;
let http: Server;
let httpBase: string;
let smtp: SMTPServer;
let smtpPort: number;
const mails: { from: string; to: string[]; raw: string; user: string | undefined }[] = [];
let worker: WorkerProcess;
let admin: TestUser;
let teamName: string;
let projectName: string;
let projectId: string;

const BOT_TOKEN = `123456:${randomBytes(8).toString('hex')}`;
const HOOK_SECRET = randomBytes(24).toString('hex');
const SMTP_PASSWORD = randomBytes(12).toString('hex');
const SLACK_PATH = `/services/T000/B000/${randomBytes(8).toString('hex')}`;
const NTFY_TOKEN = `tk_${randomBytes(8).toString('hex')}`;

const api = () => apiAs(userCaller(admin));
const bodiesAt = (path: string) => received.filter((request) => request.path === path);

beforeAll(async () => {
  http = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body, at: Date.now() });
      if (request.url === '/flaky' && flakyFailures > 0) {
        flakyFailures--;
        response.writeHead(500).end('receiver is down');
        return;
      }
      if (request.url?.startsWith('/bot')) {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"result":{}}');
        return;
      }
      response.writeHead(request.url === '/discord' || request.url === '/flaky' ? 204 : 200).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  httpBase = `http://127.0.0.1:${port}`;

  smtpPort = await freePort();
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth: (auth, _session, callback) =>
      auth.username === 'rise' && auth.password === SMTP_PASSWORD
        ? callback(null, { user: auth.username })
        : callback(new Error('bad credentials')),
    onData: (stream, session, callback) => {
      let raw = '';
      stream.on('data', (chunk) => (raw += chunk));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw,
          user: session.user as string | undefined,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));

  // The receivers listen on loopback, which the outbound guard refuses unless allowed (here and in the worker).
  env.RISE_OUTBOUND_ALLOW = ['127.0.0.1'];
  worker = await startWorkerProcess({ RISE_OUTBOUND_ALLOW: '127.0.0.1', RISE_WORKER_POLL_SECONDS: '0.5' }, [
    '--queues',
    'notify',
  ]);

  const { team, members } = await createTeamWithRoles();
  admin = members.admin;
  teamName = team.name;
  const project = await getDb().project.create({ data: { name: uniqueName('notif'), ownerTeamId: team.id } });
  projectName = project.name;
  projectId = project.id;
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await new Promise((resolve) => http?.close(resolve));
  await new Promise((resolve) => smtp?.close(() => resolve(undefined)));
});

const channels: Record<string, string> = {};

async function addProjectChannel(
  name: string,
  type: string,
  settings: Record<string, string | number | boolean>,
  kinds: string[],
) {
  const channel = await api().notification.createProjectChannel({
    project: projectName,
    name,
    type: type as never,
    settings,
    kinds: kinds as never,
  });
  channels[name] = channel.id;
  return channel;
}

const deliveries = (id: string) => api().notification.projectDeliveries({ project: projectName, id });

describe('notification channels', () => {
  it('keeps secrets sealed and out of the API', async () => {
    await addProjectChannel('slack', 'slack', { webhookUrl: `${httpBase}${SLACK_PATH}` }, ['backup.failed']);
    await addProjectChannel('teams', 'teams', { webhookUrl: `${httpBase}/teams` }, ['backup.failed']);
    await addProjectChannel('discord', 'discord', { webhookUrl: `${httpBase}/discord` }, ['backup.failed']);
    await addProjectChannel(
      'telegram',
      'telegram',
      { botToken: BOT_TOKEN, chatId: '-100123', apiBase: httpBase },
      ['backup.failed'],
    );
    await addProjectChannel(
      'ntfy',
      'ntfy',
      { serverUrl: `${httpBase}/ntfy`, topic: 'rise-alerts', token: NTFY_TOKEN },
      ['backup.failed'],
    );
    await addProjectChannel('webhook', 'webhook', { url: `${httpBase}/hook`, secret: HOOK_SECRET }, [
      'backup.failed',
    ]);
    await addProjectChannel(
      'email',
      'email',
      {
        host: '127.0.0.1',
        port: smtpPort,
        secure: false,
        user: 'rise',
        password: SMTP_PASSWORD,
        from: 'Rise <rise@example.test>',
        to: 'ops@example.test, oncall@example.test',
      },
      ['backup.failed'],
    );
    // Subscribed to something else: the backup failure must not reach it.
    await addProjectChannel(
      'unsubscribed',
      'webhook',
      { url: `${httpBase}/unsubscribed`, secret: HOOK_SECRET },
      ['deployment.failed'],
    );

    const listed = JSON.stringify(await api().notification.projectChannels({ project: projectName }));
    for (const secret of [SLACK_PATH, BOT_TOKEN, HOOK_SECRET, SMTP_PASSWORD, NTFY_TOKEN]) {
      expect(listed).not.toContain(secret);
    }
    const email = (await api().notification.projectChannels({ project: projectName })).find(
      (c) => c.name === 'email',
    );
    expect(email?.secretsSet).toEqual(['password']);
    expect(email?.settings).toMatchObject({
      host: '127.0.0.1',
      user: 'rise',
      to: 'ops@example.test, oncall@example.test',
    });
    const stored = JSON.stringify(await getDb().notificationChannel.findMany({ where: { projectId } }));
    for (const secret of [SLACK_PATH, BOT_TOKEN, HOOK_SECRET, SMTP_PASSWORD, NTFY_TOKEN]) {
      expect(stored).not.toContain(secret);
    }
  });

  it('refuses invalid settings with the field named', async () => {
    await expect(
      api().notification.createProjectChannel({
        project: projectName,
        name: 'bad',
        type: 'telegram',
        settings: { botToken: 'nope', chatId: '1' },
        kinds: ['backup.failed'],
      }),
    ).rejects.toThrow(/Telegram: Bot token: A bot token looks like/);
  });

  it('delivers a raised backup failure to every subscribed channel in its documented format', async () => {
    const event = await raiseNotification({
      kind: 'backup.failed',
      projectId,
      title: `Backup of db-main failed`,
      details: { database: 'db-main', error: 'pg_dump exited 1' },
    });
    expect(event).not.toBeNull();
    await waitFor(
      () =>
        bodiesAt(SLACK_PATH).length &&
        bodiesAt('/teams').length &&
        bodiesAt('/discord').length &&
        bodiesAt(`/bot${BOT_TOKEN}/sendMessage`).length &&
        bodiesAt('/ntfy/rise-alerts').length &&
        bodiesAt('/hook').length &&
        mails.length,
      {
        description: 'every channel to receive the backup failure',
        timeoutMs: 60_000,
        context: () => worker.output(),
      },
    );

    const slack = JSON.parse(bodiesAt(SLACK_PATH)[0]!.body);
    expect(slack.text).toBe('Backup of db-main failed');
    expect(slack.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Backup of db-main failed' },
    });
    expect(JSON.stringify(slack.blocks)).toContain('pg_dump exited 1');

    const teams = JSON.parse(bodiesAt('/teams')[0]!.body);
    expect(teams.type).toBe('message');
    expect(teams.attachments).toHaveLength(1);
    expect(teams.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(teams.attachments[0].content.type).toBe('AdaptiveCard');
    expect(teams.attachments[0].content.body[0].text).toBe('Backup of db-main failed');

    const discord = JSON.parse(bodiesAt('/discord')[0]!.body);
    expect(discord.content).toBe('Backup of db-main failed');
    expect(discord.embeds[0].title).toBe('Backup of db-main failed');
    expect(discord.embeds[0].description).toContain('error: pg_dump exited 1');
    expect(discord.embeds[0].fields).toContainEqual({ name: 'Project', value: projectName, inline: true });

    const telegram = JSON.parse(bodiesAt(`/bot${BOT_TOKEN}/sendMessage`)[0]!.body);
    expect(telegram.chat_id).toBe('-100123');
    expect(telegram.text).toContain('Backup of db-main failed');
    expect(telegram.text).toContain(`Project: ${projectName}`);

    const ntfy = bodiesAt('/ntfy/rise-alerts')[0]!;
    expect(ntfy.headers.title).toBe('Backup of db-main failed');
    expect(ntfy.headers.tags).toBe('rotating_light,backup.failed');
    expect(ntfy.headers.authorization).toBe(`Bearer ${NTFY_TOKEN}`);
    expect(ntfy.body).toContain('error: pg_dump exited 1');

    const hook = bodiesAt('/hook')[0]!;
    const timestamp = hook.headers['x-rise-timestamp'] as string;
    const expected = `sha256=${createHmac('sha256', HOOK_SECRET).update(`${timestamp}.${hook.body}`).digest('hex')}`;
    expect(hook.headers['x-rise-signature']).toBe(expected);
    expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(120);
    expect(hook.headers['x-rise-event']).toBe('backup.failed');
    expect(JSON.parse(hook.body)).toMatchObject({
      id: event!.id,
      kind: 'backup.failed',
      project: projectName,
      details: { database: 'db-main', error: 'pg_dump exited 1' },
    });

    expect(mails).toHaveLength(1);
    expect(mails[0]!.user).toBe('rise');
    expect(mails[0]!.from).toBe('rise@example.test');
    expect(mails[0]!.to).toEqual(['ops@example.test', 'oncall@example.test']);
    expect(mails[0]!.raw).toContain('Subject: Backup of db-main failed');
    expect(mails[0]!.raw).toContain('pg_dump exited 1');

    for (const name of ['slack', 'teams', 'discord', 'telegram', 'ntfy', 'webhook', 'email']) {
      const log = await deliveries(channels[name]!);
      expect(log.map((entry) => [entry.status, entry.attempt, entry.eventId])).toEqual([
        ['sent', 1, event!.id],
      ]);
    }
    expect((await deliveries(channels.email!))[0]!.responseCode).toBe(250);
    expect((await deliveries(channels.discord!))[0]!.responseCode).toBe(204);

    // The channel subscribed to other kinds heard nothing.
    expect(bodiesAt('/unsubscribed')).toHaveLength(0);
    expect(await deliveries(channels.unsubscribed!)).toHaveLength(0);
    expect(
      (await getDb().notificationEvent.findUnique({ where: { id: event!.id } }))?.deliveredAt,
    ).not.toBeNull();
  }, 90_000);

  it('retries a failing receiver with growing delays and logs each attempt', async () => {
    await addProjectChannel('flaky', 'discord', { webhookUrl: `${httpBase}/flaky` }, ['drill.failed']);
    const event = await raiseNotification({ kind: 'drill.failed', projectId, title: 'Restore drill failed' });
    const log = await waitFor(
      async () => {
        const entries = await deliveries(channels.flaky!);
        return entries.some((entry) => entry.status === 'sent') && entries;
      },
      {
        description: 'the flaky receiver to take the message',
        timeoutMs: 60_000,
        context: () => worker.output(),
      },
    );
    const attempts = [...log].reverse();
    expect(attempts.map((entry) => [entry.attempt, entry.status, entry.responseCode, entry.eventId])).toEqual(
      [
        [1, 'failed', 500, event!.id],
        [2, 'failed', 500, event!.id],
        [3, 'sent', 204, event!.id],
      ],
    );
    expect(attempts[0]!.error).toBe('the receiver answered HTTP 500: receiver is down');
    const calls = bodiesAt('/flaky').map((request) => request.at);
    expect(calls).toHaveLength(3);
    // pg-boss backoff (queues.ts: retryDelay 2, retryBackoff): 2-4 s, then 4-8 s.
    expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(1900);
    expect(calls[2]! - calls[1]!).toBeGreaterThanOrEqual(3900);
  }, 90_000);

  it('sends a test message on demand and logs it', async () => {
    const before = bodiesAt(SLACK_PATH).length;
    const delivery = await api().notification.testProjectChannel({
      project: projectName,
      id: channels.slack!,
    });
    expect(delivery).toMatchObject({
      status: 'sent',
      responseCode: 200,
      attempt: 1,
      kind: 'test',
      eventId: null,
    });
    expect(bodiesAt(SLACK_PATH)).toHaveLength(before + 1);
    expect(JSON.parse(bodiesAt(SLACK_PATH).at(-1)!.body).text).toBe(
      `Rise test notification for project ${projectName}`,
    );
    expect((await deliveries(channels.slack!))[0]!.kind).toBe('test');
  });

  it('reports a test to a refused address as a failed delivery that names RISE_OUTBOUND_ALLOW', async () => {
    const port = await freePort();
    const channel = await api().notification.createTeamChannel({
      team: teamName,
      name: 'private',
      type: 'slack',
      settings: { webhookUrl: `http://10.255.255.1:${port}/x` },
      kinds: [],
    });
    const delivery = await api().notification.testTeamChannel({ team: teamName, id: channel.id });
    expect(delivery.status).toBe('failed');
    expect(delivery.error).toContain('RISE_OUTBOUND_ALLOW');
    await api().notification.deleteTeamChannel({ team: teamName, id: channel.id });
  });

  it("tells the team's channels about its projects' deployments from the status change alone", async () => {
    const channel = await api().notification.createTeamChannel({
      team: teamName,
      name: 'team-hook',
      type: 'webhook',
      settings: { url: `${httpBase}/team-hook`, secret: HOOK_SECRET },
      kinds: ['deployment.failed', 'preview.created'],
    });
    const id = `20200101-0000-${randomBytes(2).toString('hex')}`;
    await getDb().deployment.create({
      data: { id, projectId, status: 'pending', image: 'rise-test/app:v1' },
    });
    await getDb().deployment.update({
      where: { id },
      data: { status: 'failed', error: 'health check timed out' },
    });
    await waitFor(() => bodiesAt('/team-hook').length, {
      description: 'the deployment failure to reach the team channel',
      timeoutMs: 30_000,
      context: () => worker.output(),
    });
    const body = JSON.parse(bodiesAt('/team-hook')[0]!.body);
    expect(body).toMatchObject({
      kind: 'deployment.failed',
      project: projectName,
      details: { deployment: id, error: 'health check timed out' },
    });
    // The project's `unsubscribed` channel is subscribed to deployment.failed too.
    await waitFor(() => bodiesAt('/unsubscribed').length, {
      description: 'the project channel',
      timeoutMs: 30_000,
    });
    expect(bodiesAt('/team-hook')).toHaveLength(1);
    const log = await api().notification.teamDeliveries({ team: teamName, id: channel.id });
    expect(log.map((entry) => entry.status)).toEqual(['sent']);
    // The Backups tab lists backup, restore and drill failures only, not the project's deployment events.
    expect((await listNotifications(projectId)).map((event) => event.kind).sort()).toEqual([
      'backup.failed',
      'drill.failed',
    ]);
  }, 60_000);
});
