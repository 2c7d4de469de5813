import { type ChildProcess, spawn } from 'node:child_process';
import { PassThrough, type Readable } from 'node:stream';
import pg from 'pg';
import { AppError } from '@/server/errors';

/**
 * Backing up and restoring Rise's own PostgreSQL database with pg_dump / pg_restore.
 * Programs get an argument array; the password only travels in the child's PGPASSWORD.
 */

export type PgToolOptions = {
  /** pg_dump program (RISE_PG_DUMP, passed in by the caller); default 'pg_dump' on PATH. */
  pgDump?: string;
  /** pg_restore program (RISE_PG_RESTORE, passed in by the caller); default 'pg_restore' on PATH. */
  pgRestore?: string;
  signal?: AbortSignal;
};

export type RestoreOptions = PgToolOptions & {
  /** Drop existing objects first (`--clean --if-exists`); needed to restore over a live database. */
  clean: boolean;
};

type Connection = {
  host: string;
  port: string;
  user: string;
  password: string;
  database: string;
  sslmode?: string;
};

/** Splits a postgres:// URL into libpq pieces; throws a message without the URL (it holds the password). */
export const parseDatabaseUrl = (databaseUrl: string): Connection => {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new AppError('BAD_REQUEST', 'Database URL is not a valid URL.');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new AppError(
      'BAD_REQUEST',
      `Database URL must use postgres:// or postgresql://, not ${url.protocol}//.`,
    );
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database || database.includes('=')) {
    throw new AppError('BAD_REQUEST', 'Database URL must name a database.');
  }
  return {
    host: decodeURIComponent(url.hostname.replace(/^\[(.*)\]$/, '$1')) || 'localhost',
    port: url.port || '5432',
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database,
    sslmode: url.searchParams.get('sslmode') ?? undefined,
  };
};

const connectionArgs = (c: Connection) => [
  '--host',
  c.host,
  '--port',
  c.port,
  ...(c.user ? ['--username', c.user] : []),
  '--no-password',
];

const childEnv = (c: Connection): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Nothing from the parent's libpq environment may redirect the tool to another server or account.
  for (const name of [
    'PGHOST',
    'PGHOSTADDR',
    'PGPORT',
    'PGUSER',
    'PGPASSWORD',
    'PGDATABASE',
    'PGSERVICE',
    'PGSSLMODE',
  ])
    delete env[name];
  delete env.DATABASE_URL;
  if (c.password) env.PGPASSWORD = c.password;
  if (c.sslmode) env.PGSSLMODE = c.sslmode;
  return env;
};

/** Starts pg_dump or pg_restore against `c`: options first, then the connection and the database. */
const spawnPgTool = (
  program: string,
  options: string[],
  c: Connection,
  stdio: ['ignore', 'pipe', 'pipe'] | ['pipe', 'ignore', 'pipe'],
  signal: AbortSignal | undefined,
) =>
  spawn(program, [...options, ...connectionArgs(c), '--dbname', c.database], {
    env: childEnv(c),
    stdio,
    signal,
  });

const pgDumpProgram = (options: PgToolOptions) => options.pgDump ?? 'pg_dump';
const pgRestoreProgram = (options: PgToolOptions) => options.pgRestore ?? 'pg_restore';

/** Keeps the last 8 KiB of a child's stderr for the error message. */
const captureStderr = (child: ChildProcess) => {
  let text = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    text = (text + chunk).slice(-8192);
  });
  return () => text.trim();
};

const toolError = (
  tool: string,
  stderr: string,
  exit: { code: number | null; signal: NodeJS.Signals | null },
) =>
  new AppError(
    'INTERNAL',
    `${tool} failed${exit.code !== null ? ` (exit code ${exit.code})` : exit.signal ? ` (${exit.signal})` : ''}: ${
      stderr || 'no error output'
    }`,
    { tool, exitCode: exit.code, signal: exit.signal, stderr },
  );

const spawnError = (tool: string, program: string, error: NodeJS.ErrnoException) =>
  error.name === 'AbortError'
    ? new AppError('INTERNAL', `${tool} was cancelled.`, { tool })
    : new AppError(
        'INTERNAL',
        error.code === 'ENOENT'
          ? `${tool} not found (${program}); install the PostgreSQL client or set ${tool === 'pg_dump' ? 'RISE_PG_DUMP' : 'RISE_PG_RESTORE'}.`
          : `${tool} could not be started: ${error.message}`,
        { tool, program },
      );

