import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api } from '../../lib/api';
import type { CommandContext } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { captureProcess } from '../../lib/testing/capture-process';
import { cliError } from '../../lib/testing/cli-error';
import { buildProgram } from '../../program';
import { backup } from './backup';
import { drillText } from './backups';
import { create } from './create';
import { list } from './list';
import { remove } from './remove';
import { restore } from './restore';
import { schedule } from './schedule';

// `rise volume`: what commander hands the commands (name, --mount, --size checked by the shared zod
// schemas before anything runs), what they send to the API and what they print.

const api = {
  volume: {
    create: { mutate: vi.fn() },
    list: { query: vi.fn() },
    delete: { mutate: vi.fn() },
    backup: { mutate: vi.fn() },
    drill: { mutate: vi.fn() },
    restore: { mutate: vi.fn() },
    schedule: { mutate: vi.fn() },
  },
};
const ctx = { api: () => api as unknown as Api } as CommandContext;
const output = captureProcess();
const rise = (...args: string[]) => buildProgram().parseAsync(['node', 'rise', ...args]);
const argsOf = (spec: { run: unknown }) =>
  vi.mocked(spec.run as (args: Record<string, unknown>) => number).mock.calls[0]![0];

const data = {
  name: 'data',
  mountPath: '/data',
  size: '1Gi',
  backupSchedule: { cron: '0 3 * * *', destination: 'local', keep: 7, encrypt: false },
  createdBy: 'niklas',
  createdAt: new Date('2026-12-02T12:00:00Z'),
};

beforeEach(() => {
  Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const call of Object.values(api.volume)) Object.values(call)[0]!.mockReset();
});

describe('flags', () => {
  beforeEach(() => {
    for (const spec of [create, list, remove]) vi.spyOn(spec, 'run').mockResolvedValue(0);
  });

  it('rise volume create NAME --mount PATH [--size SIZE] -p PROJECT', async () => {
    await rise('volume', 'create', 'data', '--mount', '/data', '-p', 'shop');
    expect(argsOf(create)).toMatchObject({ project: 'shop', name: 'data', mount: '/data', size: '1Gi' });
    vi.mocked(create.run).mockClear();
    await rise('vol', 'create', 'cache', '--mount', '/var/cache/app', '--size', '512Mi', '-p', 'shop');
    expect(argsOf(create)).toMatchObject({ name: 'cache', mount: '/var/cache/app', size: '512Mi' });
  });

  it('refuses a bad mount path before anything runs: exit 2 and the rule', async () => {
    const cases: [string, string][] = [
      ['data', 'Mount path "data" must be absolute (e.g. /data).'],
      ['/', 'Mount path / would hide the whole container: pick a directory such as /data.'],
      ['/proc/x', 'Mount path "/proc/x" is under /proc, which the runtime owns.'],
      ['/sys', 'Mount path "/sys" is under /sys, which the runtime owns.'],
      ['/dev/shm', 'Mount path "/dev/shm" is under /dev, which the runtime owns.'],
    ];
    for (const [path, message] of cases) {
      await expect(rise('volume', 'create', 'data', '--mount', path, '-p', 'shop')).rejects.toThrow('exit 2');
      expect(output.stderr).toContain(
        `error: option '--mount <path>' argument '${path}' is invalid. ${message}`,
      );
    }
    expect(create.run).not.toHaveBeenCalled();
  });

  it('refuses a bad size and a bad name, and needs --mount', async () => {
    await expect(
      rise('volume', 'create', 'data', '--mount', '/data', '--size', '1GB', '-p', 'shop'),
    ).rejects.toThrow('exit 2');
    expect(output.stderr).toContain(
      "error: option '--size <size>' argument '1GB' is invalid. Expected a size such as 512Mi, 1Gi or 2Ti",
    );
    await expect(rise('volume', 'create', 'My_Data', '--mount', '/data', '-p', 'shop')).rejects.toThrow(
      'exit 2',
    );
    expect(output.stderr).toContain(
      'Expected a volume name of 1 to 40 lowercase letters, digits and hyphens',
    );
    await expect(rise('volume', 'create', 'data', '-p', 'shop')).rejects.toThrow('exit 2');
    expect(output.stderr).toContain("error: required option '--mount <path>' not specified");
    expect(create.run).not.toHaveBeenCalled();
  });

  it('rise volume ls [PROJECT] and rise volume rm NAME', async () => {
    await rise('volume', 'ls', 'shop');
    expect(argsOf(list)).toMatchObject({ project: 'shop' });
    await rise('volume', 'rm', 'data', '-p', 'shop');
    expect(argsOf(remove)).toMatchObject({ project: 'shop', name: 'data' });
  });
});

