/**
 * The Rise a bench measures: the real `npm start` (package.json's start script, whatever it runs) on a
 * fresh data dir and free ports, with embedded PostgreSQL, Caddy, the registry, the web server, the
 * worker and the apps' edge, as a user runs it. Its Docker objects carry RISE_INSTANCE_ID=bench-<run>
 * and are removed on stop; the images benches build carry rise.test=bench.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import pg from 'pg';
import { freePort } from '../../src/server/platform/free-port';
import { httpApi, signUpLocally } from '../../test/api-client';
import { removeInstanceResources } from '../../test/docker-networks';
import { claimPortBlock } from '../../test/port-blocks';
import { descendants, isAlive, killAll, repoRoot, startEnv } from '../../test/rise-start-process';
import { StopWaiting, waitFor } from '../../test/wait';

/** Project networks of benches take /24s from here, apart from the tests' pool (10.213.0.0/16). */
const BENCH_SUBNET_POOL = '10.215.0.0/16';

export type Role = 'web' | 'worker' | 'postgres' | 'caddy' | 'registry' | 'launcher';

export type Stack = {
  runId: string;
  instanceId: string;
  dataDir: string;
  webUrl: string;
  /** The apps' public port (`npm start`'s edge in front of Caddy). */
  appsPort: number;
  /** Caddy's own HTTP listener behind the edge, and its admin API. */
  caddyPort: number;
  caddyAdminUrl: string;
  cookie: string;
  api: ReturnType<typeof httpApi>;
  db: pg.Pool;
  docker: Dockerode;
  /** Process id of the start command, `npm start` (the root of the launcher chain). */
  rootPid: number;
  /** Every process `npm start` runs, by what it is. */
  processes: () => Map<Role, number[]>;
  output: () => string;
  /** A free loopback port for a bench's git server: RISE_OUTBOUND_ALLOW lets server builds clone from it. */
  gitPort: number;
  /** Images built for this run's projects, removed on stop. */
  images: Set<string>;
  stop: () => Promise<void>;
};

function readProcFile(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

const readProc = (pid: number, file: string) => readProcFile(`/proc/${pid}/${file}`);

/** What a process of `npm start` is, by its command name and line; null: look at its parent. */
function roleOf(pid: number): Role | null {
  const comm = (readProc(pid, 'comm') ?? '').trim();
  const command = (readProc(pid, 'cmdline') ?? '').split('\0').join(' ');
  if (comm === 'postgres' || /\/postgres\b/.test(command.split(' ')[0] ?? '')) return 'postgres';
  if (comm === 'caddy') return 'caddy';
  if (comm.startsWith('docker-registry')) return 'registry';
  if (comm.startsWith('next-server') || /\bnext(\/dist\/bin\/next)? (start|dev)\b/.test(command))
    return 'web';
  if (/\bworker\b/.test(command)) return 'worker';
  return null;
}

export function parentOf(pid: number): number {
  const stat = readProc(pid, 'stat');
  return stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : 0;
}

/** The processes among `pids` holding a TCP socket that listens on `port`. */
export function listenersOn(port: number, pids: number[]): number[] {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (readProcFile(table) ?? '').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1] ?? '';
      // State 0A is LISTEN; the local port is the hex after the colon.
      if (fields[3] === '0A' && Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port) {
        inodes.add(`socket:[${fields[9]}]`);
      }
    }
  }
  return pids.filter((pid) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try {
          return inodes.has(readlinkSync(`/proc/${pid}/fd/${fd}`));
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  });
}

/**
 * The processes under `rootPid` by role; a child belongs to its nearest ancestor with a role. The web
 * server is whatever listens on `webPort` (whatever its name), else a process named like Next's.
 */
export function processRoles(rootPid: number, webPort?: number): Map<Role, number[]> {
  const roles = new Map<Role, number[]>();
  const all = [rootPid, ...descendants(rootPid)];
  const web = new Set(webPort ? listenersOn(webPort, all) : []);
  for (const pid of all) {
    let role: Role | null = null;
    for (let current = pid; current && current !== 1 && !role; current = parentOf(current)) {
      role = web.has(current) ? 'web' : roleOf(current);
      if (current === rootPid) break;
    }
    const key = role ?? 'launcher';
    roles.set(key, [...(roles.get(key) ?? []), pid]);
  }
  return roles;
}

/** Resident set size of `pid` in bytes (0 when it is gone). */
export function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readProc(pid, 'status') ?? '');
  return match ? Number(match[1]) * 1024 : 0;
}

/** Proportional set size of `pid` in bytes: shared pages split among the processes sharing them. */
export function pssBytes(pid: number): number {
  const match = /^Pss:\s+(\d+) kB/m.exec(readProc(pid, 'smaps_rollup') ?? '');
  return match ? Number(match[1]) * 1024 : 0;
}

