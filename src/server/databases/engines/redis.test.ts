import { describe, expect, it } from 'vitest';
import { parseRedisKeyspace, redisAdapter } from './redis';

const credentials = { username: 'default', password: 's3cret', database: '' };

describe('redisAdapter', () => {
  it('runs redis-server with the password and without the append-only file', () => {
    expect(redisAdapter.containerCmd(credentials)).toEqual([
      'redis-server',
      '--requirepass',
      's3cret',
      '--appendonly',
      'no',
      '--dir',
      '/data',
    ]);
    expect(redisAdapter.dataDir).toBe('/data');
  });

  it('authenticates redis-cli through REDISCLI_AUTH and fails on error replies', () => {
    const query = redisAdapter.query(credentials, 'SET k v');
    expect(query.cmd).toEqual(['redis-cli', '-e', '-h', '127.0.0.1', '-p', '6379', 'SET', 'k', 'v']);
    expect(query.env).toEqual({ REDISCLI_AUTH: 's3cret' });
  });

  it('passes argument arrays unchanged, spaces included', () => {
    expect(redisAdapter.query(credentials, ['SET', 'k', 'a b']).cmd.slice(-3)).toEqual(['SET', 'k', 'a b']);
  });

  it('dumps through a temporary RDB file that it removes afterwards', () => {
    const plan = redisAdapter.dump(credentials, 'abc');
    expect(plan.prepare.map((command) => command.cmd.slice(-2))).toEqual([
      ['--rdb', '/tmp/rise-dump-abc.rdb'],
    ]);
    expect(plan.stream.cmd).toEqual(['cat', '/tmp/rise-dump-abc.rdb']);
    expect(plan.cleanup.map((command) => command.cmd)).toEqual([['rm', '-f', '/tmp/rise-dump-abc.rdb']]);
  });

  it('restores by replacing dump.rdb, and only RDB files that redis-check-rdb accepts', () => {
    const plan = redisAdapter.restore(credentials);
    expect(plan).toMatchObject({ kind: 'data-file', fileName: 'dump.rdb', magic: 'REDIS' });
    expect(plan.kind === 'data-file' && plan.verify('/tmp/x.rdb').cmd).toEqual([
      'redis-check-rdb',
      '/tmp/x.rdb',
    ]);
  });

  it('is ready only when PING answers PONG', () => {
    expect(redisAdapter.readyChecks(credentials)).toEqual([
      expect.objectContaining({ cmd: expect.arrayContaining(['ping']), expectStdout: 'PONG' }),
    ]);
  });
});

describe('parseRedisKeyspace', () => {
  it('counts keys per logical database, in numeric order', () => {
    const info =
      '# Keyspace\r\ndb10:keys=1,expires=0,avg_ttl=0\r\ndb0:keys=3,expires=1,avg_ttl=100\r\ndb2:keys=5,expires=0,avg_ttl=0\r\n';
    expect(parseRedisKeyspace(info)).toEqual([
      { table: 'db0', rows: 3 },
      { table: 'db2', rows: 5 },
      { table: 'db10', rows: 1 },
    ]);
  });

  it('reads an empty instance as no databases', () => {
    expect(parseRedisKeyspace('# Keyspace\r\n')).toEqual([]);
  });
});
