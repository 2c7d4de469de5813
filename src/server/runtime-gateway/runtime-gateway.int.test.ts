import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SUBNET_POOL } from '../../../test/docker-networks';
import { buildTestAppImage, TEST_APP_PORT } from '../../../test/images';
import { listProjectProcesses } from '../domains/processes/process.service';
import { DockerRuntime } from '../runtime/docker/docker-runtime';
import type { ExecSession, InstanceRef, LogLine, Runtime } from '../runtime/types';
import { throughRuntimeGateway } from './gateway-runtime';
import { startRuntimeGateway } from './gateway-server';
import { runtimeGatewayToken } from './gateway-token';

// The compose stack's web server has no Docker socket: it reads app output and runs commands in apps
// through the worker's runtime gateway, a unix socket in a volume both mount. Here a real gateway serves
// a real Docker runtime, and a runtime that has no engine of its own goes through it.

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
const project = `gw${runId}`;
const deploymentId = `d-${runId}`;
const dir = mkdtempSync(join(tmpdir(), 'rise-gateway-'));
const socketPath = join(dir, 'gateway.sock');
const token = runtimeGatewayToken('a test secret of at least thirty-two characters');
const engine = new DockerRuntime({
  docker,
  instance: `test-${runId}`,
  network: `rise-test-${runId}`,
  upstreamMode: 'network',
  extraLabels: { 'rise.test': runId },
  subnetPool: TEST_SUBNET_POOL,
});
// What the web server holds: a runtime whose engine is unreachable, so only the gateway can answer.
const unreachable = new DockerRuntime({
  docker: new Dockerode({ socketPath: join(dir, 'no-docker-here.sock') }),
  instance: `test-${runId}`,
  network: `rise-test-${runId}`,
  upstreamMode: 'network',
});
let gateway: { stop(): Promise<void> };
let web: Runtime;

async function run(session: ExecSession, input?: string) {
  const output = { stdout: '', stderr: '' };
  session.onOutput((stream, data) => {
    output[stream] += data.toString();
  });
  if (input !== undefined) {
    session.write(Buffer.from(input));
    session.endInput();
  }
  const code = await session.exitCode;
  return { ...output, code };
}

