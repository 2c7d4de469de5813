import type { DatabaseCredentials, DatabaseEngine, TableCount } from '@/server/databases/types';

/** One command run inside the database container with docker exec. */
export interface ExecCommand {
  cmd: string[];
  /** Secrets travel here (PGPASSWORD, MYSQL_PWD, REDISCLI_AUTH), never in `cmd`. */
  env?: Record<string, string>;
  /** The command only counts as successful when its trimmed stdout equals this. */
  expectStdout?: string;
}

/** `stream`'s stdout is the dump; `prepare` runs before it and `cleanup` after it, even when it fails. */
export interface DumpPlan {
  prepare: ExecCommand[];
  stream: ExecCommand;
  cleanup: ExecCommand[];
}

export type RestorePlan =
  /** The tool reads the whole dump on stdin and exits non-zero on any error. */
  | { kind: 'stdin'; command: ExecCommand }
  /** The engine loads `fileName` from its data directory at start: stop, replace the file, start. */
  | {
      kind: 'data-file';
      fileName: string;
      /** How every valid dump starts. */
      magic: string;
      /** Checks a copy of the dump at `path` inside the running container, before the engine stops. */
      verify: (path: string) => ExecCommand;
    };

/** Everything engine-specific about running, checking, dumping and restoring one engine's container. */
export interface EngineAdapter {
  readonly engine: DatabaseEngine;
  readonly port: number;
  /** Where the image keeps its data; the named volume is mounted here. */
  readonly dataDir: string;
  containerEnv(credentials: DatabaseCredentials): Record<string, string>;
  /** Command for the container, or undefined for the image's default. */
  containerCmd(credentials: DatabaseCredentials): string[] | undefined;
  /** All must succeed, in order, for the engine to count as ready for clients. */
  readyChecks(credentials: DatabaseCredentials): ExecCommand[];
  /** `scratchId` is unique per dump, for temporary files inside the container. */
  dump(credentials: DatabaseCredentials, scratchId: string): DumpPlan;
  restore(credentials: DatabaseCredentials): RestorePlan;
  countsQuery(credentials: DatabaseCredentials): ExecCommand;
  parseCounts(stdout: string): TableCount[];
  query(credentials: DatabaseCredentials, statement: string | string[]): ExecCommand;
}

const byTable = new Intl.Collator('en', { numeric: true });

export function sortCounts(counts: TableCount[]): TableCount[] {
  return [...counts].sort((a, b) => byTable.compare(a.table, b.table));
}

/** A row count printed by a client tool; anything else means the output was not what we asked for. */
export function parseRowCount(text: string, table: string): number {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) throw new Error(`unexpected row count ${JSON.stringify(trimmed)} for ${table}`);
  return Number(trimmed);
}
