import { accessSync, closeSync, constants, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { type SupervisedProcess, startProcess, stopProcess } from './supervisor';

/** The full path of `name` on PATH, or null. */
export function findExecutable(name: string, path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this directory
    }
  }
  return null;
}

/** Caddy's own log level under `npm start`: warnings and errors only (health checks log at info). */
export const CADDY_LOG_LEVEL = 'WARN';

/** The config `npm start` gives Caddy: its admin API on 127.0.0.1 and its log level; no apps yet. */
export function localCaddyConfig(adminPort: number): object {
  return {
    admin: { listen: `127.0.0.1:${adminPort}` },
    logging: { logs: { default: { level: CADDY_LOG_LEVEL } } },
  };
}

/**
 * Runs Caddy for `npm start`: its admin API on 127.0.0.1, with its own config and data dirs under
 * `<dataDir>/caddy` and its output in `<dataDir>/caddy/caddy.log`. Rise's worker creates the server
 * and routes (the worker never replaces `logging`). A first start begins from the admin-only config;
 * a restart (`resume`) runs `caddy run --resume`, which loads the autosave Caddy writes after every
 * admin API change, so routes serve at once rather than at the worker's next reconcile.
 */
export async function startLocalCaddy(options: {
  binary: string;
  dataDir: string;
  adminPort: number;
  resume?: boolean;
}): Promise<SupervisedProcess & { logFile: string }> {
  const root = join(options.dataDir, 'caddy');
  mkdirSync(root, { recursive: true });
  const configFile = join(root, 'caddy.json');
  writeFileSync(configFile, JSON.stringify(localCaddyConfig(options.adminPort)));
  const logFile = join(root, 'caddy.log');
  const log = openSync(logFile, 'a');
  const args = ['run', '--config', configFile, ...(options.resume ? ['--resume'] : [])];
  const caddy = startProcess('caddy', options.binary, args, {
    env: { ...process.env, XDG_CONFIG_HOME: join(root, 'config'), XDG_DATA_HOME: join(root, 'data') },
    output: log,
  });
  closeSync(log);
  const failed = async (reason: string) => {
    await stopProcess(caddy, 2000);
    const tail = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-10).join('\n');
    return new Error(`${reason}; the end of ${logFile}:\n${tail}`);
  };
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (caddy.child.exitCode !== null) throw await failed(`caddy exited with code ${caddy.child.exitCode}`);
    const up = await fetch(`http://127.0.0.1:${options.adminPort}/config/`, {
      signal: AbortSignal.timeout(2000),
    }).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { ...caddy, logFile };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw await failed('caddy did not answer on its admin API within 15 s');
}
