import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { freePort } from '@/server/platform/free-port';
import { runRegistryProcess, type TestRegistry } from './registry';

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
  // JSON is YAML: the registry's parser reads it.
  const config = JSON.stringify({
    version: '0.1',
    log: { level: 'warn', accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: join(root, 'data') }, delete: { enabled: true } },
    http: { addr: `127.0.0.1:${port}` },
    auth: { htpasswd: { realm: 'rise-test-private', path: htpasswd } },
  });
  return runRegistryProcess({ root, port, config, name: 'private registry' });
}
