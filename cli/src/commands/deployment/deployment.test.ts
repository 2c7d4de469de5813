import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api } from '../../lib/api';
import type { CommandContext } from '../../lib/command-spec';
import { CliError, EXIT } from '../../lib/errors';
import { captureProcess } from '../../lib/testing/capture-process';
import { cliError } from '../../lib/testing/cli-error';
import { cancel } from './cancel';
import { create } from './create';
import { commitCell, list } from './list';
import { deploymentRows, followOutcome, show, showArguments } from './show';
import { start } from './start';

const api = {
  deployment: {
    list: { query: vi.fn() },
    get: { query: vi.fn() },
    cancel: { mutate: vi.fn() },
    start: { mutate: vi.fn() },
    create: { mutate: vi.fn() },
  },
};
// The commands reach the API only through their context: a recorder stands in for it here.
const ctx = { api: () => api as unknown as Api } as CommandContext;

const DIGEST = `sha256:4f2a9c01b7de${'a'.repeat(52)}`;
const view = (overrides: Record<string, unknown> = {}) => ({
  id: '20261202-0101-k3f9',
  project: 'secret-app',
  status: 'healthy',
  active: true,
  group: 'default',
  url: 'https://secret-app.rise.dev',
  expiresAt: null,
  image: '127.0.0.1:5000/secret-app:20261202-0101-k3f9',
  imageDigest: DIGEST,
  slot: 'a',
  rolledBackFrom: null,
  terminationReason: null,
  error: null,
  createdBy: 'user:niklas',
  trigger: 'cli',
  commit: null,
  createdAt: new Date('2026-12-02T01:01:00Z'),
  startedAt: null,
  healthyAt: new Date('2026-12-02T01:02:00Z'),
  finishedAt: null,
  ...overrides,
});
const common = { output: 'table' };
const output = captureProcess();
beforeEach(() => {
  Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
});
afterEach(() => {
  vi.useRealTimers();
  for (const call of Object.values(api.deployment)) Object.values(call)[0]!.mockReset();
});

describe('rise d ls', () => {
  it('shows what started each deployment, who, its commit, short digest, group and URL (on the active one), - where none', async () => {
    api.deployment.list.query.mockResolvedValue([
      view(),
      view({
        id: '20261202-0100-aaaa',
        status: 'building',
        active: false,
        image: null,
        imageDigest: null,
        createdBy: null,
        trigger: 'git-push',
        commit: {
          ref: 'main',
          sha: `3f2a9c1${'0'.repeat(33)}`,
          message: 'Fix the login form when the password manager fills it\n\nThe body.',
          author: 'Ada <ada@example.test>',
        },
      }),
    ]);
    await list.run({ project: 'secret-app', ...common, limit: 20 }, ctx);
    expect(api.deployment.list.query).toHaveBeenCalledWith({ project: 'secret-app', limit: 20 });
    expect(output.stdout.split('\n')).toEqual([
      'DEPLOYMENT          STATUS    TRIGGER   CREATED BY   COMMIT                                    IMAGE                                         DIGEST        GROUP    EXPIRY  CREATED               URL                          ERROR',
      '20261202-0101-k3f9  healthy   cli       user:niklas  -                                         127.0.0.1:5000/secret-app:20261202-0101-k3f9  4f2a9c01b7de  default  -       2026-12-02 01:01 UTC  https://secret-app.rise.dev  -',
      '20261202-0100-aaaa  building  git-push  -            3f2a9c1 Fix the login form when the pas…  -                                             -             default  -       2026-12-02 01:01 UTC  -                            -',
      '',
    ]);
  });

  it('COMMIT: the short sha and the first line of the message, cut to 40 characters', () => {
    const sha = `abcdef1${'2'.repeat(33)}`;
    expect(commitCell(null)).toBe('-');
    expect(commitCell({ sha, message: null })).toBe('abcdef1');
    expect(commitCell({ sha, message: 'Short\nmore' })).toBe('abcdef1 Short');
    const cut = commitCell({ sha, message: 'x'.repeat(100) });
    expect(cut).toBe(`abcdef1 ${'x'.repeat(31)}…`);
    expect(cut).toHaveLength(40);
  });

  it('keeps trigger and commit as they are in -o json', async () => {
    const commit = { ref: 'v1.2', sha: 'a'.repeat(40), message: 'Release 1.2\n\nNotes.', author: 'Ada' };
    api.deployment.list.query.mockResolvedValue([view({ trigger: 'manual', commit })]);
    await list.run({ project: 'secret-app', output: 'json', limit: 20 }, ctx);
    expect(JSON.parse(output.stdout)[0]).toMatchObject({ trigger: 'manual', commit });
  });

  it('keeps the full digest in -o json', async () => {
    api.deployment.list.query.mockResolvedValue([view()]);
    await list.run({ project: 'secret-app', output: 'json', limit: 20 }, ctx);
    expect(JSON.parse(output.stdout)[0].imageDigest).toBe(DIGEST);
  });
});

