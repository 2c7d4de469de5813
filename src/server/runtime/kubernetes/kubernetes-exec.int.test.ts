import { randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeExec, FakeKubernetesApi } from '../../../../test/fake-kubernetes-api';
import type { ExecSession, HealthCheck, InstanceSpec } from '../types';
import { KubernetesRuntime } from './kubernetes-runtime';

// `exec` on Kubernetes against the fake API server's pods/exec WebSocket: the real client
// (@kubernetes/client-node's Exec) speaks the channel protocol to it; the fake runs scripted commands.

const runId = randomBytes(3).toString('hex');
const check: HealthCheck = { path: '/health', timeoutMs: 1_000, intervalMs: 25, attempts: 200 };
const APP = `registry.example.com/apps/web@sha256:${'d'.repeat(64)}`;
const ID = '20261203-0400-aaaa';

const spec = (overrides: Partial<InstanceSpec> = {}): InstanceSpec => ({
  project: 'shell',
  deploymentId: ID,
  slot: 'a',
  image: APP,
  port: 8080,
  env: {},
  cpuLimit: null,
  memoryLimitMb: null,
  hostPort: null,
  healthPath: '/health',
  ...overrides,
});

/** The commands the fake's pods know. */
function script(session: FakeExec): void {
  const [program, ...args] = session.command;
  if (program === 'cat') {
    session.onStdin((data) => session.stdout(data));
    session.onStdinEnd(() => session.exit(0));
  } else if (program === 'sh' && args[0] === '-c') {
    session.stdout(`ran in ${session.pod.metadata.name}\n`);
    session.stderr('to stderr\n');
    session.exit(Number(/exit (\d+)/.exec(args[1] ?? '')?.[1] ?? 0));
  } else if (program === 'bash' && session.tty) {
    session.onResize(({ width, height }) => session.stdout(`size ${width}x${height}\r\n`));
    session.onStdin((data) => {
      if (data.toString().includes('exit')) session.exit(0);
    });
  } else if (program === 'sleep') {
    // Runs until the client goes.
  } else {
    session.fail(`exec: "${program}": executable file not found in $PATH`);
  }
}

function collect(session: ExecSession) {
  const output: { stdout: string; stderr: string } = { stdout: '', stderr: '' };
  session.onOutput((stream, data) => {
    output[stream] += data.toString();
  });
  return output;
}

describe('exec on Kubernetes (fake API server, pods/exec over a WebSocket)', () => {
  let fake: FakeKubernetesApi;
  let runtime: KubernetesRuntime;

  beforeAll(async () => {
    fake = await FakeKubernetesApi.start({ token: `token-${runId}`, exec: script });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions(fake.kubeConfigOptions());
    runtime = new KubernetesRuntime({ kubeConfig, instance: 'prod', extraLabels: { 'rise.test': runId } });
    const web = spec({ replicas: 2 });
    const worker = spec({ process: 'worker', command: ['node', 'worker.js'] });
    await runtime.start(web);
    await runtime.start(worker);
    expect(await runtime.waitHealthy(web, check)).toEqual({ healthy: true });
    expect(await runtime.waitHealthy(worker, check)).toEqual({ healthy: true });
  });

  afterAll(async () => {
    await fake?.stop();
    expect(fake.rejections).toEqual([]);
  });

  const podNames = (process: string) =>
    fake
      .list('pods', 'rise-shell', { 'rise.dev/process': process })
      .map((pod) => pod.metadata.name)
      .sort();

  it('streams stdin to the command and its output back; ending input ends it with exit code 0', async () => {
    const session = await runtime.exec('shell', ID, { cmd: ['cat'], tty: false });
    const output = collect(session);
    session.write(Buffer.from('hello '));
    session.write(Buffer.from('kubernetes\n'));
    await fake.waitFor(() => output.stdout === 'hello kubernetes\n');
    session.endInput();
    expect(await session.exitCode).toBe(0);
    expect(output).toEqual({ stdout: 'hello kubernetes\n', stderr: '' });
    expect(fake.execs.at(-1)).toMatchObject({
      namespace: 'rise-shell',
      pod: podNames('web')[0],
      command: ['cat'],
      tty: false,
      protocol: 'v5.channel.k8s.io',
    });
  });

  it("returns the command's exit code from the status channel, stdout and stderr apart, in the instance asked for", async () => {
    const session = await runtime.exec('shell', ID, {
      cmd: ['sh', '-c', 'exit 3'],
      tty: false,
      instance: { process: 'worker', replica: 0 },
    });
    const output = collect(session);
    expect(await session.exitCode).toBe(3);
    expect(output).toEqual({ stdout: `ran in ${podNames('worker')[0]}\n`, stderr: 'to stderr\n' });

    const second = await runtime.exec('shell', ID, {
      cmd: ['sh', '-c', 'true'],
      tty: false,
      instance: { process: 'web', replica: 1 },
    });
    const secondOutput = collect(second);
    expect(await second.exitCode).toBe(0);
    expect(secondOutput.stdout).toBe(`ran in ${podNames('web')[1]}\n`);
  });

  it('tells a command that cannot run on stderr with exit code 126', async () => {
    const session = await runtime.exec('shell', ID, { cmd: ['nope'], tty: false });
    const output = collect(session);
    expect(await session.exitCode).toBe(126);
    expect(output.stderr).toBe('exec: "nope": executable file not found in $PATH\n');
  });

  it('runs with a terminal: the initial size and resizes reach the command on the resize channel', async () => {
    const session = await runtime.exec('shell', ID, { cmd: ['bash'], tty: true, cols: 80, rows: 24 });
    const output = collect(session);
    await fake.waitFor(() => output.stdout.includes('size 80x24'));
    await session.resize(120, 40);
    await fake.waitFor(() => output.stdout.includes('size 120x40'));
    session.write(Buffer.from('exit\r'));
    expect(await session.exitCode).toBe(0);
    expect(output.stderr).toBe('');
    expect(fake.execs.at(-1)).toMatchObject({ command: ['bash'], tty: true });
  });

  it('closing the session from Rise ends it without an exit code (-1)', async () => {
    const session = await runtime.exec('shell', ID, { cmd: ['sleep', '1000'], tty: false });
    session.close();
    expect(await session.exitCode).toBe(-1);
  });

  it('refuses an instance that does not exist', async () => {
    await expect(
      runtime.exec('shell', ID, { cmd: ['cat'], tty: false, instance: { process: 'worker', replica: 4 } }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      runtime.exec('shell', '20261203-0400-none', { cmd: ['cat'], tty: false }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('refuses a pod whose container does not run yet (412)', async () => {
    fake.options.readyAfterMs = 10_000;
    try {
      const pending = spec({ deploymentId: '20261203-0400-pend', slot: 'b' });
      await runtime.start(pending);
      await fake.waitFor(
        () => fake.list('pods', 'rise-shell', { 'rise.dev/deployment': pending.deploymentId }).length === 1,
      );
      await expect(
        runtime.exec('shell', pending.deploymentId, { cmd: ['cat'], tty: false }),
      ).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
        message: expect.stringMatching(/is Pending, not Running/),
      });
      await runtime.remove('shell', pending.deploymentId);
    } finally {
      fake.options.readyAfterMs = undefined;
    }
  });
});
