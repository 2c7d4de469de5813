import { describe, expect, it } from 'vitest';
import { mariadbAdapter, parseMariadbCounts } from './mariadb';

const credentials = { username: 'app', password: 's3cret', database: 'appdb' };
/** How every client command reaches the server: as root, over TCP (the password is in the environment). */
const rootOverTcp = ['-h', '127.0.0.1', '-P', '3306', '-u', 'root'];

describe('mariadbAdapter', () => {
  it('works as root with the database password, passed in the environment only', () => {
    const query = mariadbAdapter.query(credentials, 'SELECT 1');
    expect(query.cmd).toEqual(['mariadb', ...rootOverTcp, '-N', '-B', 'appdb', '-e', 'SELECT 1']);
    expect(query.env).toEqual({ MYSQL_PWD: 's3cret' });
    expect(mariadbAdapter.containerEnv(credentials)).toMatchObject({ MARIADB_ROOT_PASSWORD: 's3cret' });
    const dump = mariadbAdapter.dump(credentials, 'x').stream;
    expect(dump.cmd.join(' ')).not.toContain('s3cret');
  });

  it('dumps one database consistently with its routines, triggers and events', () => {
    expect(mariadbAdapter.dump(credentials, 'x').stream.cmd).toEqual([
      'mariadb-dump',
      ...rootOverTcp,
      '--single-transaction',
      '--routines',
      '--triggers',
      '--events',
      '--hex-blob',
      'appdb',
    ]);
  });

  it('restores by feeding the dump to the client', () => {
    const restore = mariadbAdapter.restore(credentials);
    expect(restore.kind === 'stdin' && restore.command.cmd).toEqual(['mariadb', ...rootOverTcp, 'appdb']);
  });

  it('configures the official image through its environment', () => {
    expect(mariadbAdapter.containerEnv(credentials)).toEqual({
      MARIADB_USER: 'app',
      MARIADB_PASSWORD: 's3cret',
      MARIADB_DATABASE: 'appdb',
      MARIADB_ROOT_PASSWORD: 's3cret',
    });
    expect(mariadbAdapter.dataDir).toBe('/var/lib/mysql');
  });
});

describe('parseMariadbCounts', () => {
  it('reads tab-separated lines, unescaping batch-mode escapes, sorted by table', () => {
    expect(parseMariadbCounts('orders\t12\nwe\\tird\\\\x\t0\nb`q\t3\n')).toEqual([
      { table: 'b`q', rows: 3 },
      { table: 'orders', rows: 12 },
      { table: 'we\tird\\x', rows: 0 },
    ]);
  });

  it('reads no output as no tables', () => {
    expect(parseMariadbCounts('')).toEqual([]);
  });

  it('rejects lines that are not table and count', () => {
    expect(() => parseMariadbCounts('orders\n')).toThrow('unexpected mariadb output');
    expect(() => parseMariadbCounts('orders\tNULL\n')).toThrow('unexpected row count');
  });
});