/**
 * Streams `pg_dump -Fc` of the database. The stream ends only when pg_dump exited 0; otherwise it is
 * destroyed with an AppError carrying pg_dump's message. Destroying the stream stops pg_dump.
 */
export function dumpDatabase(
  databaseUrl: string,
  options: PgToolOptions & { snapshot?: string } = {},
): Readable {
  const connection = parseDatabaseUrl(databaseUrl);
  const program = pgDumpProgram(options);
  const child = spawnPgTool(
    program,
    [
      '--format=custom',
      '--no-owner',
      '--no-privileges',
      ...(options.snapshot ? [`--snapshot=${options.snapshot}`] : []),
    ],
    connection,
    ['ignore', 'pipe', 'pipe'],
    options.signal,
  );
  const stderr = captureStderr(child);
  const output = new PassThrough();
  let failed = false;
  const fail = (error: Error) => {
    if (failed) return;
    failed = true;
    output.destroy(error);
  };

  child.stdout?.pipe(output, { end: false });
  child.on('error', (error) => fail(spawnError('pg_dump', program, error)));
  child.on('close', (code, signal) => {
    if (failed) return;
    if (code === 0) output.end();
    else fail(toolError('pg_dump', stderr(), { code, signal }));
  });
  output.on('close', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  });
  return output;
}

/**
 * Restores a `pg_dump -Fc` stream with pg_restore in one transaction: any error — including `source`
 * failing, e.g. a backup archive whose authentication tag does not verify — rolls everything back.
 */
export async function restoreDatabase(
  databaseUrl: string,
  source: Readable,
  options: RestoreOptions,
): Promise<void> {
  const connection = parseDatabaseUrl(databaseUrl);
  const program = pgRestoreProgram(options);
  const child = spawnPgTool(
    program,
    [
      '--no-owner',
      '--no-privileges',
      '--single-transaction',
      '--exit-on-error',
      ...(options.clean ? ['--clean', '--if-exists'] : []),
    ],
    connection,
    ['pipe', 'ignore', 'pipe'],
    options.signal,
  );
  const stderr = captureStderr(child);

  await new Promise<void>((resolve, reject) => {
    let sourceError: Error | undefined;
    let startError: Error | undefined;
    const stdin = child.stdin;
    if (!stdin) throw new AppError('INTERNAL', 'pg_restore has no stdin.');

    const onSourceError = (error: Error) => {
      if (sourceError) return;
      sourceError = error;
      // Kill before stdin closes: pg_restore must never see a clean end of input and commit.
      child.kill('SIGKILL');
      source.unpipe(stdin);
      stdin.destroy();
    };
    source.on('error', onSourceError);
    // EPIPE when pg_restore exits early; its exit status and stderr tell the real story.
    stdin.on('error', () => {});
    child.on('error', (error) => {
      startError = spawnError('pg_restore', program, error);
      source.destroy();
    });
    child.on('close', (code, signal) => {
      source.off('error', onSourceError);
      if (sourceError) reject(sourceError);
      else if (startError) reject(startError);
      else if (code === 0) resolve();
      else {
        source.destroy();
        reject(toolError('pg_restore', stderr(), { code, signal }));
      }
    });
    source.pipe(stdin);
  });
}

/** Rows per table of the public schema, sorted by table name: what a restore drill compares. */
export async function rowCounts(databaseUrl: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await countRows(client);
  } finally {
    await client.end();
  }
}

/**
 * Counts with a transaction exported as a snapshot, and passes the snapshot to `work` (for
 * `pg_dump --snapshot`), so the counts describe exactly what the dump holds. The transaction stays
 * open until `work` has finished.
 */
export async function withCountedSnapshot<T>(
  databaseUrl: string,
  work: (snapshot: string, counts: Record<string, number>) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot');
    const counts = await countRows(client);
    const snapshot = rows[0]?.snapshot;
    if (!snapshot) throw new AppError('INTERNAL', 'PostgreSQL exported no snapshot.');
    return await work(snapshot, counts);
  } finally {
    await client.query('COMMIT').catch(() => {});
    await client.end();
  }
}

async function countRows(client: pg.Client): Promise<Record<string, number>> {
  const tables = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const result = await client.query<{ count: string }>(
      `SELECT count(*) AS count FROM public.${pg.escapeIdentifier(name)}`,
    );
    counts[name] = Number(result.rows[0]?.count ?? 0);
  }
  return counts;
}
