import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api } from '../../lib/api';
import type { CommandContext } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { captureProcess } from '../../lib/testing/capture-process';
import { cliError } from '../../lib/testing/cli-error';
import { buildProgram } from '../../program';
import { cancel } from './cancel';
import { create } from './create';
import { extend } from './extend';
import { expiryText, remaining } from './groups';
import { deploymentTable, expiryCell, list } from './list';
import { rollback } from './rollback';
import { show } from './show';
import { stop } from './stop';

// Deployment groups and expiry in the CLI: what commander hands the commands (-g, --expire,
// --all-groups), what they send to the API, and how `rise d ls` shows groups and time left.

const NOW = new Date('2026-12-02T12:00:00Z');
const HOUR = 3_600_000;
const PREVIEW_URL = 'https://secret-app-mr--26.rise.dev';

const api = {
  deployment: {
    create: { mutate: vi.fn() },
    get: { query: vi.fn() },
    list: { query: vi.fn() },
    stop: { mutate: vi.fn() },
    stopGroup: { mutate: vi.fn() },
    rollback: { mutate: vi.fn() },
    extend: { mutate: vi.fn() },
    cancel: { mutate: vi.fn() },
  },
};
const ctx = { api: () => api as unknown as Api } as CommandContext;

const view = (overrides: Record<string, unknown> = {}) => ({
  id: '20261202-1100-mr26',
  project: 'secret-app',
  status: 'healthy',
  active: true,
  group: 'mr/26',
  url: PREVIEW_URL,
  expiresAt: new Date(NOW.getTime() + HOUR),
  image: 'ghcr.io/acme/app:pr-26',
  imageDigest: `sha256:9be1c2d3e4f5${'b'.repeat(52)}`,
  slot: 'a',
  rolledBackFrom: null,
  terminationReason: null,
  error: null,
  createdBy: 'user:niklas',
  trigger: 'cli',
  commit: null,
  createdAt: new Date('2026-12-02T11:00:00Z'),
  startedAt: null,
  healthyAt: new Date('2026-12-02T11:01:00Z'),
  finishedAt: null,
  envOverrides: [],
  ...overrides,
});

const output = captureProcess();
beforeEach(() => {
  Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
  for (const call of Object.values(api.deployment)) Object.values(call)[0]!.mockReset();
});

describe('flags', () => {
  const specs = [create, list, stop, rollback, extend];
  beforeEach(() => {
    for (const spec of specs) vi.spyOn(spec, 'run').mockResolvedValue(0);
  });
  const rise = (...args: string[]) => buildProgram().parseAsync(['node', 'rise', ...args]);
  const argsOf = (spec: { run: unknown }) =>
    vi.mocked(spec.run as (args: Record<string, unknown>) => number).mock.calls[0]![0];

  it('rise d c -g NAME --expire DURATION passes both as typed', async () => {
    await rise('d', 'c', 'secret-app', '--image', 'ghcr.io/acme/app:pr-26', '-g', 'mr/26', '--expire', '1h');
    expect(argsOf(create)).toMatchObject({ project: 'secret-app', group: 'mr/26', expire: '1h' });
  });

  it('refuses a bad group name before anything runs: exit 2, naming the flag and the rule', async () => {
    await expect(rise('d', 'c', 'secret-app', '--image', 'nginx:1', '-g', 'MR/26')).rejects.toThrow('exit 2');
    expect(output.stderr).toContain(
      "error: option '-g, --group <name>' argument 'MR/26' is invalid. Group 'MR/26' is not valid: use lowercase letters, digits, '-' and '/'",
    );
    await expect(rise('d', 'c', 'secret-app', '-g', 'mr--26')).rejects.toThrow('exit 2');
    expect(output.stderr).toContain("Group 'mr--26' is not valid: '--' is reserved");
    expect(create.run).not.toHaveBeenCalled();
  });

  it('refuses a bad or too long expiry: exit 2, naming the flag and the units', async () => {
    await expect(rise('d', 'c', 'secret-app', '--expire', '1y')).rejects.toThrow('exit 2');
    expect(output.stderr).toContain(
      "error: option '--expire <duration>' argument '1y' is invalid. Expiry is a number and a unit: s, m, h, d or w (e.g. 30m, 2h, 7d, 1w).",
    );
    await expect(rise('d', 'c', 'secret-app', '--expire', '400d')).rejects.toThrow('exit 2');
    expect(output.stderr).toContain('Expiry is at most 365 days.');
    expect(create.run).not.toHaveBeenCalled();
  });

  it('rise d ls takes -g or --all-groups, not both', async () => {
    await rise('d', 'ls', 'secret-app', '--all-groups');
    expect(argsOf(list)).toMatchObject({ project: 'secret-app', allGroups: true });
    expect(argsOf(list).group).toBeUndefined();
    await expect(rise('d', 'ls', 'secret-app', '-g', 'mr/26', '--all-groups')).rejects.toThrow('exit 2');
    expect(output.stderr).toContain(
      "error: option '-g, --group <name>' cannot be used with option '--all-groups'",
    );
    expect(list.run).toHaveBeenCalledTimes(1);
  });

  it('rise d stop, rollback and extend take -g', async () => {
    await rise('d', 'stop', 'secret-app', '-g', 'mr/26');
    expect(argsOf(stop)).toMatchObject({ project: 'secret-app', group: 'mr/26' });
    await rise('d', 'rollback', 'secret-app', '-g', 'pr-7');
    expect(argsOf(rollback)).toMatchObject({ project: 'secret-app', group: 'pr-7', deployment: undefined });
    await rise('d', 'extend', 'secret-app', '-g', 'mr/26', '--expire', '7d');
    expect(argsOf(extend)).toMatchObject({ project: 'secret-app', group: 'mr/26', expire: '7d' });
  });

  it('--help shows examples with -g and --expire', async () => {
    await expect(rise('d', 'extend', '--help')).rejects.toThrow('exit 0');
    expect(output.stdout).toContain(
      'Examples:\n  $ rise d extend my-app -g mr/26 --expire 7d\n  $ rise d extend my-app 20261122-0132-k3f9 --expire 2h\n',
    );
    await expect(rise('d', 'c', '--help')).rejects.toThrow('exit 0');
    expect(output.stdout).toContain('$ rise d c my-app --image ghcr.io/acme/app:pr-26 -g mr/26 --expire 7d');
  });

  it('rise d extend needs --expire', async () => {
    await expect(rise('d', 'extend', 'secret-app', '-g', 'mr/26')).rejects.toThrow('exit 2');
    expect(output.stderr).toContain("error: required option '--expire <duration>' not specified");
    expect(extend.run).not.toHaveBeenCalled();
  });
});