describe('rise d s arguments', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rise-show-args-'));
  writeFileSync(join(dir, '.rise.toml'), 'project = "from-toml"\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes PROJECT DEPLOYMENT, PROJECT alone (the newest), or DEPLOYMENT alone (project from .rise.toml)', () => {
    expect(showArguments('secret-app', '20261202-0101-k3f9', dir)).toEqual({
      project: 'secret-app',
      deployment: '20261202-0101-k3f9',
    });
    expect(showArguments('secret-app', undefined, dir)).toEqual({
      project: 'secret-app',
      deployment: undefined,
    });
    expect(showArguments('20261202-0101-k3f9', undefined, dir)).toEqual({
      project: 'from-toml',
      deployment: '20261202-0101-k3f9',
    });
    expect(showArguments(undefined, undefined, dir)).toEqual({ project: 'from-toml', deployment: undefined });
  });

  it('refuses a second argument that is not a deployment id', () => {
    expect(() => showArguments('secret-app', 'latest', dir)).toThrow(
      new CliError(
        "'latest' is not a deployment id: deployment ids look like 20261122-0132-k3f9.",
        EXIT.usage,
      ),
    );
  });
});

describe('rise d s rows', () => {
  it("shows a deployment's env overrides on one line, secrets as (secret), none as -", () => {
    const rows = (envOverrides: unknown) =>
      deploymentRows(view({ envOverrides }))
        .split('\n')
        .find((row) => row.startsWith('envOverrides:'));
    expect(
      rows([
        { key: 'FOO', value: 'preview', secret: false },
        { key: 'TOKEN', value: null, secret: true },
      ]),
    ).toBe('envOverrides:      FOO=preview TOKEN=(secret)');
    expect(rows([])).toBe('envOverrides:      -');
  });
});

describe('rise d s commit rows', () => {
  it('prints trigger, ref, commit sha, message (every line) and author', () => {
    const rows = deploymentRows(
      view({
        trigger: 'git-push',
        commit: {
          ref: 'main',
          sha: 'b'.repeat(40),
          message: 'Fix the login form\n\nThe password manager filled it twice.\n',
          author: 'Ada <ada@example.test>',
        },
      }),
    ).split('\n');
    const from = rows.findIndex((row) => row.startsWith('trigger:'));
    expect(rows.slice(from, from + 8)).toEqual([
      'trigger:           git-push',
      'ref:               main',
      `commit:            ${'b'.repeat(40)}`,
      'message:           Fix the login form',
      '',
      '                   The password manager filled it twice.',
      'author:            Ada <ada@example.test>',
      'createdAt:         2026-12-02T01:01:00.000Z',
    ]);
  });

  it('prints commit - for a deployment built by a client', () => {
    const rows = deploymentRows(view()).split('\n');
    expect(rows.filter((row) => /^(trigger|ref|commit|message|author):/.test(row))).toEqual([
      'trigger:           cli',
      'commit:            -',
    ]);
  });
});

