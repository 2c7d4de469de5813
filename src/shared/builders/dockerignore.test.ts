import { describe, expect, it } from 'vitest';
import { DockerIgnore } from './dockerignore';

describe('DockerIgnore', () => {
  const ignore = new DockerIgnore(
    [
      '# comment',
      'node_modules',
      '/.git/',
      '*.log',
      'docs/**/*.md',
      '!docs/keep.md',
      'tmp?',
      '[ab].txt',
    ].join('\n'),
  );

  it.each([
    ['node_modules', true],
    ['node_modules/x/index.js', true],
    ['.git/HEAD', true],
    ['error.log', true],
    ['logs/error.log', false],
    ['docs/a/b.md', true],
    ['docs/b.md', true],
    ['docs/keep.md', false],
    ['tmp1', true],
    ['tmp12', false],
    ['a.txt', true],
    ['c.txt', false],
    ['src/index.js', false],
  ])('%s ignored: %s', (file, expected) => {
    expect(ignore.ignores(file)).toBe(expected);
  });

  it('reports exceptions', () => {
    expect(ignore.hasExceptions).toBe(true);
    expect(new DockerIgnore('node_modules\n').hasExceptions).toBe(false);
  });
});
