import { describe, expect, it } from 'vitest';
import { parsePostgresCounts, postgresAdapter } from './postgres';

const credentials = { username: 'app', password: 's3cret', database: 'appdb' };
/** How pg_dump and pg_restore reach the server: as the app's user, over TCP. */
const appOverTcp = ['-h', '127.0.0.1', '-p', '5432', '-U', 'app'];

describe('postgresAdapter', () => {
  it('passes the password in the environment only', () => {
    const commands = [
      ...postgresAdapter.readyChecks(credentials),
      postgresAdapter.dump(credentials, 'x').stream,
      postgresAdapter.countsQuery(credentials),
      postgresAdapter.query(credentials, 'select 1'),
    ];
    const restore = postgresAdapter.restore(credentials);
    if (restore.kind !== 'stdin') throw new Error('expected a stdin restore');
    commands.push(restore.command);
    for (const command of commands) expect(command.cmd.join(' ')).not.toContain('s3cret');
    expect(postgresAdapter.query(credentials, 'select 1').env).toEqual({ PGPASSWORD: 's3cret' });
  });

  it('dumps in the custom format over TCP and restores it in one transaction', () => {
    expect(postgresAdapter.dump(credentials, 'x').stream.cmd).toEqual([
      'pg_dump',
      ...appOverTcp,
      '-Fc',
      '-d',
      'appdb',
    ]);
    const restore = postgresAdapter.restore(credentials);
    expect(restore.kind === 'stdin' && restore.command.cmd).toEqual([
      'pg_restore',
      ...appOverTcp,
      '--clean',
      '--if-exists',
      '--no-owner',
      '--no-privileges',
      '--single-transaction',
      '--exit-on-error',
      '-d',
      'appdb',
    ]);
  });

  it('checks readiness with a real login after pg_isready', () => {
    const [isReady, login] = postgresAdapter.readyChecks(credentials);
    expect(isReady?.cmd[0]).toBe('pg_isready');
    expect(login?.cmd).toEqual(expect.arrayContaining(['psql', '-h', '127.0.0.1', '-c', 'select 1']));
  });

  it('configures the official image through its environment', () => {
    expect(postgresAdapter.containerEnv(credentials)).toEqual({
      POSTGRES_USER: 'app',
      POSTGRES_PASSWORD: 's3cret',
      POSTGRES_DB: 'appdb',
    });
    expect(postgresAdapter.dataDir).toBe('/var/lib/postgresql/data');
    expect(postgresAdapter.containerCmd(credentials)).toBeUndefined();
  });

  it('runs a statement as one argument with errors stopping psql', () => {
    expect(postgresAdapter.query(credentials, "select 'a b'").cmd.slice(-8)).toEqual([
      '-X',
      '-v',
      'ON_ERROR_STOP=1',
      '-At',
      '-d',
      'appdb',
      '-c',
      "select 'a b'",
    ]);
  });
});

describe('parsePostgresCounts', () => {
  it('reads NUL-separated table and count pairs, sorted by table', () => {
    expect(parsePostgresCounts('s2.t2\u00002\u0000public.we|ird\u00000\u0000')).toEqual([
      { table: 'public.we|ird', rows: 0 },
      { table: 's2.t2', rows: 2 },
    ]);
  });

  it('reads an empty database as no tables', () => {
    expect(parsePostgresCounts('')).toEqual([]);
    expect(parsePostgresCounts('\n')).toEqual([]);
  });

  it('rejects output that is not a count', () => {
    expect(() => parsePostgresCounts('public.a\u0000many\u0000')).toThrow('unexpected row count');
    expect(() => parsePostgresCounts('public.a\u0000')).toThrow('unexpected psql output');
  });
});