describe('rise d s --follow', () => {
  /** `rise d s secret-app 20261202-0101-k3f9 --follow --timeout <seconds>`. */
  const follow = (timeout = 60) =>
    show.run(
      { project: 'secret-app', deployment: '20261202-0101-k3f9', ...common, follow: true, timeout },
      ctx,
    );

  it('settles: healthy exits 0, failed/cancelled/expired 1, superseded by whether it ever ran', () => {
    expect(followOutcome({ status: 'healthy', healthyAt: new Date() })).toBe(0);
    for (const status of ['failed', 'cancelled', 'expired'])
      expect(followOutcome({ status, healthyAt: null })).toBe(1);
    expect(followOutcome({ status: 'superseded', healthyAt: new Date() })).toBe(0);
    expect(followOutcome({ status: 'stopped', healthyAt: null })).toBe(1);
    for (const status of ['pending', 'building', 'pushing', 'pushed', 'deploying', 'cancelling', 'unhealthy'])
      expect(followOutcome({ status, healthyAt: null })).toBe('waiting');
  });

  it('reports each status once and prints the settled deployment', async () => {
    vi.useFakeTimers();
    api.deployment.get.query
      .mockResolvedValueOnce(view({ status: 'deploying', healthyAt: null }))
      .mockResolvedValueOnce(view({ status: 'deploying', healthyAt: null }))
      .mockResolvedValueOnce(view());
    const following = follow();
    await vi.advanceTimersByTimeAsync(3000);
    await following;
    expect(output.stderr).toBe(
      'Deployment 20261202-0101-k3f9 is deploying.\nDeployment 20261202-0101-k3f9 is healthy.\n',
    );
    expect(output.stdout).toContain('status:            healthy\n');
  });

  it('fails with exit 1 and the reason when the deployment fails', async () => {
    api.deployment.get.query.mockResolvedValue(
      view({ status: 'failed', healthyAt: null, error: 'health check failed' }),
    );
    const error = await cliError(follow());
    expect(error.exitCode).toBe(EXIT.failure);
    expect(error.message).toBe('Deployment 20261202-0101-k3f9 failed: health check failed');
  });

  it('says a cancelled deployment was cancelled and where its events are', async () => {
    api.deployment.get.query.mockResolvedValue(
      view({ status: 'cancelled', healthyAt: null, terminationReason: 'cancelled' }),
    );
    const error = await cliError(follow());
    expect(error.exitCode).toBe(EXIT.failure);
    expect(error.message).toBe(
      'Deployment 20261202-0101-k3f9 was cancelled; its events: rise d logs secret-app --deployment 20261202-0101-k3f9 --events',
    );
  });

  it(`gives up after --timeout with exit ${EXIT.timeout}`, async () => {
    vi.useFakeTimers();
    api.deployment.get.query.mockResolvedValue(view({ status: 'deploying', healthyAt: null }));
    const following = cliError(follow(3));
    await vi.advanceTimersByTimeAsync(4000);
    const error = await following;
    expect(error.exitCode).toBe(124);
    expect(error.message).toBe(
      'Deployment 20261202-0101-k3f9 is still deploying after 3 s; follow it again with: rise d s secret-app 20261202-0101-k3f9 --follow',
    );
  });

  it('without a deployment shows the newest one', async () => {
    api.deployment.list.query.mockResolvedValue([view()]);
    api.deployment.get.query.mockResolvedValue(view());
    await show.run(
      { project: 'secret-app', deployment: undefined, ...common, follow: false, timeout: 600 },
      ctx,
    );
    expect(api.deployment.list.query).toHaveBeenCalledWith({ project: 'secret-app', limit: 1 });
    expect(api.deployment.get.query).toHaveBeenCalledWith({
      project: 'secret-app',
      deployment: '20261202-0101-k3f9',
    });
    expect(output.stdout).toBe(`${deploymentRows(view())}\n`);
    expect(output.stdout).toMatch(/^createdAt: {9}2026-12-02T01:01:00\.000Z$/m);
  });
});

