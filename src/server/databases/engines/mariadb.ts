import type { DatabaseCredentials, TableCount } from '@/server/databases/types';
import { type EngineAdapter, type ExecCommand, parseRowCount, sortCounts } from './engine-adapter';

// Rise administers MariaDB as root, whose password is the database's generated password
// (MARIADB_ROOT_PASSWORD = credentials.password): dumps with routines, triggers and events and
// restores that recreate them need more than the application user's grants. Clients connect over
// TCP to 127.0.0.1 because the official entrypoint's temporary init server has networking off.
function client(tool: string, credentials: DatabaseCredentials, args: string[]): ExecCommand {
  return {
    cmd: [tool, '-h', '127.0.0.1', '-P', '3306', '-u', 'root', ...args],
    env: { MYSQL_PWD: credentials.password },
  };
}

// Exact counts need one COUNT(*) per table; the statement is assembled and run server-side.
const COUNTS_SQL = [
  'SET SESSION group_concat_max_len = 4294967295;',
  "SELECT GROUP_CONCAT(CONCAT('SELECT ', QUOTE(table_name), ', COUNT(*) FROM `', REPLACE(table_name, '`', '``'), '`')",
  "SEPARATOR ' UNION ALL ') INTO @rise_counts FROM information_schema.tables",
  "WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE';",
  "SET @rise_counts = IFNULL(@rise_counts, 'SELECT 1, 1 FROM DUAL WHERE FALSE');",
  'PREPARE rise_counts FROM @rise_counts; EXECUTE rise_counts; DEALLOCATE PREPARE rise_counts;',
].join(' ');

export const mariadbAdapter: EngineAdapter = {
  engine: 'mariadb',
  port: 3306,
  dataDir: '/var/lib/mysql',
  containerEnv: (credentials) => ({
    MARIADB_USER: credentials.username,
    MARIADB_PASSWORD: credentials.password,
    MARIADB_DATABASE: credentials.database,
    MARIADB_ROOT_PASSWORD: credentials.password,
  }),
  containerCmd: () => undefined,
  readyChecks: (credentials) => [
    client('mariadb-admin', credentials, ['ping']),
    mariadbAdapter.query(credentials, 'SELECT 1'),
  ],
  dump: (credentials) => ({
    prepare: [],
    stream: client('mariadb-dump', credentials, [
      '--single-transaction',
      '--routines',
      '--triggers',
      '--events',
      '--hex-blob',
      credentials.database,
    ]),
    cleanup: [],
  }),
  // The dump names no database, so it loads into whichever database the target has.
  restore: (credentials) => ({
    kind: 'stdin',
    command: client('mariadb', credentials, [credentials.database]),
  }),
  countsQuery: (credentials) =>
    client('mariadb', credentials, ['-N', '-B', credentials.database, '-e', COUNTS_SQL]),
  parseCounts: parseMariadbCounts,
  query: (credentials, statement) =>
    client('mariadb', credentials, [
      '-N',
      '-B',
      credentials.database,
      '-e',
      Array.isArray(statement) ? statement.join(' ') : statement,
    ]),
};

/** `mariadb -N -B` output: one `table<TAB>count` line per table, with \t \n \\ \0 escaped. */
export function parseMariadbCounts(stdout: string): TableCount[] {
  const counts = stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [table, rows, ...rest] = line.split('\t');
      if (table === undefined || rows === undefined || rest.length > 0) {
        throw new Error(`unexpected mariadb output for table counts: ${JSON.stringify(line)}`);
      }
      const name = unescapeBatch(table);
      return { table: name, rows: parseRowCount(rows, name) };
    });
  return sortCounts(counts);
}

const BATCH_ESCAPES: Record<string, string> = { n: '\n', t: '\t', '0': '\0', '\\': '\\' };

function unescapeBatch(value: string): string {
  return value.replace(/\\(.)/g, (match, char: string) => BATCH_ESCAPES[char] ?? match);
}
