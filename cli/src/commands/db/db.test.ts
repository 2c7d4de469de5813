import { describe, expect, it } from 'vitest';
import type { BackupView } from '../../../../src/shared/backups/backup.schema';
import { CliError, EXIT } from '../../lib/errors';
import { backupTable } from './backups';
import { confirmation } from './confirm';
import { createRequest } from './create';
import { deletedBackupTable } from './deleted';
import { describeEnv } from './describe-env';
import { destinationRequest } from './destination/add';
import { restoreLogLine } from './follow-restore';
import { linkPrefix } from './link';
import { drillTable, restoreRequest } from './restore';
import { restoreDeletedRequest } from './restore-deleted';
import { scheduleRequest } from './schedule/add';

/** The CliError `fn` throws (fails the test if it throws none). */
function usageError(fn: () => unknown): CliError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return error as CliError;
  }
  throw new Error('expected a CliError');
}

describe('createRequest', () => {
  it('leaves the prefix to the server by default and maps limits', () => {
    expect(createRequest('main', { engine: 'postgres', cpu: '0.5', memory: '256', link: true })).toEqual({
      name: 'main',
      engine: 'postgres',
      envPrefix: undefined,
      cpuLimit: 0.5,
      memoryLimitMb: 256,
    });
  });

  it('accepts memory with a unit', () => {
    expect(createRequest('cache', { engine: 'redis', memory: '1G' }).memoryLimitMb).toBe(1024);
    expect(createRequest('cache', { engine: 'redis', memory: '512Mi' }).memoryLimitMb).toBe(512);
  });

  it('passes --env-prefix, and null for --no-link', () => {
    expect(createRequest('main', { engine: 'postgres', envPrefix: 'PG' }).envPrefix).toBe('PG');
    expect(createRequest('main', { engine: 'postgres', link: false }).envPrefix).toBeNull();
  });

  it('refuses bad flags with a usage error naming the flag', () => {
    const both = usageError(() =>
      createRequest('main', { engine: 'postgres', envPrefix: 'PG', link: false }),
    );
    expect(both.exitCode).toBe(EXIT.usage);
    expect(usageError(() => createRequest('main', { engine: 'mongo' })).message).toMatch(/^--engine: /);
    expect(usageError(() => createRequest('main', { engine: 'postgres', cpu: 'lots' })).message).toMatch(
      /^--cpu: /,
    );
    expect(usageError(() => createRequest('main', { engine: 'postgres', cpu: '0' })).message).toMatch(
      /greater than 0/,
    );
    expect(usageError(() => createRequest('main', { engine: 'postgres', memory: '16' })).message).toBe(
      '--memory: at least 32 MiB',
    );
    expect(usageError(() => createRequest('main', { engine: 'postgres', envPrefix: 'db' })).message).toMatch(
      /^--env-prefix: .*upper-case/,
    );
    const name = usageError(() => createRequest('Main_DB', { engine: 'postgres' }));
    expect(name.message).toMatch(/^Database names are/);
  });
});

describe('linkPrefix', () => {
  it("defaults to the engine's prefix and validates a given one", () => {
    expect(linkPrefix('postgres', undefined)).toBe('DATABASE');
    expect(linkPrefix('redis', undefined)).toBe('REDIS');
    expect(linkPrefix('redis', 'CACHE')).toBe('CACHE');
    expect(usageError(() => linkPrefix('redis', 'cache')).exitCode).toBe(EXIT.usage);
  });
});

describe('confirmation', () => {
  it('proceeds with --yes, asks on a terminal, refuses in scripts', () => {
    expect(confirmation(true, false)).toBe('proceed');
    expect(confirmation(true, true)).toBe('proceed');
    expect(confirmation(undefined, true)).toBe('ask');
    expect(confirmation(false, false)).toBe('refuse');
  });
});

describe('describeEnv', () => {
  it('lists the env keys, or how to link', () => {
    expect(
      describeEnv({ name: 'main', envPrefix: 'DATABASE', envKeys: ['DATABASE_URL', 'DATABASE_HOST'] }),
    ).toBe('DATABASE_URL, DATABASE_HOST');
    expect(describeEnv({ name: 'main', envPrefix: null, envKeys: [] })).toBe(
      'not linked (rise db link main)',
    );
  });
});

describe('restoreRequest', () => {
  it('restores in place by default, into a new database with --into, or drills', () => {
    expect(restoreRequest('main', 'bk1', {})).toEqual({ database: 'main', backup: 'bk1', mode: 'in_place' });
    expect(restoreRequest('main', 'bk1', { into: 'main-copy' })).toEqual({
      database: 'main',
      backup: 'bk1',
      mode: 'new_database',
      into: 'main-copy',
    });
    expect(restoreRequest('main', 'bk1', { drill: true })).toEqual({
      database: 'main',
      backup: 'bk1',
      mode: 'drill',
    });
  });

  it('refuses --into with --drill, into itself, or an invalid name', () => {
    expect(usageError(() => restoreRequest('main', 'bk1', { into: 'x', drill: true })).exitCode).toBe(
      EXIT.usage,
    );
    expect(usageError(() => restoreRequest('main', 'bk1', { into: 'main' })).message).toMatch(/omit --into/);
    expect(usageError(() => restoreRequest('main', 'bk1', { into: 'Bad_Name' })).message).toMatch(
      /^--into: /,
    );
  });
});

