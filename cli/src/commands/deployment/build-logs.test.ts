import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api } from '../../lib/api';
import type { CommandContext } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { captureProcess } from '../../lib/testing/capture-process';
import { cliError } from '../../lib/testing/cli-error';
import { buildOutcome } from './build-log-follow';
import { create } from './create';
import { logs } from './logs';
import { serverBuildPhase } from './server-build-progress';

// `rise d logs --build` and `rise d c --git`'s progress, against a recorder of the API whose
// `deployment.logs` subscription plays back the entries a test gives it.

const ID = '20261202-0101-k3f9';
const TIME = new Date('2026-12-02T01:01:00Z');

type Entry = { type: 'event'; message: string } | { type: 'status'; status: string };
let played: Entry[] = [];
/** false: the subscription stays open after the entries (a build still running) until unsubscribed. */
let completes = true;
const unsubscribe = vi.fn();

const api = {
  deployment: {
    list: { query: vi.fn() },
    get: { query: vi.fn() },
    create: { mutate: vi.fn() },
    cancel: { mutate: vi.fn() },
    logs: {
      subscribe: vi.fn(
        (
          _input: unknown,
          handlers: { onData(entry: unknown): void; onComplete(): void; onStopped(): void },
        ) => {
          queueMicrotask(() => {
            for (const [index, entry] of played.entries())
              handlers.onData(
                entry.type === 'event' ? { id: String(index), level: 'build', time: TIME, ...entry } : entry,
              );
            if (completes) handlers.onComplete();
          });
          return {
            unsubscribe: () => {
              unsubscribe();
              handlers.onStopped();
            },
          };
        },
      ),
    },
  },
};
const ctx = { api: () => api as unknown as Api } as CommandContext;

const view = (overrides: Record<string, unknown> = {}) => ({
  id: ID,
  project: 'secret-app',
  status: 'healthy',
  active: true,
  group: 'default',
  url: 'https://secret-app.rise.dev',
  expiresAt: null,
  image: `127.0.0.1:5000/secret-app:${ID}`,
  imageDigest: `sha256:${'a'.repeat(64)}`,
  error: null,
  trigger: 'manual',
  commit: null,
  createdAt: TIME,
  healthyAt: TIME,
  ...overrides,
});

const FAILED = {
  status: 'failed',
  image: null,
  imageDigest: null,
  error: "Build failed at step 'build': exit code 3\nLast lines:\nabout to fail",
};

const output = captureProcess();
beforeEach(() => {
  Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
  played = [];
  completes = true;
});
afterEach(() => {
  vi.useRealTimers();
  for (const call of [api.deployment.list.query, api.deployment.get.query, api.deployment.create.mutate])
    call.mockReset();
  api.deployment.logs.subscribe.mockClear();
  unsubscribe.mockClear();
});

const logsArgs = {
  project: 'secret-app',
  output: 'table',
  follow: false,
  events: false,
  tail: 200,
  build: true,
};

