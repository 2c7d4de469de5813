import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@/server/platform/free-port';
import { CaddyClient } from '@/server/proxy/caddy-client';
import type { CaddyProxyConfig } from '@/server/proxy/caddy-proxy';
import { StopWaiting, waitFor } from './wait';

export type TestCaddy = {
  /** `http://127.0.0.1:<adminPort>`, or `unix:///<dir>/admin.sock` with `adminSocket`. */
  adminUrl: string;
  /** The admin API's TCP port; null when it listens on a unix socket. */
  adminPort: number | null;
  /** Path of the admin API's unix socket, or null when it listens on TCP. */
  adminSocketPath: string | null;
  /** Free ports for Rise's server to listen on (127.0.0.1 only: pass `bindHost: '127.0.0.1'`). */
  httpPort: number;
  httpsPort: number;
  /** `$XDG_CONFIG_HOME/caddy/autosave.json`: rewritten on every config change Caddy applies. */
  autosavePath: string;
  /** Modification time of the autosave file in ms, or null when there is none yet. */
  autosaveMtime: () => number | null;
  /** Caddy's log lines so far (JSON lines on stderr). */
  output: () => string;
  /** The running Caddy's process id. */
  pid: () => number | undefined;
  /**
   * Kills Caddy and starts it again with the same directories and admin address.
   * Without `resume`, Caddy starts from the admin-only config file: every route is gone (and the
   * autosave is overwritten with that config) until Rise re-creates them. With `resume`, Caddy loads
   * `autosave.json`, i.e. the last config it had.
   */
  restart: (options?: { resume?: boolean }) => Promise<void>;
  stop: () => Promise<void>;
};

const CADDY = process.env.RISE_CADDY_BINARY ?? 'caddy';

/**
 * A real Caddy (`caddy run`) with only its admin API, on a free 127.0.0.1 port or (`adminSocket`) on
 * a unix socket in its temp dir, and its own XDG_CONFIG_HOME / XDG_DATA_HOME there; servers are added
 * through the admin API by tests.
 */
export async function startCaddy(options: { adminSocket?: boolean } = {}): Promise<TestCaddy> {
  const root = mkdtempSync(join(tmpdir(), 'rise-test-caddy-'));
  const adminPort = options.adminSocket ? null : await freePort();
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  const adminSocketPath = options.adminSocket ? join(root, 'admin.sock') : null;
  const adminUrl = adminSocketPath ? `unix://${adminSocketPath}` : `http://127.0.0.1:${adminPort}`;
  const listen = adminSocketPath ? `unix/${adminSocketPath}` : `127.0.0.1:${adminPort}`;
  const configFile = join(root, 'caddy.json');
  writeFileSync(configFile, JSON.stringify({ admin: { listen } }));
  const env = {
    ...process.env,
    HOME: root,
    XDG_CONFIG_HOME: join(root, 'config'),
    XDG_DATA_HOME: join(root, 'data'),
  };
  const autosavePath = join(root, 'config', 'caddy', 'autosave.json');
  let log = '';
  let child: ChildProcess | null = null;

  const start = async (resume: boolean) => {
    const args = ['run', '--config', configFile, ...(resume ? ['--resume'] : [])];
    const proc = spawn(CADDY, args, { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let spawnError: Error | null = null;
    proc.once('error', (error) => (spawnError = error));
    proc.stdout?.on('data', (chunk) => (log += chunk));
    proc.stderr?.on('data', (chunk) => (log += chunk));
    await waitFor(
      async () => {
        if (spawnError) throw new StopWaiting(`could not start ${CADDY}: ${(spawnError as Error).message}`);
        if (proc.exitCode !== null) throw new StopWaiting(`caddy exited early (${proc.exitCode}):\n${log}`);
        await new CaddyClient({ adminUrl, timeoutMs: 1000 }).getConfig();
        return true;
      },
      { description: "caddy's admin API", timeoutMs: 15_000, intervalMs: 50, context: () => log },
    );
  };

  const kill = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };

  await start(false);
  return {
    adminUrl,
    adminPort,
    adminSocketPath,
    httpPort,
    httpsPort,
    autosavePath,
    autosaveMtime: () => {
      try {
        return statSync(autosavePath).mtimeMs;
      } catch {
        return null;
      }
    },
    output: () => log,
    pid: () => child?.pid,
    restart: async (options = {}) => {
      await kill();
      await start(options.resume ?? false);
    },
    stop: async () => {
      await kill();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Settings of Rise's proxy on a test Caddy: plain HTTP on 127.0.0.1, Rise's web server on `authPort`. */
export function testCaddyProxyConfig(
  caddy: TestCaddy,
  authPort: number,
  extra: Partial<CaddyProxyConfig> = {},
): CaddyProxyConfig {
  return {
    adminUrl: caddy.adminUrl,
    httpPort: caddy.httpPort,
    httpsPort: caddy.httpsPort,
    tlsMode: 'off',
    riseUrl: `http://127.0.0.1:${authPort}`,
    authUpstream: `127.0.0.1:${authPort}`,
    bindHost: '127.0.0.1',
    ...extra,
  };
}
