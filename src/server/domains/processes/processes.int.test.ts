import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { FakeRuntime } from '@/server/runtime/fake';
import { apiAs, createUser, rejectionOf, uniqueName, userCaller } from '../../../../test/fixtures';
import { newDeploymentId } from '../deployments/deployment-id';
import { listProjectProcesses } from './process.service';

// The processes of a project from the user's side, against the real PostgreSQL and pg-boss queue:
// `rise d c` syncing `[processes]` (project.setProcesses), `rise ps` (project.processes) and
// `rise scale` (project.scale: one transaction with the project-scale job, audited).

async function newProject() {
  const api = apiAs(userCaller(await createUser()));
  const project = uniqueName('procs');
  await api.project.create({ name: project });
  const row = await getDb().project.findUniqueOrThrow({ where: { name: project } });
  return { api, project, projectId: row.id };
}

/** The project runs deployment `id` (as the engine leaves a healthy one). */
async function makeRunning(projectId: string) {
  const deployment = await getDb().deployment.create({
    data: {
      id: newDeploymentId(),
      projectId,
      status: 'healthy',
      image: 'rise-test/app:v1',
      imageDigest: `sha256:${'d'.repeat(64)}`,
      healthyAt: new Date(),
      slot: 'a',
    },
  });
  await getDb().project.update({
    where: { id: projectId },
    data: { activeDeploymentId: deployment.id, desiredState: 'running' },
  });
  return deployment;
}

async function scaleJobsFor(projectId: string) {
  // pg-boss creates its tables with the first job sent in this database.
  const [table] = await getDb().$queryRaw<
    { name: string | null }[]
  >`SELECT to_regclass('pgboss.job')::text AS name`;
  if (!table?.name) return 0;
  const rows = await getDb().$queryRaw<
    { count: bigint }[]
  >`SELECT count(*) FROM pgboss.job WHERE name = 'project-scale' AND data->>'projectId' = ${projectId}`;
  return Number(rows[0]!.count);
}

const auditOf = (projectId: string, action: string) =>
  getDb().auditEvent.findMany({ where: { projectId, action }, orderBy: { createdAt: 'asc' } });

describe('project.setProcesses', () => {
  it('stores the processes as argument vectors and web as the project’s start command and replicas', async () => {
    const { api, project, projectId } = await newProject();
    const result = await api.project.setProcesses({
      project,
      web: { command: 'npm start', replicas: 2 },
      processes: {
        worker: { command: 'node worker.js', replicas: 3, memoryLimitMb: 256 },
        clock: { command: ['node', 'clock.js'], cpuLimit: 0.5 },
      },
      release: 'npm run migrate',
    });
    expect(result).toEqual({
      processes: [
        { name: 'web', command: 'npm start', replicas: 2 },
        { name: 'worker', command: 'node worker.js', replicas: 3 },
        { name: 'clock', command: '["node","clock.js"]', replicas: 1 },
      ],
      removed: [],
    });
    const row = await getDb().project.findUniqueOrThrow({ where: { id: projectId } });
    expect(row).toMatchObject({
      startCommand: ['/bin/sh', '-c', 'npm start'],
      releaseCommand: ['/bin/sh', '-c', 'npm run migrate'],
      replicas: 2,
    });
    expect(row.processes).toEqual({
      worker: {
        command: ['/bin/sh', '-c', 'node worker.js'],
        replicas: 3,
        cpuLimit: null,
        memoryLimitMb: 256,
      },
      clock: { command: ['node', 'clock.js'], replicas: 1, cpuLimit: 0.5, memoryLimitMb: null },
    });
    expect(await auditOf(projectId, 'project.processes.set')).toHaveLength(1);
  });

  it('removes processes no longer declared, keeps a scaled count the file does not set, leaves web alone', async () => {
    const { api, project, projectId } = await newProject();
    await api.project.setProcesses({
      project,
      web: { command: 'npm start' },
      processes: { worker: { command: 'node worker.js' }, mailer: { command: 'node mailer.js' } },
    });
    await api.project.scale({ project, counts: { worker: 4 } });
    const result = await api.project.setProcesses({
      project,
      processes: { worker: { command: 'node worker.js --fast' } },
    });
    expect(result.removed).toEqual(['mailer']);
    const row = await getDb().project.findUniqueOrThrow({ where: { id: projectId } });
    expect(row.processes).toEqual({
      worker: {
        command: ['/bin/sh', '-c', 'node worker.js --fast'],
        replicas: 4,
        cpuLimit: null,
        memoryLimitMb: null,
      },
    });
    expect(row.startCommand).toEqual(['/bin/sh', '-c', 'npm start']);
    expect(row.replicas).toBe(1);
  });

  it('refuses web among the processes and a bad process name, saying which', async () => {
    const { api, project } = await newProject();
    const web = await rejectionOf(
      api.project.setProcesses({ project, processes: { web: { command: 'x' } } }),
      TRPCError,
    );
    expect(web.code).toBe('BAD_REQUEST');
    expect(web.message).toContain('`web` is the project itself');
    const bad = await rejectionOf(
      api.project.setProcesses({ project, processes: { Worker: { command: 'x' } } }),
      TRPCError,
    );
    expect(bad.code).toBe('BAD_REQUEST');
    expect(bad.message).toContain('expected a process name of lowercase letters');
  });
});