describe('commands', () => {
  it('create sends the volume and says when it is mounted', async () => {
    api.volume.create.mutate.mockResolvedValue([data]);
    const code = await create.run(
      { project: 'shop', name: 'data', mount: '/data/', size: '1Gi', output: 'text' },
      ctx,
    );
    expect(code).toBe(0);
    expect(api.volume.create.mutate).toHaveBeenCalledWith({
      project: 'shop',
      name: 'data',
      mountPath: '/data/',
      size: '1Gi',
    });
    expect(output.stderr).toContain("Created volume data (1Gi) of 'shop', mounted at /data.");
    expect(output.stderr).toContain('the next deployment mounts it (rise d redeploy shop)');
  });

  it('ls shows name, mount and size; rm says the data goes', async () => {
    api.volume.list.query.mockResolvedValue([data]);
    expect(await list.run({ project: 'shop', output: 'text' }, ctx)).toBe(0);
    expect(output.stdout).toMatch(/NAME\s+MOUNT\s+SIZE\s+BACKUPS\s+CREATED BY\s+CREATED/);
    expect(output.stdout).toMatch(/data\s+\/data\s+1Gi\s+0 3 \* \* \*\s+niklas\s+2026-12-02T12:00:00.000Z/);
    api.volume.delete.mutate.mockResolvedValue([]);
    expect(await remove.run({ project: 'shop', name: 'data', output: 'text' }, ctx)).toBe(0);
    expect(api.volume.delete.mutate).toHaveBeenCalledWith({ project: 'shop', name: 'data' });
    expect(output.stderr).toContain("Deleted volume data of 'shop'; its data is being removed.");
  });
});

describe('volume backups', () => {
  const view = {
    id: 'cmvb1',
    volume: 'data',
    destination: 'offsite',
    status: 'succeeded' as const,
    sizeBytes: 2048,
    sha256: 'a'.repeat(64),
    encrypted: true,
    files: 2,
    error: null,
    drill: null,
    restoredAt: null,
    createdAt: new Date('2026-12-02T12:00:00Z'),
    finishedAt: null,
  };

  it('rise volume backup NAME --destination D --encrypt; a bad destination name is a usage error', async () => {
    vi.spyOn(backup, 'run').mockResolvedValue(0);
    await rise('volume', 'backup', 'data', '--destination', 'offsite', '--encrypt', '-p', 'shop');
    expect(argsOf(backup)).toMatchObject({
      project: 'shop',
      name: 'data',
      destination: 'offsite',
      encrypt: true,
    });
    await expect(
      rise('volume', 'backup', 'data', '--destination', 'Not Valid', '-p', 'shop'),
    ).rejects.toThrow('exit 2');
    expect(output.stderr).toContain("error: option '--destination <name>' argument 'Not Valid' is invalid.");
    expect(backup.run).toHaveBeenCalledTimes(1);
  });

  it('backup queues it; restore --drill asks for a drill, restore alone for a restore', async () => {
    api.volume.backup.mutate.mockResolvedValue({ ...view, status: 'pending' });
    await backup.run(
      { project: 'shop', name: 'data', destination: 'offsite', encrypt: true, output: 'text' },
      ctx,
    );
    expect(api.volume.backup.mutate).toHaveBeenCalledWith({
      project: 'shop',
      name: 'data',
      destination: 'offsite',
      encrypt: true,
    });
    expect(output.stderr).toContain('Queued backup cmvb1 of volume data to offsite.');
    api.volume.drill.mutate.mockResolvedValue(view);
    await restore.run({ project: 'shop', backup: 'cmvb1', drill: true, output: 'text' }, ctx);
    expect(api.volume.drill.mutate).toHaveBeenCalledWith({ project: 'shop', backup: 'cmvb1' });
    expect(api.volume.restore.mutate).not.toHaveBeenCalled();
    api.volume.restore.mutate.mockResolvedValue(view);
    await restore.run({ project: 'shop', backup: 'cmvb1', drill: false, output: 'text' }, ctx);
    expect(api.volume.restore.mutate).toHaveBeenCalledWith({ project: 'shop', backup: 'cmvb1' });
    expect(output.stderr).toContain('start the app when it is done (rise d start shop)');
  });

  it('shows what a drill found', () => {
    const at = new Date();
    expect(drillText(view)).toBe('-');
    expect(
      drillText({ ...view, drill: { at, ok: true, missing: [], extra: [], changed: [], error: null } }),
    ).toBe('passed');
    expect(
      drillText({
        ...view,
        drill: { at, ok: false, missing: ['a'], extra: [], changed: ['b', 'c'], error: null },
      }),
    ).toBe('failed: missing a; changed b, c');
    expect(
      drillText({ ...view, drill: { at, ok: false, missing: [], extra: [], changed: [], error: 'no key' } }),
    ).toBe('failed: no key');
  });
});

