import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { issueToken } from '@/server/domains/tokens/token.service';
import { runCli } from './cli-runner';
import { apiAs, createUser, uniqueName, userCaller } from './fixtures';
import { startTrpcHttpServer } from './trpc-http-server';

// `rise ps` and `rise scale` for real: the built CLI against the real API over HTTP (bearer token,
// RBAC, PostgreSQL). Argument errors stop before the API; the API's refusals keep their message.

const home = mkdtempSync(join(tmpdir(), 'rise-cli-processes-home-'));
const appDir = mkdtempSync(join(tmpdir(), 'rise-cli-processes-app-'));
const project = uniqueName('ps');
let server: Awaited<ReturnType<typeof startTrpcHttpServer>>;
let token: string;

const rise = (args: string[], cwd?: string) =>
  runCli(args, { home, cwd, env: { RISE_URL: server.url, RISE_TOKEN: token } });

beforeAll(async () => {
  server = await startTrpcHttpServer();
  const user = await createUser();
  token = (await issueToken(null, { userId: user.id, name: 'processes test', expiresInDays: 1 })).token;
  const api = apiAs(userCaller(user));
  await api.project.create({ name: project });
  await api.project.setProcesses({
    project,
    web: { command: 'npm start' },
    processes: { worker: { command: 'node worker.js', replicas: 1 } },
  });
  writeFileSync(join(appDir, '.rise.toml'), `project = "${project}"\n`);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  for (const dir of [home, appDir]) rmSync(dir, { recursive: true, force: true });
});

describe('rise scale', () => {
  it('sets the counts and says they start with the next deploy of a project that is not running', async () => {
    const result = await rise(['scale', project, 'web=2', 'worker=3']);
    expect(result.stderr).toBe(
      `web: 1 → 2\nworker: 1 → 3\n'${project}' is not running: the next deploy starts these counts.\n`,
    );
    expect(result.code).toBe(0);
    const row = await getDb().project.findUniqueOrThrow({ where: { name: project } });
    expect(row.replicas).toBe(2);
    expect((row.processes as Record<string, { replicas: number }>).worker?.replicas).toBe(3);
  });

  it('refuses a bad argument before asking Rise, and an unknown process with the known ones', async () => {
    const bad = await rise(['scale', project, 'web=lots']);
    expect(bad.stderr).toContain('expected PROCESS=COUNT (e.g. web=3), got "web=lots"');
    expect(bad.code).toBe(2);
    const unknown = await rise(['scale', project, 'wrker=1']);
    expect(unknown.stderr).toContain(`'${project}' has no process "wrker"; its processes: web, worker.`);
    expect(unknown.code).toBe(2);
    const none = await rise(['scale', project]);
    expect(none.stderr).toContain("missing required argument 'counts'");
    expect(none.code).toBe(2);
  });
});

describe('rise ps', () => {
  it('lists the processes with their desired counts, the project from .rise.toml', async () => {
    const result = await rise(['ps'], appDir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^PROCESS\s+DESIRED\s+REPLICA\s+STATE\s+STARTED\n/);
    expect(result.stdout).toMatch(/\nweb\s+2\s+-\s+not running\s+-\n/);
    expect(result.stdout).toMatch(/\nworker\s+3\s+-\s+not running\s+-\n/);
    const json = await rise(['ps', project, '-o', 'json']);
    expect(JSON.parse(json.stdout)).toEqual([
      { name: 'web', command: 'npm start', replicas: 2, cpuLimit: null, memoryLimitMb: null, instances: [] },
      {
        name: 'worker',
        command: 'node worker.js',
        replicas: 3,
        cpuLimit: null,
        memoryLimitMb: null,
        instances: [],
      },
    ]);
  });

  it('names a project it cannot find, and asks for one outside a project directory', async () => {
    const missing = await rise(['ps', 'no-such-project-here']);
    expect(missing.stderr).toContain("Project 'no-such-project-here' not found.");
    expect(missing.code).toBe(4);
    const nowhere = await rise(['ps'], home);
    expect(nowhere.stderr).toContain(
      'Name the project (rise d c my-app) or run this where a .rise.toml names it.',
    );
    expect(nowhere.code).toBe(2);
  });
});
