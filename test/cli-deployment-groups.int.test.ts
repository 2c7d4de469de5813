import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpApi } from './api-client';
import { runCli } from './cli-runner';
import { getThroughProxy } from './http-through-proxy';
import { buildTestAppImage, imageForProject, TEST_APP_PORT } from './images';
import { type RiseStack, signUpWithToken, startRiseStack } from './rise-stack';
import { waitFor } from './wait';

// Deployment groups from the real CLI against Rise for real (web server, worker, Docker, Caddy,
// registry): `rise d c -g mr/26 --expire 1h` runs a preview at its own URL next to the project's,
// `rise d ls` lists one group or all, `rise d extend` moves the expiry, `rise d stop -g` removes it.

const runId = Math.random().toString(16).slice(2, 10);
const dataDir = mkdtempSync(join(tmpdir(), 'rise-groups-'));
const home = mkdtempSync(join(tmpdir(), 'rise-groups-home-'));
const project = `grp-${runId}`;
const GROUP = 'mr/26';
const PREVIEW_HOST = `${project}-mr--26.localhost`;
const HOUR = 3_600_000;
let stack: RiseStack;
let token: string;
let stable: string;
let preview: string;
/** The deployments this file made: the default group's, then the preview's. */
let mainId: string;
let previewId: string;

const rise = (args: string[]) =>
  runCli(args, { home, cwd: home, env: { RISE_URL: stack.web.url, RISE_TOKEN: token } });
const api = () => httpApi(stack.web.url, { token });
const appsPort = () => stack.caddy.httpPort;
const body = async (host: string) => {
  const response = await getThroughProxy(appsPort(), host);
  return `${response.status} ${response.body.trim()}`;
};
/** `rise d ls …` as rows of cells (two or more spaces apart; CREATED has single spaces inside). */
async function table(args: string[]) {
  const result = await rise(['d', 'ls', project, ...args]);
  expect(result.code, result.stderr).toBe(0);
  const [header, ...rows] = result.stdout.trimEnd().split('\n');
  return { header, rows: rows.map((row) => row.split(/ {2,}/)), stderr: result.stderr };
}