describe('rise volume schedule', () => {
  it('passes --cron, --keep, --destination and --encrypt as typed', async () => {
    vi.spyOn(schedule, 'run').mockResolvedValue(0);
    await rise('volume', 'schedule', 'data', '--cron', '0 3 * * *', '--keep', '7', '--encrypt', '-p', 'shop');
    expect(argsOf(schedule)).toMatchObject({ name: 'data', cron: '0 3 * * *', keep: 7, encrypt: true });
  });

  it('refuses a bad cron, a bad --keep, and --cron with --off', async () => {
    vi.spyOn(schedule, 'run').mockResolvedValue(0);
    await expect(rise('volume', 'schedule', 'data', '--cron', 'daily', '-p', 'shop')).rejects.toThrow(
      'exit 2',
    );
    expect(output.stderr).toContain("error: option '--cron <expression>' argument 'daily' is invalid.");
    await expect(
      rise('volume', 'schedule', 'data', '--cron', '0 3 * * *', '--keep', '0', '-p', 'shop'),
    ).rejects.toThrow('exit 2');
    expect(output.stderr).toContain('Keep at least 1.');
    await expect(
      rise('volume', 'schedule', 'data', '--cron', '0 3 * * *', '--off', '-p', 'shop'),
    ).rejects.toThrow('exit 2');
    expect(output.stderr).toContain("error: option '--off' cannot be used with option '--cron <expression>'");
    expect(schedule.run).not.toHaveBeenCalled();
  });

  it('sends the schedule, or null for --off, and says what it did', async () => {
    api.volume.schedule.mutate.mockResolvedValueOnce(data);
    await schedule.run(
      { project: 'shop', name: 'data', cron: '0 3 * * *', keep: 7, encrypt: false, output: 'text' },
      ctx,
    );
    expect(api.volume.schedule.mutate).toHaveBeenCalledWith({
      project: 'shop',
      name: 'data',
      cron: '0 3 * * *',
      keep: 7,
      destination: undefined,
      encrypt: false,
    });
    expect(output.stderr).toContain(
      "Volume data is backed up at '0 3 * * *' (UTC) to local, keeping the last 7.",
    );
    api.volume.schedule.mutate.mockResolvedValueOnce({ ...data, backupSchedule: null });
    await schedule.run({ project: 'shop', name: 'data', off: true, encrypt: false, output: 'text' }, ctx);
    expect(api.volume.schedule.mutate).toHaveBeenLastCalledWith(expect.objectContaining({ cron: null }));
    expect(output.stderr).toContain('Stopped the scheduled backups of volume data.');
    const error = await cliError(
      schedule.run({ project: 'shop', name: 'data', encrypt: false, output: 'text' }, ctx),
    );
    expect(error.message).toBe('Give --cron EXPRESSION, or --off to stop.');
    expect(error.exitCode).toBe(EXIT.usage);
  });
});
