import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { freePort } from '@/server/platform/free-port';
import { waitForRegistry } from '@/server/platform/local-registry';
import type { TestRegistry } from './registry';

/**
 * A private registry: the CNCF registry from Debian's `docker-registry` package on a free 127.0.0.1
 * port with htpasswd (Basic) auth for `users` (bcrypt, the only hash it reads), storage in a temp dir.
 */
export async function startHtpasswdRegistry(users: Record<string, string>): Promise<TestRegistry> {
  const root = mkdtempSync(join(tmpdir(), 'rise-test-private-registry-'));
  const port = await freePort();
  const htpasswd = join(root, 'htpasswd');
  writeFileSync(
    htpasswd,
    Object.entries(users)
      .map(([user, password]) => `${user}:${bcrypt.hashSync(password, 5)}\n`)
      .join(''),
  );
  const config = join(root, 'config.yml');
  // JSON is YAML: the registry's parser reads it.
  writeFileSync(
    config,
    JSON.stringify({
      version: '0.1',
      log: { level: 'warn', accesslog: { disabled: true } },
      storage: { filesystem: { rootdirectory: join(root, 'data') }, delete: { enabled: true } },
      http: { addr: `127.0.0.1:${port}` },
      auth: { htpasswd: { realm: 'rise-test-private', path: htpasswd } },
    }),
  );
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
    throw new Error(`private registry did not start: ${(error as Error).message}\n${output}`);
  });
  return {
    host,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
