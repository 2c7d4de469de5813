import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@/server/platform/free-port';

export type TestRegistry = { host: string; output: () => string; stop: () => Promise<void> };

/** `auth.token` settings: Rise as the token service (the registry then answers /v2/ with 401). */
export type RegistryTokenAuth = { realm: string; service: string; issuer: string; rootCertBundle: string };

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
  const config = join(root, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      // Token rejection reasons are logged at info only.
      `log: { level: ${tokenAuth ? 'info' : 'warn'} }`,
      `storage: { filesystem: { rootdirectory: ${join(root, 'data')} }, delete: { enabled: true } }`,
      `http: { addr: "127.0.0.1:${port}" }`,
      ...(tokenAuth
        ? [
            `auth: { token: ${JSON.stringify({
              realm: tokenAuth.realm,
              service: tokenAuth.service,
              issuer: tokenAuth.issuer,
              rootcertbundle: tokenAuth.rootCertBundle,
            })} }`,
          ]
        : []),
    ].join('\n'),
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
  const deadline = Date.now() + 15_000;
  while (
    !(await fetch(`http://${host}/v2/`).then(
      (r) => r.ok || (tokenAuth !== undefined && r.status === 401),
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`registry did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    host,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