describe('rise d logs --build', () => {
  it("prints the newest deployment's stored build lines, its status on stderr, and exits 0 once pushed", async () => {
    api.deployment.list.query.mockResolvedValue([view({ id: ID })]);
    api.deployment.get.query.mockResolvedValue(view({ status: 'deploying' }));
    played = [
      { type: 'event', message: 'Step 1/3 : FROM busybox' },
      { type: 'event', message: 'Successfully built 1234' },
      { type: 'status', status: 'deploying' },
    ];
    expect(await logs.run({ ...logsArgs, follow: true }, ctx)).toBe(EXIT.ok);
    expect(api.deployment.list.query).toHaveBeenCalledWith({ project: 'secret-app', limit: 1 });
    expect(api.deployment.logs.subscribe).toHaveBeenCalledWith(
      { project: 'secret-app', deployment: ID, follow: true, source: 'build' },
      expect.anything(),
    );
    expect(output.stdout).toBe('Step 1/3 : FROM busybox\nSuccessfully built 1234\n');
    expect(output.stderr).toBe(`Deployment ${ID} is deploying.\n`);
  });

  it('a failed build: the lines, then exit 1 with the failing step (its tail was just printed)', async () => {
    api.deployment.get.query.mockResolvedValue(view(FAILED));
    played = [
      { type: 'event', message: 'about to fail' },
      { type: 'status', status: 'failed' },
    ];
    const error = await cliError(logs.run({ ...logsArgs, deployment: ID }, ctx));
    expect(api.deployment.list.query).not.toHaveBeenCalled();
    expect(output.stdout).toBe('about to fail\n');
    expect(error.exitCode).toBe(EXIT.failure);
    expect(error.message).toBe(`Deployment ${ID} failed: Build failed at step 'build': exit code 3`);
  });

  it('a build that failed before any line: the whole reason, tail included', async () => {
    api.deployment.get.query.mockResolvedValue(view(FAILED));
    played = [{ type: 'status', status: 'failed' }];
    const error = await cliError(logs.run({ ...logsArgs, deployment: ID }, ctx));
    expect(error.message).toBe(`Deployment ${ID} failed: ${FAILED.error}`);
  });

  it('a cancelled build exits 1; a deployment that failed after its image was pushed had a build that worked', async () => {
    api.deployment.get.query.mockResolvedValueOnce(
      view({ status: 'cancelled', imageDigest: null, image: null }),
    );
    const cancelled = await cliError(logs.run({ ...logsArgs, deployment: ID }, ctx));
    expect(cancelled.message).toBe(`The build of deployment ${ID} was cancelled.`);
    expect(cancelled.exitCode).toBe(EXIT.failure);
    api.deployment.get.query.mockResolvedValueOnce(view({ status: 'failed', error: 'health check failed' }));
    played = [{ type: 'event', message: 'built' }];
    expect(await logs.run({ ...logsArgs, deployment: ID }, ctx)).toBe(EXIT.ok);
  });

  it('-o json: one entry a line, as the server sends it', async () => {
    api.deployment.get.query.mockResolvedValue(view());
    played = [
      { type: 'event', message: 'line one' },
      { type: 'status', status: 'healthy' },
    ];
    await logs.run({ ...logsArgs, deployment: ID, output: 'json' }, ctx);
    expect(
      output.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { type: 'event', id: '0', level: 'build', time: TIME.toISOString(), message: 'line one' },
      { type: 'status', status: 'healthy' },
    ]);
  });

  it('says how to follow a build that has not written anything yet, and when there is no build log', async () => {
    api.deployment.get.query.mockResolvedValueOnce(view({ status: 'pending', imageDigest: null }));
    played = [{ type: 'status', status: 'pending' }];
    await logs.run({ ...logsArgs, deployment: ID }, ctx);
    expect(output.stderr).toContain(
      `No build output yet; follow it: rise d logs secret-app --build --deployment ${ID} -f\n`,
    );
    api.deployment.get.query.mockResolvedValueOnce(view());
    played = [{ type: 'status', status: 'healthy' }];
    await logs.run({ ...logsArgs, deployment: ID }, ctx);
    expect(output.stderr).toContain(`Deployment ${ID} has no build log`);
  });

  it('says so when the project has no deployment', async () => {
    api.deployment.list.query.mockResolvedValue([]);
    const error = await cliError(logs.run(logsArgs, ctx));
    expect(error.exitCode).toBe(EXIT.notFound);
    expect(error.message).toBe("'secret-app' has no deployments yet: rise d c secret-app");
  });

  it('build outcome: running while queued, building, pushing or cancelling', () => {
    for (const status of ['pending', 'building', 'pushing', 'cancelling'])
      expect(buildOutcome({ status, imageDigest: null })).toBe('running');
    expect(buildOutcome({ status: 'failed', imageDigest: null })).toBe('failed');
    expect(buildOutcome({ status: 'cancelled', imageDigest: null })).toBe('cancelled');
    expect(buildOutcome({ status: 'cancelled', imageDigest: 'sha256:x' })).toBe('pushed');
    expect(buildOutcome({ status: 'pushed', imageDigest: 'sha256:x' })).toBe('pushed');
  });
});

