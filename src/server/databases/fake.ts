import type { DatabaseContainerSpec, DatabaseHost, DatabaseTarget, LogLine, TableCount } from './types';

/** One call made to the fake, in order. */
export type FakeDatabaseHostCall =
  | { method: 'provision'; host: string; project: string | null; volumeName: string }
  | { method: 'start' | 'stop' | 'state'; host: string }
  | { method: 'remove'; host: string; removeVolume: boolean }
  | { method: 'dump' | 'counts'; host: string }
  | { method: 'restore'; host: string; volumeName: string }
  | { method: 'query'; host: string; statement: string | string[] };

type Container = { engine: DatabaseTarget['engine']; volumeName: string; running: boolean };

/**
 * An in-memory DatabaseHost for unit tests: containers and volumes are map entries, a volume's data is
 * its row counts, and a dump is those counts as JSON. `failures` makes the next call of a method throw.
 * The Docker implementation is covered by docker-database-host.int.test.ts.
 */
export class FakeDatabaseHost implements DatabaseHost {
  readonly calls: FakeDatabaseHostCall[] = [];
  readonly containers = new Map<string, Container>();
  readonly volumes = new Map<string, TableCount[]>();
  /** Thrown once by the named method (`dump` throws after its first chunk, as a failing tool does). */
  readonly failures: Partial<Record<'provision' | 'dump' | 'restore' | 'counts', Error>> = {};

  /** A running database holding `tables`, as if provisioned earlier. */
  seed(target: DatabaseTarget & { volumeName: string }, tables: TableCount[]): void {
    this.containers.set(target.host, { engine: target.engine, volumeName: target.volumeName, running: true });
    this.volumes.set(target.volumeName, tables);
  }

  async provision(
    spec: DatabaseContainerSpec,
    options: { signal?: AbortSignal; log?: LogLine } = {},
  ): Promise<{ containerId: string }> {
    this.calls.push({
      method: 'provision',
      host: spec.host,
      project: spec.project,
      volumeName: spec.volumeName,
    });
    this.throwIfFailing('provision');
    options.signal?.throwIfAborted();
    if (!this.volumes.has(spec.volumeName)) this.volumes.set(spec.volumeName, []);
    this.containers.set(spec.host, { engine: spec.engine, volumeName: spec.volumeName, running: true });
    options.log?.(`${spec.host} is ready`);
    return { containerId: `fake-${spec.host}` };
  }

  async start(host: string): Promise<void> {
    this.calls.push({ method: 'start', host });
    this.existing(host).running = true;
  }

  async stop(host: string): Promise<void> {
    this.calls.push({ method: 'stop', host });
    const container = this.containers.get(host);
    if (container) container.running = false;
  }

  async remove(host: string, options: { removeVolume: boolean; volumeName: string }): Promise<void> {
    this.calls.push({ method: 'remove', host, removeVolume: options.removeVolume });
    this.containers.delete(host);
    if (options.removeVolume) this.volumes.delete(options.volumeName);
  }

  async state(host: string): Promise<'running' | 'stopped' | 'missing'> {
    this.calls.push({ method: 'state', host });
    const container = this.containers.get(host);
    if (!container) return 'missing';
    return container.running ? 'running' : 'stopped';
  }

  async *dump(target: DatabaseTarget): AsyncIterable<Buffer> {
    this.calls.push({ method: 'dump', host: target.host });
    const tables = this.dataOf(this.running(target.host));
    const dump = Buffer.from(JSON.stringify(tables));
    const half = Math.ceil(dump.length / 2);
    yield dump.subarray(0, half);
    this.throwIfFailing('dump');
    yield dump.subarray(half);
  }

  async restore(
    target: DatabaseTarget & { volumeName: string },
    dump: AsyncIterable<Buffer>,
    options: { signal?: AbortSignal; log?: LogLine } = {},
  ): Promise<void> {
    this.calls.push({ method: 'restore', host: target.host, volumeName: target.volumeName });
    const container = this.running(target.host);
    const chunks: Buffer[] = [];
    for await (const chunk of dump) chunks.push(chunk);
    this.throwIfFailing('restore');
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.length === 0) throw new Error('the dump is empty');
    let tables: TableCount[];
    try {
      tables = JSON.parse(text) as TableCount[];
    } catch {
      throw new Error(`the dump is not a ${target.engine} dump`);
    }
    this.volumes.set(container.volumeName, tables);
    options.log?.(`Restore into ${target.host} finished`);
  }

  async counts(target: DatabaseTarget): Promise<TableCount[]> {
    this.calls.push({ method: 'counts', host: target.host });
    this.throwIfFailing('counts');
    return [...this.dataOf(this.running(target.host))].sort((a, b) => a.table.localeCompare(b.table));
  }

  async query(target: DatabaseTarget, statement: string | string[]): Promise<string> {
    this.calls.push({ method: 'query', host: target.host, statement });
    this.running(target.host);
    return '';
  }

  private existing(host: string): Container {
    const container = this.containers.get(host);
    if (!container) throw new Error(`database container ${host} does not exist`);
    return container;
  }

  private running(host: string): Container {
    const container = this.existing(host);
    if (!container.running) throw new Error(`database container ${host} is not running`);
    return container;
  }

  private dataOf(container: Container): TableCount[] {
    return this.volumes.get(container.volumeName) ?? [];
  }

  private throwIfFailing(method: keyof FakeDatabaseHost['failures']): void {
    const error = this.failures[method];
    if (!error) return;
    delete this.failures[method];
    throw error;
  }
}