beforeAll(async () => {
  stable = await imageForProject(
    await buildTestAppImage({ tag: 'rise-test-groups-app:v1', version: 'v1' }),
    project,
  );
  preview = await imageForProject(
    await buildTestAppImage({ tag: 'rise-test-groups-app:v2', version: 'v2' }),
    project,
  );
  stack = await startRiseStack({ runId, dataDir });
  token = await signUpWithToken(stack.web.url, {
    email: `groups-${runId}@example.test`,
    projects: [project],
    tokenName: 'deployment groups test',
  });
  await api().project.update.mutate({ project, port: TEST_APP_PORT, healthPath: '/health' });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  for (const dir of [dataDir, home]) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('rise d … -g / --expire', () => {
  it('refuses a bad group name or expiry with exit 2 and the rule, before anything is created', async () => {
    const badGroup = await rise(['d', 'c', project, '--image', stable, '-g', 'MR_26']);
    expect(badGroup.code).toBe(2);
    expect(badGroup.stderr).toContain(
      "error: option '-g, --group <name>' argument 'MR_26' is invalid. Group 'MR_26' is not valid: use lowercase letters, digits, '-' and '/', starting and ending with a letter or digit (e.g. mr/26, pr-7).",
    );
    const badExpiry = await rise(['d', 'c', project, '--image', stable, '-g', GROUP, '--expire', '1 hour']);
    expect(badExpiry.code).toBe(2);
    expect(badExpiry.stderr).toContain(
      "error: option '--expire <duration>' argument '1 hour' is invalid. Expiry is a number and a unit: s, m, h, d or w (e.g. 30m, 2h, 7d, 1w).",
    );
    const both = await rise(['d', 'ls', project, '-g', GROUP, '--all-groups']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("option '-g, --group <name>' cannot be used with option '--all-groups'");
    const noExpiry = await rise(['d', 'extend', project, '-g', GROUP]);
    expect(noExpiry.code).toBe(2);
    expect(noExpiry.stderr).toContain("required option '--expire <duration>' not specified");
    expect(await api().deployment.list.query({ project, allGroups: true })).toEqual([]);
    expect(await api().deployment.groups.query({ project })).toEqual([]);
  }, 60_000);

  it("deploys the project, then a preview at its own URL: d c prints the group's URL and the expiry", async () => {
    const main = await rise(['d', 'c', project, '--image', stable, '--timeout', '2m']);
    expect(main.code, `${main.stderr}\n${stack.worker.output().slice(-2000)}`).toBe(0);
    mainId = (await api().deployment.list.query({ project, limit: 1 }))[0]!.id;

    const started = Date.now();
    const deployed = await rise([
      'd',
      'c',
      project,
      '-g',
      GROUP,
      '--image',
      preview,
      '--expire',
      '1h',
      '--timeout',
      '2m',
    ]);
    expect(deployed.code, `${deployed.stderr}\n${stack.worker.output().slice(-2000)}`).toBe(0);
    const [listed] = await api().deployment.list.query({ project, group: GROUP });
    previewId = listed!.id;
    const lines = deployed.stderr.trim().split('\n');
    expect(lines.slice(0, 2)).toEqual([
      `Deploying '${project}' ...`,
      `Deployment successful! Your app is now running at http://${PREVIEW_HOST}:${appsPort()}`,
    ]);
    expect(lines[2]).toMatch(
      new RegExp(
        `^It expires in (1h|59m) \\(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\); keep it longer with: rise d extend ${project} ${previewId} --expire <duration>$`,
      ),
    );
    expect(lines).toHaveLength(3);
    const expiresAt = listed!.expiresAt!.getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(started + HOUR - 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + HOUR);

    expect(await body(PREVIEW_HOST)).toBe('200 v2');
    expect(await body(`${project}.localhost`)).toBe('200 v1');
  }, 300_000);

  it('d ls -g mr/26 shows the group, time left and URL; d ls (default group) does not; --all-groups does', async () => {
    const group = await table(['-g', GROUP]);
    expect(group.header).toMatch(
      /^DEPLOYMENT +STATUS +TRIGGER +CREATED BY +COMMIT +IMAGE +DIGEST +GROUP +EXPIRY +CREATED +URL +ERROR$/,
    );
    expect(group.rows).toHaveLength(1);
    const [id, status, trigger, createdBy, commit, image, , name, expiry, , url, error] = group.rows[0]!;
    const [viewed] = await api().deployment.list.query({ project, group: GROUP });
    expect(viewed!.createdBy).toMatch(/^user:/);
    expect([id, status, trigger, createdBy, commit, image, name, url, error]).toEqual([
      previewId,
      'healthy',
      'cli',
      viewed!.createdBy,
      '-',
      preview,
      GROUP,
      `http://${PREVIEW_HOST}:${appsPort()}`,
      '-',
    ]);
    expect(expiry).toMatch(/^(1h|59m|58m)$/);

    const main = await table([]);
    expect(main.rows.map((row) => [row[0], row[7], row[8], row[10]])).toEqual([
      [mainId, 'default', '-', `http://${project}.localhost:${appsPort()}`],
    ]);
    expect(main.rows.flat()).not.toContain(GROUP);

    const all = await table(['--all-groups']);
    expect(all.rows.map((row) => [row[0], row[7]])).toEqual([
      [previewId, GROUP],
      [mainId, 'default'],
    ]);
    const json = JSON.parse((await rise(['d', 'ls', project, '--all-groups', '-o', 'json'])).stdout);
    expect(json.map((d: { id: string; group: string }) => [d.id, d.group])).toEqual([
      [previewId, GROUP],
      [mainId, 'default'],
    ]);
  }, 60_000);

  it("d extend moves the expiry of a group's active deployment, or of one named; not both", async () => {
    const before = Date.now();
    const byGroup = await rise(['d', 'extend', project, '-g', GROUP, '--expire', '2d']);
    expect(byGroup.code, byGroup.stderr).toBe(0);
    expect(byGroup.stderr).toMatch(
      new RegExp(
        `^Deployment ${previewId} of '${project}' in group ${GROUP} now expires in (2d|1d 23h) \\(.+ UTC\\)\\.\\n$`,
      ),
    );
    const extended = await api().deployment.get.query({ project, deployment: previewId });
    expect(extended.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 48 * HOUR - 1000);
    expect(extended.expiresAt!.getTime()).toBeLessThanOrEqual(Date.now() + 48 * HOUR);

    const byId = await rise(['d', 'extend', project, previewId, '--expire', '30m']);
    expect(byId.code, byId.stderr).toBe(0);
    expect(byId.stderr).toContain(`now expires in 30m (`);
    expect((await table(['-g', GROUP])).rows[0]![8]).toMatch(/^(30m|29m)$/);

    const both = await rise(['d', 'extend', project, previewId, '-g', GROUP, '--expire', '1h']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Name a deployment or a group, not both');
  }, 60_000);

  it('d stop -g mr/26 stops the preview: its URL stops answering, the project keeps running', async () => {
    const stopped = await rise(['d', 'stop', project, '-g', GROUP]);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stderr).toBe(
      `Stopping group '${GROUP}' of '${project}': its URL stops answering and its deployments stop.\n`,
    );
    await waitFor(async () => (await body(PREVIEW_HOST)) !== '200 v2', {
      description: `${PREVIEW_HOST} to stop serving the preview`,
      timeoutMs: 60_000,
      intervalMs: 250,
      context: () => stack.worker.output().slice(-2000),
    });
    expect(await body(`${project}.localhost`)).toBe('200 v1');
    await waitFor(async () => (await api().deployment.groups.query({ project })).length === 0, {
      description: `group ${GROUP} to be removed`,
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    const again = await rise(['d', 'stop', project, '-g', GROUP]);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain(`Project '${project}' has no group '${GROUP}'.`);
    // The group goes first, then its route and instances; its deployment ends stopped last.
    await waitFor(
      async () => (await api().deployment.get.query({ project, deployment: previewId })).status === 'stopped',
      { description: `${previewId} to end stopped`, timeoutMs: 30_000, intervalMs: 250 },
    );
    const ended = await table(['-g', GROUP]);
    expect(ended.rows.map((row) => [row[0], row[1], row[8], row[10]])).toEqual([
      [previewId, 'stopped', '-', '-'],
    ]);
    const main = await table([]);
    expect(main.rows.map((row) => [row[0], row[1]])).toEqual([[mainId, 'healthy']]);
  }, 120_000);

  it('--expire 20s: the preview expires by itself; d ls shows it expired, the project keeps running', async () => {
    const deployed = await rise(['d', 'c', project, '-g', 'pr-7', '--image', preview, '--expire', '20s']);
    expect(deployed.code, `${deployed.stderr}\n${stack.worker.output().slice(-2000)}`).toBe(0);
    expect(deployed.stderr).toContain(
      `Deployment successful! Your app is now running at http://${project}-pr-7.localhost:${appsPort()}`,
    );
    expect(await body(`${project}-pr-7.localhost`)).toBe('200 v2');
    await waitFor(
      async () => {
        const [expiring] = await api().deployment.list.query({ project, group: 'pr-7' });
        return expiring?.status === 'expired';
      },
      {
        description: 'the pr-7 deployment to expire',
        timeoutMs: 120_000,
        intervalMs: 500,
        context: () => stack.worker.output().slice(-2000),
      },
    );
    expect(await body(`${project}-pr-7.localhost`)).not.toBe('200 v2');
    const expired = await table(['-g', 'pr-7']);
    expect(expired.rows.map((row) => [row[1], row[7], row[8], row[10]])).toEqual([
      ['expired', 'pr-7', 'expired', '-'],
    ]);
    expect(await api().deployment.groups.query({ project })).toEqual([]);
    expect(await body(`${project}.localhost`)).toBe('200 v1');
  }, 240_000);
});