describe('rise d c -g --expire', () => {
  const run = (follow: boolean) =>
    create.run(
      {
        project: 'secret-app',
        output: 'table',
        image: 'ghcr.io/acme/app:pr-26',
        group: 'mr/26',
        expire: '1h',
        follow,
        timeout: 60,
      },
      ctx,
    );

  it('sends the group and expiry; queued, it says where the preview will answer and until when', async () => {
    api.deployment.create.mutate.mockResolvedValue(view({ status: 'pending', active: false }));
    expect(await run(false)).toBe(EXIT.ok);
    expect(api.deployment.create.mutate).toHaveBeenCalledWith({
      project: 'secret-app',
      image: 'ghcr.io/acme/app:pr-26',
      envOverrides: [],
      group: 'mr/26',
      expire: '1h',
    });
    expect(output.stderr.split('\n')).toEqual([
      "Queued deployment 20261202-1100-mr26 of 'secret-app' in group mr/26. Follow it: rise d s secret-app 20261202-1100-mr26",
      `Once healthy it answers at ${PREVIEW_URL}; it expires in 1h (2026-12-02 13:00 UTC).`,
      '',
    ]);
  });

  it("followed until healthy, it prints the group's URL and the expiry", async () => {
    api.deployment.create.mutate.mockResolvedValue(view({ status: 'pending', active: false }));
    api.deployment.get.query.mockResolvedValue(view());
    expect(await run(true)).toBe(EXIT.ok);
    expect(output.stderr.split('\n')).toEqual([
      "Deploying 'secret-app' ...",
      `Deployment successful! Your app is now running at ${PREVIEW_URL}`,
      'It expires in 1h (2026-12-02 13:00 UTC); keep it longer with: rise d extend secret-app 20261202-1100-mr26 --expire <duration>',
      '',
    ]);
  });

  it('in the default group without an expiry, prints exactly what it always did', async () => {
    const plain = view({ group: 'default', url: 'https://secret-app.rise.dev', expiresAt: null });
    api.deployment.create.mutate.mockResolvedValue(plain);
    await create.run(
      { project: 'secret-app', output: 'table', image: 'nginx:1', follow: false, timeout: 60 },
      ctx,
    );
    expect(api.deployment.create.mutate).toHaveBeenCalledWith(
      expect.objectContaining({ group: undefined, expire: undefined }),
    );
    expect(output.stderr).toBe(
      "Queued deployment 20261202-1100-mr26 of 'secret-app'. Follow it: rise d s secret-app 20261202-1100-mr26\n",
    );
  });
});