describe('restoreDeletedRequest', () => {
  it('restores into the named new database', () => {
    expect(restoreDeletedRequest('bk1', { into: 'main' })).toEqual({ backup: 'bk1', into: 'main' });
  });

  it('refuses a missing or invalid --into', () => {
    expect(usageError(() => restoreDeletedRequest('bk1', {})).exitCode).toBe(EXIT.usage);
    expect(usageError(() => restoreDeletedRequest('bk1', { into: 'Bad_Name' })).message).toMatch(/^--into: /);
  });
});

describe('scheduleRequest', () => {
  it('maps flags, leaving destination and keep to the server defaults', () => {
    expect(scheduleRequest({ cron: '0 3 * * *' })).toEqual({
      cron: '0 3 * * *',
      destination: undefined,
      keepLast: undefined,
      maxAgeDays: null,
      encrypt: false,
    });
    expect(
      scheduleRequest({
        cron: '*/15 * * * *',
        destination: 'offsite',
        keep: '14',
        maxAgeDays: '30',
        encrypt: true,
      }),
    ).toEqual({ cron: '*/15 * * * *', destination: 'offsite', keepLast: 14, maxAgeDays: 30, encrypt: true });
  });

  it('takes --keep all with --max-age-days for age-only retention', () => {
    expect(scheduleRequest({ cron: '0 3 * * *', keep: 'all', maxAgeDays: '90' })).toMatchObject({
      keepLast: null,
      maxAgeDays: 90,
    });
    expect(usageError(() => scheduleRequest({ cron: '0 3 * * *', keep: 'all' })).message).toMatch(
      /--max-age-days/,
    );
  });

  it('explains bad cron expressions and counts', () => {
    expect(usageError(() => scheduleRequest({ cron: 'daily' })).message).toMatch(
      /^--cron: Expected a 5-field/,
    );
    expect(usageError(() => scheduleRequest({ cron: '0 0 3 * * *' })).message).toMatch(/^--cron: /);
    expect(usageError(() => scheduleRequest({ cron: '0 3 * * *', keep: '0' })).message).toMatch(/^--keep: /);
    expect(usageError(() => scheduleRequest({ cron: '0 3 * * *', maxAgeDays: '1.5' })).message).toMatch(
      /^--max-age-days: expected a whole number of days/,
    );
    expect(usageError(() => scheduleRequest({ cron: '0 3 * * *', destination: 'Off Site' })).message).toMatch(
      /^--destination: /,
    );
  });
});

const backup = (overrides: Partial<BackupView>): BackupView => ({
  id: 'bk1',
  database: 'main',
  scheduleId: null,
  destination: 'local',
  status: 'succeeded',
  trigger: 'manual',
  sizeBytes: 2048,
  sha256: 'abc',
  encrypted: false,
  durationMs: 1500,
  error: null,
  createdAt: new Date('2026-11-22T03:00:00Z'),
  finishedAt: new Date('2026-11-22T03:00:02Z'),
  ...overrides,
});

/** The backup history's columns (without ERROR: no backup failed). */
const BACKUP_TITLES = ['ID', 'STATUS', 'TRIGGER', 'SIZE', 'DURATION', 'DESTINATION', 'CREATED'];

describe('backupTable', () => {
  it('prints sizes and durations readably', () => {
    const { columns, rows } = backupTable([backup({ encrypted: true })]);
    expect(columns.map((c) => c.title)).toEqual(BACKUP_TITLES);
    expect(rows).toEqual([
      ['bk1', 'succeeded', 'manual', '2 KiB (enc)', '1.5 s', 'local', '2026-11-22 03:00 UTC'],
    ]);
  });

  it('adds the first line of the error for failed backups', () => {
    const { columns, rows } = backupTable([
      backup({}),
      backup({
        id: 'bk2',
        status: 'failed',
        sizeBytes: null,
        durationMs: null,
        error: 'pg_dump: gone\nmore',
      }),
    ]);
    expect(columns.at(-1)?.title).toBe('ERROR');
    expect(rows[0]?.at(-1)).toBe('');
    expect(rows[1]).toEqual([
      'bk2',
      'failed',
      'manual',
      '-',
      '-',
      'local',
      '2026-11-22 03:00 UTC',
      'pg_dump: gone',
    ]);
  });
});