describe('rise d cancel', () => {
  it("defaults to the project's deployment in progress", async () => {
    api.deployment.list.query.mockResolvedValue([
      view({ id: '20261202-0103-cccc', status: 'building', active: false }),
      view(),
    ]);
    api.deployment.cancel.mutate.mockResolvedValue(view({ id: '20261202-0103-cccc', status: 'cancelling' }));
    expect(await cancel.run({ project: 'secret-app', ...common }, ctx)).toBe(EXIT.ok);
    expect(api.deployment.cancel.mutate).toHaveBeenCalledWith({
      project: 'secret-app',
      deployment: '20261202-0103-cccc',
    });
    expect(output.stderr).toBe(
      "Cancelling deployment 20261202-0103-cccc of 'secret-app'; follow it: rise d s secret-app 20261202-0103-cccc --follow\n",
    );
  });

  it('says what to do when nothing is in progress', async () => {
    api.deployment.list.query.mockResolvedValue([view()]);
    const error = await cliError(cancel.run({ project: 'secret-app', ...common }, ctx));
    expect(error.exitCode).toBe(EXIT.notFound);
    expect(error.message).toBe(
      "No deployment of 'secret-app' is in progress; name one to cancel: rise d cancel secret-app <deployment>",
    );
    expect(api.deployment.cancel.mutate).not.toHaveBeenCalled();
  });

  it('exits with conflict when the named deployment had already settled', async () => {
    api.deployment.cancel.mutate.mockResolvedValue(view());
    const code = await cancel.run(
      { project: 'secret-app', deployment: '20261202-0101-k3f9', ...common },
      ctx,
    );
    expect(output.stderr).toBe(
      "Deployment 20261202-0101-k3f9 of 'secret-app' is already healthy; nothing to cancel.\n",
    );
    expect(code).toBe(EXIT.conflict);
  });
});

describe('rise d start', () => {
  it('names the image it starts from and how to follow it', async () => {
    api.deployment.start.mutate.mockResolvedValue(view({ id: '20261202-0110-dddd', status: 'pending' }));
    await start.run({ project: 'secret-app', ...common }, ctx);
    expect(api.deployment.start.mutate).toHaveBeenCalledWith({ project: 'secret-app' });
    expect(output.stderr).toBe(
      "Starting 'secret-app' from 127.0.0.1:5000/secret-app:20261202-0101-k3f9 as deployment 20261202-0110-dddd. Follow it: rise d s secret-app 20261202-0110-dddd --follow\n",
    );
  });
});

describe('rise d c --git', () => {
  const createArgs = { project: 'secret-app', ...common, follow: false, timeout: 600 };

  it('asks the server to build the git source at --ref, without building here', async () => {
    api.deployment.create.mutate.mockResolvedValue(view({ status: 'pending', active: false }));
    expect(await create.run({ ...createArgs, git: true, ref: 'v1.2' }, ctx)).toBe(EXIT.ok);
    expect(api.deployment.create.mutate).toHaveBeenCalledWith({
      project: 'secret-app',
      git: true,
      ref: 'v1.2',
      envOverrides: [],
      group: undefined,
      expire: undefined,
    });
    expect(output.stderr).toBe(
      "Queued deployment 20261202-0101-k3f9 of 'secret-app'. Follow it: rise d s secret-app 20261202-0101-k3f9\n",
    );
  });

  it('refuses --ref without --git, and --git with --image', async () => {
    expect((await cliError(create.run({ ...createArgs, ref: 'main' }, ctx))).message).toBe(
      '--ref needs --git.',
    );
    expect(
      (await cliError(create.run({ ...createArgs, git: true, image: 'ghcr.io/acme/app:1' }, ctx))).message,
    ).toBe('Give either --image or --git, not both.');
    expect(api.deployment.create.mutate).toHaveBeenCalledTimes(0);
  });
});
