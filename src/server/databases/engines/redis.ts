import type { DatabaseCredentials, TableCount } from '@/server/databases/types';
import { type EngineAdapter, type ExecCommand, parseRowCount, sortCounts } from './engine-adapter';

const DATA_DIR = '/data';

// `-e` (redis-cli 7+) turns error replies (NOAUTH, ERR …) into a non-zero exit; without it they exit 0.
function client(credentials: DatabaseCredentials, args: string[]): ExecCommand {
  return {
    cmd: ['redis-cli', '-e', '-h', '127.0.0.1', '-p', '6379', ...args],
    env: { REDISCLI_AUTH: credentials.password },
  };
}

export const redisAdapter: EngineAdapter = {
  engine: 'redis',
  port: 6379,
  dataDir: DATA_DIR,
  containerEnv: () => ({}),
  // The password must be on the command line: the image has no environment variable for it. With the
  // append-only file off, the RDB file in the data directory is what loads at start, which restore uses.
  containerCmd: (credentials) => [
    'redis-server',
    '--requirepass',
    credentials.password,
    '--appendonly',
    'no',
    '--dir',
    DATA_DIR,
  ],
  readyChecks: (credentials) => [{ ...client(credentials, ['ping']), expectStdout: 'PONG' }],
  // `redis-cli --rdb -` (7.0) leaves the transfer's 40-byte EOF marker at the end of stdout, because
  // it cannot truncate a pipe; to a file the RDB is exact.
  dump: (credentials, scratchId) => {
    const file = `/tmp/rise-dump-${scratchId}.rdb`;
    return {
      prepare: [client(credentials, ['--rdb', file])],
      stream: { cmd: ['cat', file] },
      cleanup: [{ cmd: ['rm', '-f', file] }],
    };
  },
  restore: () => ({
    kind: 'data-file',
    fileName: 'dump.rdb',
    magic: 'REDIS',
    verify: (path) => ({ cmd: ['redis-check-rdb', path] }),
  }),
  countsQuery: (credentials) => client(credentials, ['INFO', 'keyspace']),
  parseCounts: parseRedisKeyspace,
  query: (credentials, statement) =>
    client(credentials, Array.isArray(statement) ? statement : statement.split(' ').filter(Boolean)),
};

/** `INFO keyspace`: `db0:keys=3,expires=0,avg_ttl=0` per non-empty logical database. */
export function parseRedisKeyspace(stdout: string): TableCount[] {
  const counts: TableCount[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^(db\d+):(.*)$/.exec(line.trim());
    if (!match?.[1] || match[2] === undefined) continue;
    const keys = /(?:^|,)keys=([^,]*)/.exec(match[2])?.[1];
    if (keys === undefined) throw new Error(`unexpected INFO keyspace line ${JSON.stringify(line)}`);
    counts.push({ table: match[1], rows: parseRowCount(keys, match[1]) });
  }
  return sortCounts(counts);
}
