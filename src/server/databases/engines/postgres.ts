import type { DatabaseCredentials, TableCount } from '@/server/databases/types';
import { type EngineAdapter, type ExecCommand, parseRowCount, sortCounts } from './engine-adapter';

// Every client connects over TCP to 127.0.0.1 with the generated credentials: the official image's
// entrypoint runs a temporary, socket-only server during initialisation, so a TCP login only
// succeeds once the real server is up.
function client(tool: string, credentials: DatabaseCredentials, args: string[]): ExecCommand {
  return {
    cmd: [tool, '-h', '127.0.0.1', '-p', '5432', '-U', credentials.username, ...args],
    env: { PGPASSWORD: credentials.password },
  };
}

// Exact counts need one query per table; query_to_xml runs them from a single statement.
const COUNTS_SQL = [
  "select schemaname || '.' || tablename,",
  "(xpath('/row/n/text()', query_to_xml(format('select count(*) as n from %I.%I', schemaname, tablename), false, true, '')))[1]::text",
  "from pg_tables where schemaname not in ('pg_catalog', 'information_schema')",
].join(' ');

export const postgresAdapter: EngineAdapter = {
  engine: 'postgres',
  port: 5432,
  dataDir: '/var/lib/postgresql/data',
  containerEnv: (credentials) => ({
    POSTGRES_USER: credentials.username,
    POSTGRES_PASSWORD: credentials.password,
    POSTGRES_DB: credentials.database,
  }),
  containerCmd: () => undefined,
  readyChecks: (credentials) => [
    {
      cmd: [
        'pg_isready',
        '-h',
        '127.0.0.1',
        '-p',
        '5432',
        '-U',
        credentials.username,
        '-d',
        credentials.database,
      ],
    },
    postgresAdapter.query(credentials, 'select 1'),
  ],
  dump: (credentials) => ({
    prepare: [],
    stream: client('pg_dump', credentials, ['-Fc', '-d', credentials.database]),
    cleanup: [],
  }),
  restore: (credentials) => ({
    kind: 'stdin',
    command: client('pg_restore', credentials, [
      '--clean',
      '--if-exists',
      '--no-owner',
      '--no-privileges',
      '--single-transaction',
      '--exit-on-error',
      '-d',
      credentials.database,
    ]),
  }),
  // NUL-separated fields and records: table names may contain any other character.
  countsQuery: (credentials) =>
    client('psql', credentials, ['-X', '-Atz0', '-d', credentials.database, '-c', COUNTS_SQL]),
  parseCounts: parsePostgresCounts,
  query: (credentials, statement) =>
    client('psql', credentials, [
      '-X',
      '-v',
      'ON_ERROR_STOP=1',
      '-At',
      '-d',
      credentials.database,
      '-c',
      Array.isArray(statement) ? statement.join(' ') : statement,
    ]),
};

/** `psql -Atz0` output: table NUL count NUL, per row. */
export function parsePostgresCounts(stdout: string): TableCount[] {
  const fields = stdout.split('\0');
  if (fields.at(-1)?.trim() === '') fields.pop();
  if (fields.length % 2 !== 0) throw new Error('unexpected psql output for table counts');
  const counts: TableCount[] = [];
  for (let i = 0; i < fields.length; i += 2) {
    const table = fields[i] ?? '';
    counts.push({ table, rows: parseRowCount(fields[i + 1] ?? '', table) });
  }
  return sortCounts(counts);
}
