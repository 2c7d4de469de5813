import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api } from '../../lib/api';
import type { CommandContext } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { captureProcess } from '../../lib/testing/capture-process';
import { cliError } from '../../lib/testing/cli-error';
import { buildProgram } from '../../program';
import { logs } from '../deployment/logs';
import { exec } from '../exec/exec';
import { execUrl } from '../exec/exec-client';
import { ps } from './ps';
import { scale } from './scale';

// `rise ps`, `rise scale` and `rise exec --process/--instance`: what commander hands the commands
// (PROCESS=COUNT checked by the shared scaleArgument before anything runs), what they send and print.

const api = {
  project: { processes: { query: vi.fn() }, scale: { mutate: vi.fn() } },
};
const ctx = { api: () => api as unknown as Api } as CommandContext;
const output = captureProcess();
const rise = (...args: string[]) => buildProgram().parseAsync(['node', 'rise', ...args]);
const argsOf = (spec: { run: unknown }) =>
  vi.mocked(spec.run as (args: Record<string, unknown>) => number).mock.calls[0]![0];

beforeEach(() => {
  Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
});
afterEach(() => {
  vi.restoreAllMocks();
  api.project.processes.query.mockReset();
  api.project.scale.mutate.mockReset();
});

describe('arguments', () => {
  beforeEach(() => {
    for (const spec of [ps, scale, exec]) vi.spyOn(spec, 'run').mockResolvedValue(0);
  });

  it('rise scale PROJECT web=3 worker=1: each count parsed', async () => {
    await rise('scale', 'shop', 'web=3', 'worker=1');
    expect(argsOf(scale)).toMatchObject({
      project: 'shop',
      counts: [
        { process: 'web', replicas: 3 },
        { process: 'worker', replicas: 1 },
      ],
    });
  });

  it('refuses a bad count before anything runs: exit 2 and which argument', async () => {
    const cases: [string[], string][] = [
      [['web'], 'expected PROCESS=COUNT (e.g. web=3), got "web"'],
      [['web=three'], 'expected PROCESS=COUNT (e.g. web=3), got "web=three"'],
      [['Web_1=2'], '"Web_1": expected a process name of lowercase letters'],
      [['worker=21'], 'worker: expected at most 20 replicas'],
    ];
    for (const [counts, message] of cases) {
      await expect(rise('scale', 'shop', ...counts)).rejects.toThrow('exit 2');
      expect(output.stderr).toContain(message);
    }
    await expect(rise('scale', 'shop')).rejects.toThrow('exit 2');
    expect(output.stderr).toContain("error: missing required argument 'counts'");
    expect(scale.run).not.toHaveBeenCalled();
  });

  it('rise ps [PROJECT]', async () => {
    await rise('ps', 'shop');
    expect(argsOf(ps)).toMatchObject({ project: 'shop' });
  });

  it('rise exec PROJECT --process worker --instance 1 -- CMD', async () => {
    await rise('exec', 'shop', '--process', 'worker', '--instance', '1', '--', 'sh', '-c', 'echo hi');
    expect(argsOf(exec)).toMatchObject({
      project: 'shop',
      process: 'worker',
      instance: 1,
      command: ['sh', '-c', 'echo hi'],
    });
    await expect(rise('exec', 'shop', '--instance', 'one', '--', 'sh')).rejects.toThrow('exit 2');
    expect(output.stderr).toContain(
      "error: option '--instance <n>' argument 'one' is invalid. expected a replica number, as rise ps shows it (0, 1, …)",
    );
    await expect(rise('exec', 'shop', '--process', 'My_Worker', '--', 'sh')).rejects.toThrow('exit 2');
    expect(output.stderr).toContain('expected a process name of lowercase letters');
    expect(exec.run).toHaveBeenCalledTimes(1);
  });
});

describe('rise d logs --process --instance', () => {
  it("passes one instance's choice to the API, and refuses it with --events", async () => {
    vi.spyOn(logs, 'run').mockResolvedValue(0);
    await rise('d', 'logs', 'shop', '--process', 'worker', '--instance', '2');
    expect(argsOf(logs)).toMatchObject({ project: 'shop', process: 'worker', instance: 2 });
    vi.mocked(logs.run).mockRestore();
    const refused = await cliError(
      logs.run(
        { project: 'shop', process: 'worker', events: true, follow: false, tail: 10, output: 'table' },
        ctx,
      ),
    );
    expect(refused).toMatchObject({
      exitCode: EXIT.usage,
      message: '--process and --instance pick app output; drop --events.',
    });
  });
});