describe('project.scale', () => {
  it('a stopped project: stores the counts and enqueues nothing; the next deploy starts them', async () => {
    const { api, project, projectId } = await newProject();
    await api.project.setProcesses({ project, processes: { worker: { command: 'node worker.js' } } });
    const result = await api.project.scale({ project, counts: { web: 3, worker: 2 } });
    expect(result).toEqual({
      processes: [
        { name: 'web', from: 1, to: 3 },
        { name: 'worker', from: 1, to: 2 },
      ],
      applying: false,
    });
    const row = await getDb().project.findUniqueOrThrow({ where: { id: projectId } });
    expect(row.replicas).toBe(3);
    expect((row.processes as Record<string, { replicas: number }>).worker?.replicas).toBe(2);
    expect(await scaleJobsFor(projectId)).toBe(0);
    const [audit] = await auditOf(projectId, 'project.scale');
    expect(audit?.details).toMatchObject({ applying: false, changes: result.processes });
  });

  it('a running project: enqueues the project-scale job in the same transaction', async () => {
    const { api, project, projectId } = await newProject();
    await makeRunning(projectId);
    const result = await api.project.scale({ project, counts: { web: 2 } });
    expect(result).toEqual({ processes: [{ name: 'web', from: 1, to: 2 }], applying: true });
    expect(await scaleJobsFor(projectId)).toBe(1);
  });

  it('refuses an unknown process naming the known ones, and web=0, changing nothing', async () => {
    const { api, project, projectId } = await newProject();
    await makeRunning(projectId);
    await api.project.setProcesses({ project, processes: { worker: { command: 'node worker.js' } } });
    const unknown = await rejectionOf(
      api.project.scale({ project, counts: { web: 2, wrker: 1 } }),
      TRPCError,
    );
    expect(unknown.code).toBe('BAD_REQUEST');
    expect(unknown.message).toBe(
      `'${project}' has no process "wrker"; its processes: web, worker. Declare processes in .rise.toml [processes] or a Procfile, then rise d c.`,
    );
    const zero = await rejectionOf(api.project.scale({ project, counts: { web: 0 } }), TRPCError);
    expect(zero.message).toBe(
      `web runs at least one instance while '${project}' runs; to stop it: rise d stop ${project}`,
    );
    const row = await getDb().project.findUniqueOrThrow({ where: { id: projectId } });
    expect(row.replicas).toBe(1);
    expect(await scaleJobsFor(projectId)).toBe(0);
    expect(await auditOf(projectId, 'project.scale')).toHaveLength(0);
  });

  it('project.update of the replicas (the settings form) applies them at once as well, never 0', async () => {
    const { api, project, projectId } = await newProject();
    await api.project.update({ project, replicas: 2 });
    expect(await scaleJobsFor(projectId)).toBe(0);
    await makeRunning(projectId);
    await api.project.update({ project, replicas: 3 });
    expect(await scaleJobsFor(projectId)).toBe(1);
    await api.project.update({ project, replicas: 3 });
    expect(await scaleJobsFor(projectId)).toBe(1);
    const zero = await rejectionOf(api.project.update({ project, replicas: 0 }), TRPCError);
    expect(zero.message).toContain('expected at least 1 web replica');
  });

  it('refuses counts out of range before anything', async () => {
    const { api, project } = await newProject();
    const error = await rejectionOf(api.project.scale({ project, counts: { web: 21 } }), TRPCError);
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('expected at most 20 replicas');
    const empty = await rejectionOf(api.project.scale({ project, counts: {} }), TRPCError);
    expect(empty.message).toContain('name at least one process to scale');
  });
});