/** The command line of `pid`, as `ps` shows it. */
export function commandOf(pid: number): string {
  return (readProc(pid, 'cmdline') ?? '').split('\0').join(' ').trim();
}

/** User + system CPU time of `pid` in clock ticks (1/100 s on Linux). */
export function cpuTicks(pid: number): number {
  const stat = readProc(pid, 'stat');
  if (!stat) return 0;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function environOf(pid: number): Record<string, string> {
  const entries = (readProc(pid, 'environ') ?? '').split('\0').filter(Boolean);
  return Object.fromEntries(
    entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
}

export async function startStack(log: (line: string) => void, command = ['npm', 'start']): Promise<Stack> {
  const runId = randomBytes(3).toString('hex');
  const instanceId = `bench-${runId}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rise-bench-'));
  const [port, appsPort, registryPort, postgresPort, gitPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const slots = await claimPortBlock();
  const webUrl = `http://127.0.0.1:${port}`;
  const env = startEnv({
    RISE_DATA_DIR: dataDir,
    PORT: String(port),
    RISE_URL: webUrl,
    RISE_PROXY_HTTP_PORT: String(appsPort),
    RISE_REGISTRY_HOST: `127.0.0.1:${registryPort}`,
    RISE_EMBEDDED_POSTGRES_PORT: String(postgresPort),
    RISE_DOCKER_NETWORK: `rise-${instanceId}`,
    RISE_INSTANCE_ID: instanceId,
    RISE_DOCKER_SUBNET_POOL: BENCH_SUBNET_POOL,
    RISE_APP_PORT_RANGE: slots.range,
    RISE_OUTBOUND_ALLOW: `127.0.0.1:${gitPort}`,
  });
  log(`starting \`${command.join(' ')}\` (data ${dataDir}, web ${webUrl}, apps port ${appsPort})`);
  const child: ChildProcess = spawn(command[0] as string, command.slice(1), {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const rootPid = child.pid as number;
  const docker = new Dockerode();
  let db: pg.Pool | null = null;
  const images = new Set<string>();

  const stop = async () => {
    await db?.end().catch(() => undefined);
    const pids = [rootPid, ...descendants(rootPid)];
    if (isAlive(rootPid)) {
      try {
        process.kill(-rootPid, 'SIGINT');
      } catch {}
      await waitFor(() => !isAlive(rootPid), {
        description: 'npm start to exit after SIGINT',
        timeoutMs: 60_000,
      }).catch(() => undefined); // killAll below sends SIGTERM, then SIGKILL
    }
    await killAll(pids.filter(isAlive));
    await removeInstanceResources(docker, instanceId).catch((error) => log(`cleanup: ${String(error)}`));
    for (const image of images)
      await docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new StopWaiting(`npm start exited (${child.exitCode})`);
        return (await fetch(`${webUrl}/api/health`)).status === 200;
      },
      {
        description: 'the web server of npm start',
        timeoutMs: 600_000,
        intervalMs: 250,
        context: () => output,
      },
    );
    const worker = await waitFor(async () => processRoles(rootPid).get('worker')?.[0], {
      description: 'the worker',
      timeoutMs: 60_000,
      context: () => output,
    });
    const workerEnv = await waitFor(
      async () => {
        const vars = environOf(worker);
        return vars.RISE_PROXY_LISTEN_HTTP_PORT && vars.RISE_CADDY_ADMIN_URL ? vars : null;
      },
      { description: "the worker's Caddy settings", timeoutMs: 10_000 },
    );
    const secrets = JSON.parse(readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')) as {
      postgresPassword: string;
    };
    db = new pg.Pool({
      host: '127.0.0.1',
      port: postgresPort,
      user: 'rise',
      password: secrets.postgresPassword,
      database: 'rise',
      max: 4,
    });
    const cookie = await signUpLocally(webUrl, {
      email: 'bench@example.com',
      password: `bench ${randomBytes(8).toString('hex')}`,
      name: 'Bench',
    });
    const stack: Stack = {
      runId,
      instanceId,
      dataDir,
      webUrl,
      appsPort,
      caddyPort: Number(workerEnv.RISE_PROXY_LISTEN_HTTP_PORT),
      caddyAdminUrl: workerEnv.RISE_CADDY_ADMIN_URL as string,
      cookie,
      api: httpApi(webUrl, { cookie }),
      db,
      docker,
      rootPid,
      processes: () => processRoles(rootPid, port),
      output: () => output,
      gitPort,
      images,
      stop,
    };
    log(`Rise is up (pid ${rootPid}, Caddy on ${stack.caddyPort}, admin ${stack.caddyAdminUrl})`);
    return stack;
  } catch (error) {
    await stop();
    throw error;
  }
}
