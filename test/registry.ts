import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@/server/platform/free-port';
import { type RegistryTokenAuth, registryConfig, waitForRegistry } from '@/server/platform/local-registry';

export type { RegistryTokenAuth };

export type TestRegistry = {
  host: string;
  /** The temp dir holding its config.yml and its storage (data/). */
  root: string;
  output: () => string;
  stop: () => Promise<void>;
};

/**
 * The CNCF registry from Debian's `docker-registry` package on a free 127.0.0.1 port, storage in a temp
 * dir; anonymous unless `options.tokenAuth` is given.
 */
export async function startRegistry(
  options: { tokenAuth?: RegistryTokenAuth; port?: number } = {},
): Promise<TestRegistry> {
  const { tokenAuth } = options;
  const root = mkdtempSync(join(tmpdir(), 'rise-test-registry-'));
  const port = options.port ?? (await freePort());
  const config = registryConfig({
    listen: `127.0.0.1:${port}`,
    storageDir: join(root, 'data'),
    // Token rejection reasons are logged at info only.
    logLevel: tokenAuth ? 'info' : 'warn',
    tokenAuth,
  });
  return runRegistryProcess({ root, port, config, name: 'registry' });
}

/**
 * Runs `docker-registry serve` with `config` (written into `root`) on 127.0.0.1:`port` until it answers;
 * `stop` kills it and removes `root`.
 */
export async function runRegistryProcess(options: {
  root: string;
  port: number;
  config: string;
  name: string;
}): Promise<TestRegistry> {
  const { root, port, name } = options;
  const config = join(root, 'config.yml');
  writeFileSync(config, options.config);
  const child: ChildProcess = spawn(
    process.env.RISE_REGISTRY_BINARY ?? 'docker-registry',
    ['serve', config],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const host = `127.0.0.1:${port}`;
  await waitForRegistry(host, () => child.exitCode).catch((error) => {
    child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
    throw new Error(`${name} did not start: ${(error as Error).message}\n${output}`);
  });
  return {
    host,
    root,
    output: () => output,
    stop: async () => {
      // A child killed by a signal has exitCode null but a signalCode: it will not exit again.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