describe('commands', () => {
  it('scale sends the counts, says what changed and that it applies without a redeploy', async () => {
    api.project.scale.mutate.mockResolvedValue({
      processes: [
        { name: 'web', from: 1, to: 3 },
        { name: 'worker', from: 2, to: 2 },
      ],
      applying: true,
    });
    const counts = [
      { process: 'web', replicas: 3 },
      { process: 'worker', replicas: 2 },
    ];
    expect(
      await scale.run({ project: 'shop', counts, output: 'table', wait: false, timeout: 120 }, ctx),
    ).toBe(EXIT.ok);
    expect(api.project.scale.mutate).toHaveBeenCalledWith({ project: 'shop', counts: { web: 3, worker: 2 } });
    expect(output.stderr).toBe(
      [
        'web: 1 → 3',
        'worker: 2 (unchanged)',
        'Applying to the running version now, without a redeploy; watch it with: rise ps shop.',
        '',
      ].join('\n'),
    );
  });

  it('scale of a stopped project says the next deploy starts the counts; a process named twice is refused', async () => {
    api.project.scale.mutate.mockResolvedValue({
      processes: [{ name: 'web', from: 1, to: 2 }],
      applying: false,
    });
    await scale.run(
      { project: 'shop', counts: [{ process: 'web', replicas: 2 }], output: 'table', wait: true, timeout: 5 },
      ctx,
    );
    // Not running: nothing to wait for.
    expect(api.project.processes.query).not.toHaveBeenCalled();
    expect(output.stderr).toContain("'shop' is not running: the next deploy starts these counts.");
    const twice = await cliError(
      scale.run(
        {
          project: 'shop',
          counts: [
            { process: 'web', replicas: 2 },
            { process: 'web', replicas: 3 },
          ],
          output: 'table',
          wait: false,
          timeout: 120,
        },
        ctx,
      ),
    );
    expect(twice).toMatchObject({
      exitCode: EXIT.usage,
      message: 'web is named twice: give each process one count.',
    });
  });

  it('scale --wait polls until each process runs its new count', async () => {
    api.project.scale.mutate.mockResolvedValue({
      processes: [{ name: 'web', from: 1, to: 2 }],
      applying: true,
    });
    const web = (running: number) => ({
      processes: [
        {
          name: 'web',
          command: null,
          replicas: 2,
          cpuLimit: null,
          memoryLimitMb: null,
          instances: Array.from({ length: running }, (_, replica) => ({
            replica,
            state: 'running',
            startedAt: null,
            exitCode: null,
          })),
        },
      ],
    });
    api.project.processes.query.mockResolvedValueOnce(web(1)).mockResolvedValueOnce(web(2));
    const code = await scale.run(
      {
        project: 'shop',
        counts: [{ process: 'web', replicas: 2 }],
        output: 'table',
        wait: true,
        timeout: 30,
      },
      ctx,
    );
    expect(code).toBe(EXIT.ok);
    expect(api.project.processes.query).toHaveBeenCalledTimes(2);
    expect(output.stderr).toContain('Applying to the running version now, without a redeploy.\n');
    expect(output.stderr).toContain('Done: every instance runs.');
    api.project.processes.query.mockResolvedValue(web(1));
    const late = await cliError(
      scale.run(
        {
          project: 'shop',
          counts: [{ process: 'web', replicas: 2 }],
          output: 'table',
          wait: true,
          timeout: 0,
        },
        ctx,
      ),
    );
    expect(late).toMatchObject({
      exitCode: EXIT.timeout,
      message: 'Still scaling after 0 s (web=2); see rise ps shop',
    });
  });

  it('ps shows each instance under its process with the desired count, and what is short', async () => {
    api.project.processes.query.mockResolvedValue({
      processes: [
        {
          name: 'web',
          command: null,
          replicas: 2,
          cpuLimit: null,
          memoryLimitMb: null,
          instances: [
            { replica: 0, state: 'running', startedAt: '2026-12-03T04:00:00.000Z', exitCode: null },
            { replica: 1, state: 'exited', startedAt: '2026-12-03T04:01:00.000Z', exitCode: 137 },
          ],
        },
        {
          name: 'worker',
          command: 'node w.js',
          replicas: 1,
          cpuLimit: null,
          memoryLimitMb: null,
          instances: [],
        },
      ],
    });
    expect(await ps.run({ project: 'shop', output: 'table' }, ctx)).toBe(EXIT.ok);
    expect(api.project.processes.query).toHaveBeenCalledWith({ project: 'shop' });
    expect(output.stdout.split('\n')).toEqual([
      'PROCESS       DESIRED  REPLICA  STATE         STARTED',
      'web           2        0        running       2026-12-03 04:00 UTC',
      '                       1        exited (137)  2026-12-03 04:01 UTC',
      'worker        1        -        not running   -',
      '',
    ]);
    expect(output.stderr).toBe('web: 1 of 2 running.\nworker: 0 of 1 running.\n');
  });
});

describe('execUrl', () => {
  it('carries the process and the replica', () => {
    const url = execUrl({
      url: 'https://rise.example.com',
      token: 't',
      project: 'shop',
      process: 'worker',
      replica: 0,
      cmd: ['sh'],
      tty: false,
    });
    expect(url.searchParams.get('process')).toBe('worker');
    expect(url.searchParams.get('replica')).toBe('0');
  });
});