describe('deletedBackupTable', () => {
  it('adds the DATABASE each backup was of after the ID', () => {
    const { columns, rows } = deletedBackupTable([backup({}), backup({ id: 'bk2', database: null })]);
    expect(columns.map((c) => c.title)).toEqual(['ID', 'DATABASE', ...BACKUP_TITLES.slice(1)]);
    expect(rows).toEqual([
      ['bk1', 'main', 'succeeded', 'manual', '2 KiB', '1.5 s', 'local', '2026-11-22 03:00 UTC'],
      ['bk2', '-', 'succeeded', 'manual', '2 KiB', '1.5 s', 'local', '2026-11-22 03:00 UTC'],
    ]);
  });
});

describe('drillTable', () => {
  it('lists tables and names the ones whose counts differ', () => {
    expect(
      drillTable({
        passed: false,
        tables: [
          { table: 'users', expected: 3, restored: 3 },
          { table: 'orders', expected: 10, restored: 9 },
          { table: 'gone', expected: 1, restored: null },
        ],
      }),
    ).toEqual({
      rows: [
        ['users', '3', '3'],
        ['orders', '10', '9'],
        ['gone', '1', '-'],
      ],
      mismatched: ['orders', 'gone'],
    });
  });
});

describe('restoreLogLine', () => {
  it('shows the time, and the level unless info', () => {
    const at = new Date('2026-11-22T07:18:42.123Z');
    expect(restoreLogLine({ at, level: 'info', message: 'restoring' })).toBe('07:18:42 restoring');
    expect(restoreLogLine({ at, level: 'error', message: 'boom' })).toBe('07:18:42 ERROR boom');
  });
});

describe('destinationRequest', () => {
  it('maps a local destination', () => {
    expect(destinationRequest('nightly', { local: true, path: 'nightly/db' }, {})).toEqual({
      kind: 'local',
      name: 'nightly',
      path: 'nightly/db',
    });
    expect(destinationRequest('here', { local: true }, {})).toEqual({
      kind: 'local',
      name: 'here',
      path: '',
    });
  });

  it('takes S3 credentials from the environment or stdin, never argv', () => {
    const env = { RISE_S3_ACCESS_KEY_ID: 'AKIA1', RISE_S3_SECRET_ACCESS_KEY: 'from-env' };
    expect(
      destinationRequest(
        'offsite',
        { s3: true, bucket: 'my-backups', endpoint: 'http://minio:9000', prefix: 'rise', pathStyle: true },
        env,
      ),
    ).toEqual({
      kind: 's3',
      name: 'offsite',
      bucket: 'my-backups',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      prefix: 'rise',
      forcePathStyle: true,
      accessKeyId: 'AKIA1',
      secretAccessKey: 'from-env',
    });
    const piped = destinationRequest(
      'offsite',
      {
        s3: true,
        bucket: 'my-backups',
        accessKeyId: 'AKIA2',
        secretAccessKeyStdin: true,
        region: 'eu-west-1',
      },
      env,
      'from-stdin',
    );
    expect(piped).toMatchObject({ accessKeyId: 'AKIA2', secretAccessKey: 'from-stdin', region: 'eu-west-1' });
  });

  it('gives actionable errors', () => {
    expect(usageError(() => destinationRequest('x', {}, {})).message).toMatch(/--local .* or --s3/);
    expect(usageError(() => destinationRequest('x', { local: true, s3: true }, {})).exitCode).toBe(
      EXIT.usage,
    );
    expect(usageError(() => destinationRequest('x', { local: true, bucket: 'b' }, {})).message).toBe(
      '--bucket only apply to --s3 destinations.',
    );
    expect(usageError(() => destinationRequest('x', { local: true, path: '../etc' }, {})).message).toMatch(
      /^--path: /,
    );
    expect(usageError(() => destinationRequest('x', { s3: true }, {})).message).toMatch(/--bucket/);
    expect(usageError(() => destinationRequest('x', { s3: true, bucket: 'bkt' }, {})).message).toMatch(
      /RISE_S3_ACCESS_KEY_ID/,
    );
    expect(
      usageError(() => destinationRequest('x', { s3: true, bucket: 'bkt' }, { RISE_S3_ACCESS_KEY_ID: 'a' }))
        .message,
    ).toMatch(/RISE_S3_SECRET_ACCESS_KEY/);
    expect(
      usageError(() =>
        destinationRequest(
          'x',
          { s3: true, bucket: 'bkt', secretAccessKeyStdin: true },
          { RISE_S3_ACCESS_KEY_ID: 'a' },
          '',
        ),
      ).message,
    ).toMatch(/stdin/);
    const env = { RISE_S3_ACCESS_KEY_ID: 'a', RISE_S3_SECRET_ACCESS_KEY: 's' };
    expect(usageError(() => destinationRequest('x', { s3: true, bucket: 'B!' }, env)).message).toMatch(
      /^--bucket: /,
    );
    expect(
      usageError(() => destinationRequest('x', { s3: true, bucket: 'bkt', endpoint: 'minio' }, env)).message,
    ).toMatch(/^--endpoint: /);
    expect(usageError(() => destinationRequest('Bad Name', { local: true }, {})).message).toMatch(
      /^Destination names are/,
    );
  });
});
