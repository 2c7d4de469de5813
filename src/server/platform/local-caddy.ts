import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { type SupervisedProcess, startProcess } from './supervisor';

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

/**
 * Runs Caddy for `npm start`: only its admin API on 127.0.0.1, with its own config and data dirs
 * under `dataDir`. Rise's worker creates the server and routes; after a restart the reconciler
 * re-creates them, so the config is not resumed.
 */
export async function startLocalCaddy(options: {
  binary: string;
  dataDir: string;
  adminPort: number;
}): Promise<SupervisedProcess> {
  const root = join(options.dataDir, 'caddy');
  mkdirSync(root, { recursive: true });
  const configFile = join(root, 'caddy.json');
  writeFileSync(configFile, JSON.stringify({ admin: { listen: `127.0.0.1:${options.adminPort}` } }));
  const caddy = startProcess('caddy', options.binary, ['run', '--config', configFile], {
    env: { ...process.env, XDG_CONFIG_HOME: join(root, 'config'), XDG_DATA_HOME: join(root, 'data') },
  });
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (caddy.child.exitCode !== null) throw new Error(`caddy exited with code ${caddy.child.exitCode}`);
    const up = await fetch(`http://127.0.0.1:${options.adminPort}/config/`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return caddy;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('caddy did not answer on its admin API within 15 s');
}