beforeAll(async () => {
  const image = await buildTestAppImage({ tag: 'rise-test-app:v1', version: 'v1' });
  const spec = {
    project,
    deploymentId,
    slot: 'a' as const,
    image,
    port: TEST_APP_PORT,
    env: { MARKER: `marker-${runId}` },
    cpuLimit: null,
    memoryLimitMb: null,
    hostPort: null,
  };
  await engine.start(spec);
  // A worker process of the same deployment, two replicas: no route, its own command.
  await engine.start({
    ...spec,
    process: 'worker',
    replicas: 2,
    command: ['/bin/busybox', 'sh', '-c', 'echo worker up; exec /bin/busybox sleep 3600'],
  });
  gateway = await startRuntimeGateway({ socketPath, token, runtimeFor: () => engine, log: () => {} });
  web = throughRuntimeGateway(unreachable, { socketPath, token });
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await engine.remove(project, deploymentId, { graceMs: 0 }).catch(() => undefined);
  await engine.deleteProject?.(project).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('the runtime gateway', () => {
  it('listens on a socket only its owner and group may use', () => {
    expect(statSync(socketPath).mode & 0o777).toBe(0o660);
  });

  it("runs a command in the app's container: its env, stdout and stderr apart, the exit code", async () => {
    const session = await web.exec!(project, deploymentId, {
      cmd: ['/bin/busybox', 'sh', '-c', 'echo $MARKER; echo oops >&2; exit 4'],
      tty: false,
    });
    const result = await run(session);
    expect(result).toMatchObject({ stdout: `marker-${runId}\n`, stderr: 'oops\n', code: 4 });
  });

  it("passes the client's input and its end of file", async () => {
    const input = `line ${runId}\n`.repeat(500);
    const result = await run(
      await web.exec!(project, deploymentId, { cmd: ['/bin/busybox', 'cat'], tty: false }),
      input,
    );
    expect(result.stdout).toBe(input);
    expect(result.code).toBe(0);
  });

  it("streams the app's output", async () => {
    // A line written to the app's own stdout (PID 1's) is app output, as Docker's logs see it.
    await run(
      await web.exec!(project, deploymentId, {
        cmd: ['/bin/busybox', 'sh', '-c', `echo logged-${runId} > /proc/1/fd/1`],
        tty: false,
      }),
    );
    const lines: LogLine[] = [];
    for await (const line of web.logs(project, deploymentId, { follow: false, tail: 50 })) lines.push(line);
    expect(lines.map((line) => line.line)).toContain(`logged-${runId}`);
    expect(lines.find((line) => line.line === `logged-${runId}`)?.time).toBeInstanceOf(Date);
  });

  it('runs a one-off container of the image (rise run): its output lines, then its result', async () => {
    const lines: LogLine[] = [];
    const result = await web.runOneOff(
      {
        kind: 'run',
        id: `run-${runId}`,
        project,
        deploymentId,
        image: 'rise-test-app:v1',
        port: TEST_APP_PORT,
        env: { MARKER: `one-off-${runId}` },
        cpuLimit: null,
        memoryLimitMb: null,
        command: ['/bin/busybox', 'sh', '-c', 'echo $MARKER; echo two >&2; exit 5'],
      },
      { timeoutMs: 60_000, onOutput: (line) => void lines.push(line) },
    );
    expect(result).toEqual({ outcome: 'exited', exitCode: 5 });
    expect(lines.map(({ stream, line }) => `${stream}:${line}`).sort()).toEqual([
      `stderr:two`,
      `stdout:one-off-${runId}`,
    ]);
  }, 60_000);

  it("lists the project's instances, one per replica of each process, with their dates", async () => {
    const statuses = await web.list({ project });
    const seen = statuses
      .map((status) => `${status.process ?? 'web'}#${status.replica ?? 0}:${status.state}`)
      .sort();
    expect(seen).toEqual(['web#0:running', 'worker#0:running', 'worker#1:running']);
    for (const status of statuses) {
      expect(status.deploymentId).toBe(deploymentId);
      expect(status.startedAt).toBeInstanceOf(Date);
    }
    expect(await web.list({ project: `other${runId}` })).toEqual([]);
  });

  it('gives project.processes the instances of each process (the compose web server has no Docker)', async () => {
    const { processes } = await listProjectProcesses(web, {
      id: 'unused',
      name: project,
      ownerTeamId: null,
      activeDeploymentId: deploymentId,
      replicas: 1,
      startCommand: [],
      cpuLimit: null,
      memoryLimitMb: null,
      processes: {
        worker: {
          command: ['/bin/busybox', 'sleep', '3600'],
          replicas: 2,
          cpuLimit: null,
          memoryLimitMb: null,
        },
      },
    });
    expect(
      processes.map(({ name, replicas, instances }) => ({
        name,
        replicas,
        instances: instances.map(({ replica, state }) => ({ replica, state })),
      })),
    ).toEqual([
      { name: 'web', replicas: 1, instances: [{ replica: 0, state: 'running' }] },
      {
        name: 'worker',
        replicas: 2,
        instances: [
          { replica: 0, state: 'running' },
          { replica: 1, state: 'running' },
        ],
      },
    ]);
  });

  it('runs a command in the instance named, and reads that instance’s output', async () => {
    const hostname = async (instance?: InstanceRef) =>
      (
        await run(
          await web.exec!(project, deploymentId, { cmd: ['/bin/busybox', 'hostname'], tty: false, instance }),
        )
      ).stdout;
    const names = new Set([
      await hostname(),
      await hostname({ process: 'worker', replica: 0 }),
      await hostname({ process: 'worker', replica: 1 }),
    ]);
    expect(names.size).toBe(3);
    const second = { process: 'worker', replica: 1 };
    await run(
      await web.exec!(project, deploymentId, {
        cmd: ['/bin/busybox', 'sh', '-c', `echo second-${runId} > /proc/1/fd/1`],
        tty: false,
        instance: second,
      }),
    );
    const linesOf = async (instance: InstanceRef) => {
      const lines: string[] = [];
      for await (const line of web.logs(project, deploymentId, { follow: false, tail: 50, instance }))
        lines.push(line.line);
      return lines;
    };
    expect(await linesOf(second)).toEqual(['worker up', `second-${runId}`]);
    expect(await linesOf({ process: 'worker', replica: 0 })).toEqual(['worker up']);
  });

  it('refuses an instance the gateway cannot name, with the rule', async () => {
    await expect(
      web.exec!(project, deploymentId, {
        cmd: ['true'],
        tty: false,
        instance: { process: 'Not_A_Process', replica: 0 },
      }),
    ).rejects.toThrow(/expected a process name of lowercase letters/);
    await expect(
      web.exec!(project, deploymentId, {
        cmd: ['true'],
        tty: false,
        instance: { process: 'worker', replica: 5 },
      }),
    ).rejects.toThrow(/worker/);
  });

  it('names a missing instance, and refuses a caller without the token', async () => {
    await expect(web.exec!(project, 'no-such-deployment', { cmd: ['true'], tty: false })).rejects.toThrow(
      /no-such-deployment/,
    );
    const stranger = throughRuntimeGateway(unreachable, { socketPath, token: 'not-the-token' });
    await expect(stranger.exec!(project, deploymentId, { cmd: ['true'], tty: false })).rejects.toThrow(
      /bad token/,
    );
    const read = async () => {
      for await (const _ of stranger.logs(project, deploymentId, { follow: false, tail: 1 })) return;
    };
    await expect(read()).rejects.toThrow(/bad token/);
    await expect(stranger.list({ project })).rejects.toThrow(/bad token/);
  });
});