describe('project.processes', () => {
  it('web first with its command, replicas and limits, then the processes; no deployment, no instances', async () => {
    const { api, project } = await newProject();
    await api.project.setProcesses({
      project,
      web: { command: 'npm start', memoryLimitMb: 512 },
      processes: { worker: { command: 'node worker.js', replicas: 2 }, clock: { command: 'node clock.js' } },
    });
    expect(await api.project.processes({ project })).toEqual({
      processes: [
        { name: 'web', command: 'npm start', replicas: 1, cpuLimit: null, memoryLimitMb: 512, instances: [] },
        {
          name: 'clock',
          command: 'node clock.js',
          replicas: 1,
          cpuLimit: null,
          memoryLimitMb: null,
          instances: [],
        },
        {
          name: 'worker',
          command: 'node worker.js',
          replicas: 2,
          cpuLimit: null,
          memoryLimitMb: null,
          instances: [],
        },
      ],
    });
  });

  it("the active deployment's instances by process and replica; other deployments' are left out", async () => {
    const { api, project, projectId } = await newProject();
    await api.project.setProcesses({
      project,
      processes: { worker: { command: 'node worker.js', replicas: 2 } },
    });
    const active = await makeRunning(projectId);
    const started = new Date('2026-12-03T04:00:00Z');
    const runtime = new FakeRuntime({ now: () => started });
    const spec = {
      project,
      deploymentId: active.id,
      slot: 'a' as const,
      image: 'rise-test/app:v1',
      port: 8080,
      env: {},
      cpuLimit: null,
      memoryLimitMb: null,
      hostPort: null,
    };
    await runtime.start(spec);
    await runtime.start({ ...spec, process: 'worker', replicas: 2, command: ['node', 'worker.js'] });
    // Still running, no longer declared (until the next deploy or scale stops it).
    await runtime.start({ ...spec, process: 'mailer', command: ['node', 'mailer.js'] });
    runtime.crash(project, active.id, 137, { process: 'worker', replica: 0 });
    // Another deployment's instance (an old version, a preview) is not the active one's.
    await runtime.start({ ...spec, deploymentId: newDeploymentId() });
    const row = await getDb().project.findUniqueOrThrow({ where: { id: projectId } });
    const listed = await listProjectProcesses(runtime, row);
    expect(listed.processes.map(({ name, replicas, instances }) => ({ name, replicas, instances }))).toEqual([
      {
        name: 'web',
        replicas: 1,
        instances: [{ replica: 0, state: 'running', startedAt: started.toISOString(), exitCode: null }],
      },
      {
        name: 'worker',
        replicas: 2,
        instances: [
          { replica: 0, state: 'exited', startedAt: started.toISOString(), exitCode: 137 },
          { replica: 1, state: 'running', startedAt: started.toISOString(), exitCode: null },
        ],
      },
      // Still running, no longer declared: shown until its instances go.
      {
        name: 'mailer',
        replicas: 0,
        instances: [{ replica: 0, state: 'running', startedAt: started.toISOString(), exitCode: null }],
      },
    ]);
  });

  it('says which runtime could not list the instances', async () => {
    const { project, projectId } = await newProject();
    await makeRunning(projectId);
    const runtime = new FakeRuntime();
    runtime.failNext('list', 'connect ENOENT /var/run/docker.sock');
    const row = await getDb().project.findUniqueOrThrow({ where: { id: projectId } });
    await expect(listProjectProcesses(runtime, row)).rejects.toThrow(
      `Could not list the instances of '${project}' from the fake runtime: connect ENOENT /var/run/docker.sock`,
    );
  });
});
