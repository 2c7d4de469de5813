import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  backupDestinationSchema,
  createBackupStore,
  redactBackupDestination,
} from './backup-destination.schema';
import { assertValidKey, assertValidPrefix, BackupStoreError } from './backup-store';
import { LocalDirectoryStore } from './local-directory-store';
import { S3Store } from './s3-store';

describe('assertValidKey', () => {
  it.each(['a', 'db/2026-01-01T00-00-00Z.dump', 'schedule-1/backup-2.sql.gz', 'a/.hidden', 'a/..b'])(
    'accepts %s',
    (key) => {
      expect(assertValidKey(key)).toBe(key);
    },
  );

  it.each([
    '',
    '/etc/passwd',
    '../x',
    'a/../../x',
    'a/..',
    '..',
    '.',
    'a/./b',
    'a//b',
    'a/',
    'a\\..\\b',
    'C:/x',
    'a\u0000b',
    'x'.repeat(1025),
  ])('rejects %j', (key) => {
    expect(() => assertValidKey(key)).toThrow(BackupStoreError);
  });

  it('allows an empty or slash-terminated prefix but not an escaping one', () => {
    expect(assertValidPrefix('')).toBe('');
    expect(assertValidPrefix('db/')).toBe('db/');
    expect(assertValidPrefix('db/back')).toBe('db/back');
    expect(() => assertValidPrefix('../')).toThrow(BackupStoreError);
  });
});

describe('LocalDirectoryStore.pathFor', () => {
  const store = new LocalDirectoryStore(mkdtempSync(join(tmpdir(), 'rise-keys-')));

  it('maps keys inside the root', () => {
    expect(store.pathFor('a/b.dump')).toBe(join(store.root, 'a', 'b.dump'));
  });

  it.each(['../outside', '/abs', 'a/../../b', '.rise-backup-store/meta/x.json'])('rejects %s', (key) => {
    expect(() => store.pathFor(key)).toThrow(BackupStoreError);
  });

  it('requires an absolute root', () => {
    expect(() => new LocalDirectoryStore('relative/dir')).toThrow(BackupStoreError);
  });
});

describe('S3Store.objectKey', () => {
  it('joins the normalized prefix', () => {
    const opts = { region: 'us-east-1', bucket: 'b', accessKeyId: 'k', secretAccessKey: 's' };
    expect(new S3Store({ ...opts, prefix: '/rise/backups/' }).objectKey('x/y')).toBe('rise/backups/x/y');
    expect(new S3Store(opts).objectKey('x')).toBe('x');
    expect(() => new S3Store(opts).objectKey('../x')).toThrow(BackupStoreError);
    expect(() => new S3Store({ ...opts, prefix: '../up' })).toThrow(BackupStoreError);
  });
});

describe('backupDestinationSchema', () => {
  it('parses local and s3 configs and creates the matching store', () => {
    const local = backupDestinationSchema.parse({ kind: 'local', path: '/var/backups' });
    expect(createBackupStore(local).kind).toBe('local');
    const s3 = backupDestinationSchema.parse({
      kind: 's3',
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      bucket: 'backups',
      prefix: 'rise',
      accessKeyId: 'AKIA',
      secretAccessKey: 'secret',
      forcePathStyle: true,
    });
    expect(createBackupStore(s3).kind).toBe('s3');
  });

  it('rejects incomplete or unsafe configs', () => {
    expect(backupDestinationSchema.safeParse({ kind: 'local', path: 'relative' }).success).toBe(false);
    expect(backupDestinationSchema.safeParse({ kind: 's3', region: 'x', bucket: 'backups' }).success).toBe(
      false,
    );
    expect(backupDestinationSchema.safeParse({ kind: 'ftp', path: '/x' }).success).toBe(false);
    expect(
      backupDestinationSchema.safeParse({
        kind: 's3',
        region: 'x',
        bucket: 'backups',
        prefix: 'a/../b',
        accessKeyId: 'k',
        secretAccessKey: 's',
      }).success,
    ).toBe(false);
  });

  it('does not echo the secret in validation errors and can redact it', () => {
    const result = backupDestinationSchema.safeParse({
      kind: 's3',
      region: '',
      bucket: 'backups',
      accessKeyId: 'k',
      secretAccessKey: 'very-secret-value',
    });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error)).not.toContain('very-secret-value');
    const redacted = redactBackupDestination({
      kind: 's3',
      region: 'r',
      bucket: 'backups',
      accessKeyId: 'k',
      secretAccessKey: 'very-secret-value',
    });
    expect(JSON.stringify(redacted)).not.toContain('very-secret-value');
  });
});
