import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseContainerSpec, DatabaseEngine, DatabaseTarget } from '@/server/databases/types';
import { buildTestDatabaseImages, TEST_DATABASE_IMAGES } from '../../../../test/database-images';
import { TEST_SUBNET_POOL } from '../../../../test/docker-networks';
import { DockerDatabaseHost } from './docker-database-host';

const docker = new Dockerode();
const run = randomBytes(4).toString('hex');
const network = `rise-test-dbhost-${run}`;
const testLabel = { 'rise.test': `dbhost-${run}` };
const project = `dbh${run}`;
const projectNetwork = `${network}-${project}`;
const host = new DockerDatabaseHost({
  docker,
  network,
  manager: `rise-test-${run}`,
  subnetPool: TEST_SUBNET_POOL,
  extraLabels: testLabel,
});
const specs: DatabaseContainerSpec[] = [];

function specFor(
  engine: DatabaseEngine,
  name: string,
  owner: string | null = project,
): DatabaseContainerSpec {
  const spec: DatabaseContainerSpec = {
    engine,
    image: TEST_DATABASE_IMAGES[engine],
    project: owner,
    host: `rise-test-db-${run}-${name}`,
    volumeName: `rise-test-db-${run}-${name}-data`,
    credentials: {
      username: 'app',
      password: `pw-${randomBytes(8).toString('hex')}`,
      database: `app_${name}`,
    },
    cpuLimit: 1,
    memoryLimitMb: 512,
    labels: testLabel,
  };
  specs.push(spec);
  return spec;
}

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

async function* chunksOf(buffer: Buffer): AsyncIterable<Buffer> {
  // Several chunks, as a download would deliver them.
  for (let offset = 0; offset < buffer.length; offset += 1000) yield buffer.subarray(offset, offset + 1000);
}

const threeRows: Record<DatabaseEngine, { write: (string | string[])[]; clear: string | string[] }> = {
  postgres: {
    write: [
      'create table items (id int primary key, name text)',
      "insert into items values (1, 'a'), (2, 'b'), (3, 'c')",
    ],
    clear: 'delete from items',
  },
  mariadb: {
    write: [
      'CREATE TABLE items (id INT PRIMARY KEY, name TEXT)',
      "INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c')",
    ],
    clear: 'DELETE FROM items',
  },
  redis: { write: [['SET', 'k1', 'v1'], ['SET', 'k2', 'v2'], 'SET k3 v3'], clear: 'FLUSHALL' },
};

const threeCounts: Record<DatabaseEngine, { table: string; rows: number }[]> = {
  postgres: [{ table: 'public.items', rows: 3 }],
  mariadb: [{ table: 'items', rows: 3 }],
  redis: [{ table: 'db0', rows: 3 }],
};

// pg_dump -Fc and RDB files start with a magic; a MariaDB dump is SQL (behind a version comment).
const looksLikeDump: Record<DatabaseEngine, (dump: Buffer) => boolean> = {
  postgres: (dump) => dump.subarray(0, 5).toString() === 'PGDMP',
  mariadb: (dump) => dump.toString().includes('CREATE TABLE `items`'),
  redis: (dump) => dump.subarray(0, 5).toString() === 'REDIS',
};

beforeAll(async () => {
  await buildTestDatabaseImages({ docker });
}, 300_000);

afterAll(async () => {
  for (const spec of specs) await host.remove(spec.host, { removeVolume: true, volumeName: spec.volumeName });
  for (const item of await docker.listNetworks({ filters: { label: [`rise.test=dbhost-${run}`] } })) {
    await docker.getNetwork(item.Id).remove();
  }
  expect(await docker.listNetworks({ filters: { label: [`rise.test=dbhost-${run}`] } })).toEqual([]);
}, 120_000);

