import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { TEST_SUBNET_POOL } from '../../../../test/docker-networks';
import { createUser, type TestUser, userCaller } from '../../../../test/fixtures';
import { buildTestAppImage, TEST_APP_PORT } from '../../../../test/images';
import { DockerRuntime } from '../../runtime/docker/docker-runtime';
import type { ExecSession } from '../../runtime/types';
import { newDeploymentId } from '../deployments/deployment-id';
import { openExecSession } from './exec.service';

// `rise exec --process worker --instance 1`: the exec session opens in the instance named, on real
// Docker, and one that does not run is refused with the instances that do. Audited with the instance.

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
const runtime = new DockerRuntime({
  docker,
  instance: `test-${runId}`,
  network: `rise-test-${runId}`,
  upstreamMode: 'network',
  extraLabels: { 'rise.test': runId },
  subnetPool: TEST_SUBNET_POOL,
});
const project = `ex${runId}`;
const deploymentId = newDeploymentId();
let owner: TestUser;

async function output(session: ExecSession) {
  let stdout = '';
  session.onOutput((stream, data) => {
    if (stream === 'stdout') stdout += data.toString();
  });
  const code = await session.exitCode;
  return { stdout, code };
}

const execIn = (instance: { process?: string; replica?: number }, cmd: string[]) =>
  openExecSession(userCaller(owner), { project, cmd, tty: false, ...instance }, 'cli', {
    runtimeFor: () => runtime,
  });

beforeAll(async () => {
  const image = await buildTestAppImage({ tag: 'rise-test-app:v1', version: 'v1' });
  owner = await createUser();
  const row = await getDb().project.create({ data: { name: project, ownerUserId: owner.id } });
  await getDb().deployment.create({
    data: { id: deploymentId, projectId: row.id, status: 'healthy', image, healthyAt: new Date(), slot: 'a' },
  });
  await getDb().project.update({
    where: { id: row.id },
    data: { activeDeploymentId: deploymentId, desiredState: 'running' },
  });
  const spec = {
    project,
    deploymentId,
    slot: 'a' as const,
    image,
    port: TEST_APP_PORT,
    env: {},
    cpuLimit: null,
    memoryLimitMb: null,
    hostPort: null,
  };
  await runtime.start(spec);
  await runtime.start({
    ...spec,
    process: 'worker',
    replicas: 2,
    command: ['/bin/busybox', 'sh', '-c', 'exec /bin/busybox sleep 3600'],
  });
}, 120_000);

afterAll(async () => {
  await runtime.remove(project, deploymentId, { graceMs: 0 }).catch(() => undefined);
  await runtime.deleteProject?.(project).catch(() => undefined);
}, 60_000);

describe('exec in one instance', () => {
  it('runs in the process and replica named, each its own container', async () => {
    const hostnameOf = async (instance: { process?: string; replica?: number }) => {
      const { session, ended } = await execIn(instance, ['/bin/busybox', 'hostname']);
      const { stdout, code } = await output(session);
      expect(code).toBe(0);
      expect(await ended).toBe(0);
      return stdout.trim();
    };
    const web = await hostnameOf({});
    const worker0 = await hostnameOf({ process: 'worker' });
    const worker1 = await hostnameOf({ process: 'worker', replica: 1 });
    expect(new Set([web, worker0, worker1]).size).toBe(3);
    expect(await hostnameOf({ replica: 0 })).toBe(web);
    // The worker's container runs its own command (under Docker's init), not the web server.
    const { session } = await execIn({ process: 'worker', replica: 1 }, [
      '/bin/busybox',
      'cat',
      '/proc/1/cmdline',
    ]);
    expect((await output(session)).stdout).toContain('exec /bin/busybox sleep 3600');
  });

  it('refuses an instance that does not exist, naming those that run', async () => {
    await expect(execIn({ process: 'worker', replica: 2 }, ['true'])).rejects.toThrow(
      `'${project}' has no instance worker #2 in deployment ${deploymentId}. Running: web #0, worker #0, worker #1 (see rise ps ${project}).`,
    );
    await expect(execIn({ process: 'mailer' }, ['true'])).rejects.toThrow(`has no instance mailer #0`);
  });

  it('audits which instance the command ran in', async () => {
    const events = await getDb().auditEvent.findMany({
      where: { targetName: project, action: 'project.exec' },
      orderBy: { createdAt: 'asc' },
    });
    expect(events.map((event) => event.details)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ command: '/bin/busybox hostname', process: 'worker', replica: 1 }),
        expect.objectContaining({
          command: '/bin/busybox cat /proc/1/cmdline',
          process: 'worker',
          replica: 1,
        }),
      ]),
    );
    expect(
      events.filter((event) => (event.details as { process?: string }).process === undefined),
    ).toHaveLength(1);
  });
});
