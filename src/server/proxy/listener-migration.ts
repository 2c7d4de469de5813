import { readFile, writeFile } from 'node:fs/promises';

/**
 * Linux's `net.ipv4.tcp_migrate_req` (5.14+), per network namespace. Caddy (2.6 to 2.8) opens a new
 * SO_REUSEPORT socket for each TCP listener at every config change and closes the old one; with this
 * setting at 0 (the default) the kernel resets the connections still queued on the old socket, so a
 * route write (a deploy's traffic switch) resets a few brand-new connections, whatever the client
 * (measured here: 16 to 17 of about 10,000 fresh-connection POSTs over 20 changes). At 1 the kernel
 * hands them to the new socket (measured: 0).
 */
export const MIGRATE_REQ_PATH = '/proc/sys/net/ipv4/tcp_migrate_req';

export type MigrationState = 'on' | 'turned-on' | 'off' | 'unsupported';

/**
 * Turns the setting on in this process's network namespace when it is off and this process may
 * (root); says what it found. Call it where Caddy's network namespace is this one (`npm start`);
 * in a container, set the sysctl on Caddy's container (compose: `sysctls`).
 */
export async function enableListenerMigration(path = MIGRATE_REQ_PATH): Promise<MigrationState> {
  let current: string;
  try {
    current = (await readFile(path, 'utf8')).trim();
  } catch {
    return 'unsupported';
  }
  if (current === '1') return 'on';
  try {
    await writeFile(path, '1\n');
    return 'turned-on';
  } catch {
    return 'off';
  }
}

/** What an operator reads when the setting is off and Rise could not turn it on. */
export const MIGRATION_OFF_HINT =
  'net.ipv4.tcp_migrate_req is 0: each route change in Caddy (e.g. a deploy) may reset a few new connections to apps. As root: sysctl -w net.ipv4.tcp_migrate_req=1 (and add it to /etc/sysctl.d/).';