describe('rise d c --git progress', () => {
  const createArgs = {
    project: 'secret-app',
    output: 'table',
    follow: true,
    timeout: 600,
    git: true,
    ref: 'v1.2',
  };

  it('a line per phase through building, pushing and deploying to healthy', async () => {
    api.deployment.create.mutate.mockResolvedValue(view({ status: 'pending', imageDigest: null }));
    api.deployment.get.query.mockResolvedValue(view());
    played = [
      { type: 'status', status: 'pending' },
      { type: 'status', status: 'building' },
      { type: 'event', message: 'Step 1/3 : FROM busybox' },
      { type: 'status', status: 'pushing' },
      { type: 'status', status: 'pushed' },
    ];
    expect(await create.run(createArgs, ctx)).toBe(EXIT.ok);
    expect(output.stderr.split('\n')).toEqual([
      "Waiting for the server to start building 'secret-app'...",
      "Building 'secret-app' on the server from its git source at v1.2...",
      "Pushing container image to Rise's registry...",
      "Deploying 'secret-app' ...",
      'Deployment successful! Your app is now running at https://secret-app.rise.dev',
      '',
    ]);
  });

  it('a push quicker than the server poll still shows its phase, between building and deploying', async () => {
    api.deployment.create.mutate.mockResolvedValue(view({ status: 'pending', imageDigest: null }));
    api.deployment.get.query.mockResolvedValue(view());
    played = [
      { type: 'status', status: 'building' },
      { type: 'status', status: 'deploying' },
    ];
    expect(await create.run(createArgs, ctx)).toBe(EXIT.ok);
    expect(output.stderr.split('\n')).toEqual([
      "Building 'secret-app' on the server from its git source at v1.2...",
      "Pushing container image to Rise's registry...",
      "Deploying 'secret-app' ...",
      'Deployment successful! Your app is now running at https://secret-app.rise.dev',
      '',
    ]);
  });

  it('--verbose: the build output between the phase lines', async () => {
    api.deployment.create.mutate.mockResolvedValue(view({ status: 'pending', imageDigest: null }));
    api.deployment.get.query.mockResolvedValue(view());
    played = [
      { type: 'status', status: 'building' },
      { type: 'event', message: 'Step 1/3 : FROM busybox' },
      { type: 'status', status: 'deploying' },
    ];
    await create.run({ ...createArgs, ref: undefined, verbose: true }, ctx);
    expect(output.stderr.split('\n').slice(0, 4)).toEqual([
      "Building 'secret-app' on the server from its git source...",
      'Step 1/3 : FROM busybox',
      "Pushing container image to Rise's registry...",
      "Deploying 'secret-app' ...",
    ]);
  });

  it('a failed build fails the command with the step and the last lines', async () => {
    api.deployment.create.mutate.mockResolvedValue(view({ status: 'pending', imageDigest: null }));
    api.deployment.get.query.mockResolvedValue(view(FAILED));
    played = [
      { type: 'status', status: 'building' },
      { type: 'event', message: 'about to fail' },
      { type: 'status', status: 'failed' },
    ];
    const error = await cliError(create.run(createArgs, ctx));
    expect(error.exitCode).toBe(EXIT.failure);
    expect(error.message).toBe(`Deployment ${ID} failed: ${FAILED.error}`);
    expect(output.stderr).not.toContain('Deploying');
  });

  it(`gives up at --timeout while the server still builds (exit ${EXIT.timeout})`, async () => {
    vi.useFakeTimers();
    api.deployment.create.mutate.mockResolvedValue(view({ status: 'pending', imageDigest: null }));
    completes = false;
    played = [{ type: 'status', status: 'building' }];
    const running = cliError(create.run({ ...createArgs, timeout: 5 }, ctx));
    await vi.advanceTimersByTimeAsync(6000);
    const error = await running;
    expect(error.exitCode).toBe(EXIT.timeout);
    expect(error.message).toBe(
      `Still deploying after 5 s; follow it with: rise d s secret-app ${ID} --follow`,
    );
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    expect(api.deployment.get.query).not.toHaveBeenCalled();
  });

  it('names no phase for statuses past the build', () => {
    expect(serverBuildPhase('app', 'deploying')).toBeNull();
    expect(serverBuildPhase('app', 'cancelling')).toBe('Cancelling the build...');
  });
});