describe('rise d ls with groups', () => {
  it('asks for one group, or every group with --all-groups', async () => {
    api.deployment.list.query.mockResolvedValue([]);
    await list.run({ project: 'secret-app', output: 'table', limit: 20, group: 'mr/26' }, ctx);
    expect(api.deployment.list.query).toHaveBeenLastCalledWith({
      project: 'secret-app',
      limit: 20,
      group: 'mr/26',
    });
    expect(output.stderr).toBe(
      "No deployments in group 'mr/26' of 'secret-app': deploy with rise d c secret-app -g mr/26; every group's: rise d ls secret-app --all-groups\n",
    );
    await list.run({ project: 'secret-app', output: 'table', limit: 20, allGroups: true }, ctx);
    expect(api.deployment.list.query).toHaveBeenLastCalledWith({
      project: 'secret-app',
      limit: 20,
      allGroups: true,
    });
  });

  it('shows each group, time left, and the URL on the active deployment only', () => {
    const table = deploymentTable(
      [
        view(),
        view({
          id: '20261202-1000-mr25',
          status: 'superseded',
          active: false,
          expiresAt: new Date(NOW.getTime() - HOUR),
        }),
        view({
          id: '20261202-0900-main',
          group: 'default',
          url: 'https://secret-app.rise.dev',
          expiresAt: null,
          image: null,
          imageDigest: null,
        }),
        view({
          id: '20261202-0800-fail',
          status: 'failed',
          active: false,
          group: 'pr-7',
          expiresAt: null,
          error: 'health check failed\nlast output: …',
        }),
      ],
      NOW.getTime(),
    );
    expect(table.columns.map((column) => column.title)).toEqual([
      'DEPLOYMENT',
      'STATUS',
      'TRIGGER',
      'CREATED BY',
      'COMMIT',
      'IMAGE',
      'DIGEST',
      'GROUP',
      'EXPIRY',
      'CREATED',
      'URL',
      'ERROR',
    ]);
    expect(table.rows.map((row) => [row[0], row[7], row[8], row[10], row[11]])).toEqual([
      ['20261202-1100-mr26', 'mr/26', '1h', PREVIEW_URL, '-'],
      ['20261202-1000-mr25', 'mr/26', '-', '-', '-'],
      ['20261202-0900-main', 'default', '-', 'https://secret-app.rise.dev', '-'],
      ['20261202-0800-fail', 'pr-7', '-', '-', 'health check failed'],
    ]);
  });

  it('EXPIRY: time left while it can still expire, expired once it has', () => {
    const at = (ms: number) => new Date(NOW.getTime() + ms);
    expect(expiryCell({ status: 'healthy', expiresAt: at(7 * 24 * HOUR - 1) })).toBe('7d');
    expect(expiryCell({ status: 'deploying', expiresAt: at(90 * 60_000) })).toBe('1h 30m');
    expect(expiryCell({ status: 'expired', expiresAt: at(-60_000) })).toBe('expired');
    expect(expiryCell({ status: 'stopped', expiresAt: at(HOUR) })).toBe('-');
    expect(expiryCell({ status: 'terminating', expiresAt: at(HOUR) })).toBe('-');
    expect(expiryCell({ status: 'healthy', expiresAt: null })).toBe('-');
  });

  it('keeps group, url and expiresAt in -o json', async () => {
    api.deployment.list.query.mockResolvedValue([view()]);
    await list.run({ project: 'secret-app', output: 'json', limit: 20, allGroups: true }, ctx);
    const [listed] = JSON.parse(output.stdout);
    expect(listed).toMatchObject({
      group: 'mr/26',
      url: PREVIEW_URL,
      expiresAt: '2026-12-02T13:00:00.000Z',
    });
  });
});

describe('remaining time', () => {
  it('counts up to whole seconds, so a fresh 1h expiry reads 1h', () => {
    expect(remaining(new Date(NOW.getTime() + HOUR - 400), NOW.getTime())).toBe('1h');
    expect(remaining(new Date(NOW.getTime() + 20_000), NOW.getTime())).toBe('20s');
    expect(remaining(NOW, NOW.getTime())).toBe('expired');
    expect(expiryText(null)).toBeNull();
    expect(expiryText(new Date(NOW.getTime() - HOUR))).toBe('expired at 2026-12-02 11:00 UTC');
  });
});

