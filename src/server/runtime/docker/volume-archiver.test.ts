import { describe, expect, it } from 'vitest';
import { compareChecksums } from '@/server/domains/backups/volume-backup';
import { parseChecksums } from './volume-archiver';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('parseChecksums', () => {
  it('reads sha256sum lines, paths relative to the volume, sorted', () => {
    expect(parseChecksums(`${B}  ./z/two words.txt\n${A}  ./a.txt\n\n`)).toEqual([
      { path: 'a.txt', sha256: A },
      { path: 'z/two words.txt', sha256: B },
    ]);
    expect(parseChecksums('')).toEqual([]);
  });

  it('refuses output it does not understand', () => {
    expect(() => parseChecksums('sha256sum: ./x: Permission denied')).toThrow(
      'unexpected sha256sum output: "sha256sum: ./x: Permission denied"',
    );
  });
});

describe('compareChecksums', () => {
  it('names missing, extra and changed files', () => {
    const expected = [
      { path: 'kept', sha256: A },
      { path: 'changed', sha256: A },
      { path: 'gone', sha256: A },
    ];
    const actual = [
      { path: 'kept', sha256: A },
      { path: 'changed', sha256: B },
      { path: 'new', sha256: A },
    ];
    expect(compareChecksums(expected, actual)).toEqual({
      missing: ['gone'],
      extra: ['new'],
      changed: ['changed'],
    });
    expect(compareChecksums(expected, expected)).toEqual({ missing: [], extra: [], changed: [] });
  });
});
