import type { DatabaseEngine } from '@/generated/prisma/enums';
import type { DatabaseCredentials } from '@/shared/databases/engines';

export type { DatabaseCredentials, DatabaseEngine };

/** What a database host needs to create and run one database container. */
export interface DatabaseContainerSpec {
  engine: DatabaseEngine;
  image: string;
  /**
   * The project owning the database: it joins that project's network, so only the project's apps can
   * reach it. null: no network at all (a scratch database reached only by docker exec).
   */
  project: string | null;
  /** Container name and network alias; apps reach the database at this host name. */
  host: string;
  volumeName: string;
  credentials: DatabaseCredentials;
  cpuLimit: number | null;
  memoryLimitMb: number | null;
  /** Extra labels, e.g. the project and database id. */
  labels: Record<string, string>;
}

/** Rows (PostgreSQL/MariaDB: per table; Redis: keys per logical db, table = "db0") at one moment. */
export interface TableCount {
  table: string;
  rows: number;
}

/** A database container reachable by docker exec: its name and how to authenticate inside it. */
export interface DatabaseTarget {
  engine: DatabaseEngine;
  host: string;
  credentials: DatabaseCredentials;
}

export type LogLine = (line: string) => void;

/**
 * Runs database containers and the engines' native tools inside them (docker exec), so the worker
 * needs neither network access to the database nor client tools of its own.
 */
export interface DatabaseHost {
  /** Creates the volume and container, starts it and waits until the engine accepts connections. */
  provision(
    spec: DatabaseContainerSpec,
    options?: { signal?: AbortSignal; log?: LogLine },
  ): Promise<{ containerId: string }>;
  start(host: string, options?: { signal?: AbortSignal }): Promise<void>;
  stop(host: string): Promise<void>;
  /** Removes the container and, with `removeVolume`, its data. Missing objects are not an error. */
  remove(host: string, options: { removeVolume: boolean; volumeName: string }): Promise<void>;
  /** running | stopped | missing, from Docker's view. */
  state(host: string): Promise<'running' | 'stopped' | 'missing'>;
  /**
   * The engine's native dump (`pg_dump -Fc`, `mariadb-dump --single-transaction`, Redis RDB) as a
   * stream; the stream errors (instead of ending) when the tool exits non-zero, with its stderr.
   */
  dump(target: DatabaseTarget, options?: { signal?: AbortSignal }): AsyncIterable<Buffer>;
  /** Loads a dump produced by `dump` into the target, replacing what the dump contains. */
  restore(
    target: DatabaseTarget & { volumeName: string },
    dump: AsyncIterable<Buffer>,
    options?: { signal?: AbortSignal; log?: LogLine },
  ): Promise<void>;
  /** Row counts per table (keys per logical database for Redis), sorted by table. */
  counts(target: DatabaseTarget): Promise<TableCount[]>;
  /** Runs a client statement inside the container (psql -c / mariadb -e / redis-cli args); for tests and checks. */
  query(target: DatabaseTarget, statement: string | string[]): Promise<string>;
}