describe.each(['postgres', 'mariadb', 'redis'] as const)('DockerDatabaseHost with %s', (engine) => {
  const source = specFor(engine, `${engine}-a`);
  // A restore drill's scratch copy: no project, no network.
  const scratch = specFor(engine, `${engine}-scratch`, null);
  const target = (spec: DatabaseContainerSpec): DatabaseTarget & { volumeName: string } => ({
    engine: spec.engine,
    host: spec.host,
    credentials: spec.credentials,
    volumeName: spec.volumeName,
  });
  let dump: Buffer;

  it('provisions a container on its project network only, with labels, limits, a volume and no published port', async () => {
    const lines: string[] = [];
    const { containerId } = await host.provision(source, { log: (line) => lines.push(line) });
    const info = await docker.getContainer(containerId).inspect();
    expect(info.Name).toBe(`/${source.host}`);
    expect(info.Config.Labels).toMatchObject({
      ...testLabel,
      'dev.rise.managed-by': `rise-test-${run}`,
      'dev.rise.project': project,
      'dev.rise.database': source.host,
    });
    expect(info.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
    expect(info.HostConfig.NanoCpus).toBe(1e9);
    expect(info.HostConfig.Memory).toBe(512 * 1024 * 1024);
    expect(info.HostConfig.PortBindings ?? {}).toEqual({});
    expect(Object.keys(info.NetworkSettings.Networks)).toEqual([projectNetwork]);
    expect(info.NetworkSettings.Networks[projectNetwork]?.Aliases).toContain(source.host);
    expect(host.projectNetwork(project)).toBe(projectNetwork);
    expect(info.Mounts.find((mount) => mount.Type === 'volume')?.Name).toBe(source.volumeName);
    const volume = await docker.getVolume(source.volumeName).inspect();
    expect(volume.Labels).toMatchObject({ ...testLabel, 'dev.rise.database': source.host });
    expect(lines.at(-1)).toBe(`${source.host} is ready`);
    expect(await host.state(source.host)).toBe('running');
  });

  it('writes through query and counts exactly', async () => {
    for (const statement of threeRows[engine].write) await host.query(source, statement);
    expect(await host.counts(source)).toEqual(threeCounts[engine]);
  });

  it('dumps, and restores the dump over changed data', async () => {
    dump = await collect(host.dump(source));
    expect(looksLikeDump[engine](dump)).toBe(true);
    await host.query(source, threeRows[engine].clear);
    expect(await host.counts(source)).not.toEqual(threeCounts[engine]);
    const lines: string[] = [];
    await host.restore(target(source), chunksOf(dump), { log: (line) => lines.push(line) });
    expect(lines.at(-1)).toBe(`Restore into ${source.host} finished`);
    expect(await host.counts(source)).toEqual(threeCounts[engine]);
  });

  it('restores the dump into a second container with other credentials (restore drill)', async () => {
    const { containerId } = await host.provision(scratch);
    expect((await docker.getContainer(containerId).inspect()).HostConfig.NetworkMode).toBe('none');
    expect(await host.counts(scratch)).toEqual([]);
    await host.restore(target(scratch), chunksOf(dump));
    expect(await host.counts(scratch)).toEqual(threeCounts[engine]);
    await host.remove(scratch.host, { removeVolume: true, volumeName: scratch.volumeName });
    expect(await host.state(scratch.host)).toBe('missing');
    await expect(docker.getVolume(scratch.volumeName).inspect()).rejects.toThrow();
  });

  it('refuses to dump a stopped or missing container, with a clear error', async () => {
    await expect(collect(host.dump(target(scratch)))).rejects.toThrow(
      `database container ${scratch.host} does not exist`,
    );
    await host.stop(source.host);
    expect(await host.state(source.host)).toBe('stopped');
    await expect(collect(host.dump(target(source)))).rejects.toThrow(
      `database container ${source.host} is not running`,
    );
    await host.start(source.host);
  });
});

describe('DockerDatabaseHost failures', () => {
  const pg = specFor('postgres', 'pg-fail');

  beforeAll(async () => {
    await host.provision(pg);
    await host.query(pg, 'create table kept (id int)');
    await host.query(pg, 'insert into kept values (1), (2)');
  }, 120_000);

  it('rejects a garbage restore with the tool error and leaves the data intact', async () => {
    const garbage = chunksOf(Buffer.from('this is not a dump\n'.repeat(100)));
    await expect(host.restore({ ...pg, volumeName: pg.volumeName }, garbage)).rejects.toThrow(
      /pg_restore exited with code 1: .+/,
    );
    expect(await host.counts(pg)).toEqual([{ table: 'public.kept', rows: 2 }]);
  });

  it('provisions again over an existing container, keeping the data in the volume', async () => {
    await host.provision(pg);
    expect(await host.counts(pg)).toEqual([{ table: 'public.kept', rows: 2 }]);
  });

  it('rejects a failing query with the error, and keeps secrets out of it', async () => {
    const error = await host.query(pg, 'select * from missing_table').catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/psql exited with code 1: .*missing_table/);
    expect((error as Error).message).not.toContain(pg.credentials.password);
  });

  it('refuses a Redis restore that is not a valid RDB file before stopping the engine', async () => {
    const redis = specFor('redis', 'redis-fail');
    await host.provision(redis);
    await host.query(redis, 'SET kept 1');
    const notRdb = chunksOf(Buffer.from('*1\r\n$4\r\nPING\r\n'));
    await expect(host.restore({ ...redis, volumeName: redis.volumeName }, notRdb)).rejects.toThrow(
      'the dump is not a redis dump',
    );
    expect(await host.counts(redis)).toEqual([{ table: 'db0', rows: 1 }]);
    // An RDB header with garbage after it (0x53 is no object type) fails redis-check-rdb.
    const corrupt = chunksOf(Buffer.concat([Buffer.from('REDIS0010'), Buffer.alloc(40, 0x53)]));
    await expect(host.restore({ ...redis, volumeName: redis.volumeName }, corrupt)).rejects.toThrow(
      /the dump failed redis-check-rdb \(exit code 1\): .*Invalid object type/s,
    );
    expect(await host.counts(redis)).toEqual([{ table: 'db0', rows: 1 }]);
  });

  it('rejects wrong credentials with the tool error', async () => {
    const stale = { ...pg, credentials: { ...pg.credentials, password: 'not-the-password' } };
    await expect(host.counts(stale)).rejects.toThrow(
      /psql exited with code 2: .*password authentication failed/,
    );
  });
});