describe('rise d stop -g', () => {
  it('stops a preview group with stopGroup', async () => {
    api.deployment.stopGroup.mutate.mockResolvedValue({
      project: 'secret-app',
      group: 'mr/26',
      stopped: true,
    });
    await stop.run({ project: 'secret-app', output: 'table', group: 'mr/26' }, ctx);
    expect(api.deployment.stopGroup.mutate).toHaveBeenCalledWith({ project: 'secret-app', group: 'mr/26' });
    expect(api.deployment.stop.mutate).not.toHaveBeenCalled();
    expect(output.stderr).toBe(
      "Stopping group 'mr/26' of 'secret-app': its URL stops answering and its deployments stop.\n",
    );
  });

  it('stops the app itself without -g or with -g default', async () => {
    api.deployment.stop.mutate.mockResolvedValue({ project: 'secret-app', desiredState: 'stopped' });
    await stop.run({ project: 'secret-app', output: 'table' }, ctx);
    await stop.run({ project: 'secret-app', output: 'table', group: 'default' }, ctx);
    expect(api.deployment.stop.mutate.mock.calls).toEqual([
      [{ project: 'secret-app' }],
      [{ project: 'secret-app' }],
    ]);
    expect(api.deployment.stopGroup.mutate).not.toHaveBeenCalled();
  });
});

describe('rise d rollback -g', () => {
  it('rolls back in the group and says so', async () => {
    api.deployment.rollback.mutate.mockResolvedValue(
      view({ id: '20261202-1200-back', status: 'pending', rolledBackFrom: '20261202-1000-mr25' }),
    );
    await rollback.run({ project: 'secret-app', output: 'table', group: 'mr/26' }, ctx);
    expect(api.deployment.rollback.mutate).toHaveBeenCalledWith({
      project: 'secret-app',
      deployment: undefined,
      group: 'mr/26',
    });
    expect(output.stderr).toBe(
      "Rolling back 'secret-app' in group mr/26 to 20261202-1000-mr25 as deployment 20261202-1200-back.\n",
    );
  });
});

describe('rise d extend', () => {
  it("extends a group's active deployment and says until when", async () => {
    api.deployment.extend.mutate.mockResolvedValue(
      view({ expiresAt: new Date(NOW.getTime() + 7 * 24 * HOUR) }),
    );
    await extend.run({ project: 'secret-app', output: 'table', group: 'mr/26', expire: '7d' }, ctx);
    expect(api.deployment.extend.mutate).toHaveBeenCalledWith({
      project: 'secret-app',
      deployment: undefined,
      group: 'mr/26',
      expire: '7d',
    });
    expect(output.stderr).toBe(
      "Deployment 20261202-1100-mr26 of 'secret-app' in group mr/26 now expires in 7d (2026-12-09 12:00 UTC).\n",
    );
  });

  it('refuses a deployment and a group together, before asking the API', async () => {
    const error = await cliError(
      extend.run(
        {
          project: 'secret-app',
          deployment: '20261202-1100-mr26',
          output: 'table',
          group: 'mr/26',
          expire: '7d',
        },
        ctx,
      ),
    );
    expect(error.exitCode).toBe(EXIT.usage);
    expect(error.message).toBe(
      'Name a deployment or a group, not both: rise d extend secret-app 20261202-1100-mr26 --expire 7d, or rise d extend secret-app -g mr/26 --expire 7d.',
    );
    expect(api.deployment.extend.mutate).not.toHaveBeenCalled();
  });
});

describe('rise d s and rise d cancel with -g', () => {
  it('shows the newest deployment of the group, and says so when it has none', async () => {
    api.deployment.list.query.mockResolvedValueOnce([view()]);
    api.deployment.get.query.mockResolvedValue(view());
    await show.run(
      { project: 'secret-app', output: 'table', group: 'mr/26', follow: false, timeout: 600 },
      ctx,
    );
    expect(api.deployment.list.query).toHaveBeenLastCalledWith({
      project: 'secret-app',
      limit: 1,
      group: 'mr/26',
    });
    expect(api.deployment.get.query).toHaveBeenLastCalledWith({
      project: 'secret-app',
      deployment: view().id,
    });

    api.deployment.list.query.mockResolvedValueOnce([]);
    const none = await cliError(
      show.run({ project: 'secret-app', output: 'table', group: 'pr-1', follow: false, timeout: 600 }, ctx),
    );
    expect(none.message).toBe(
      "No deployments of 'secret-app' in group pr-1 yet: rise d c secret-app -g pr-1",
    );
    expect(none.exitCode).toBe(EXIT.notFound);
  });

  it('cancels the deployment in progress of the group', async () => {
    api.deployment.list.query.mockResolvedValue([view({ status: 'deploying' })]);
    api.deployment.cancel.mutate.mockResolvedValue(view({ status: 'cancelling' }));
    expect(await cancel.run({ project: 'secret-app', output: 'table', group: 'mr/26' }, ctx)).toBe(EXIT.ok);
    expect(api.deployment.list.query).toHaveBeenLastCalledWith({
      project: 'secret-app',
      limit: 20,
      group: 'mr/26',
    });
    expect(api.deployment.cancel.mutate).toHaveBeenCalledWith({
      project: 'secret-app',
      deployment: view().id,
    });
  });
});
