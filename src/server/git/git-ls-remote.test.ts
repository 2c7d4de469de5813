import { describe, expect, it } from 'vitest';
import { listRemoteRefs, parseLsRemote } from './git-ls-remote';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

describe('parseLsRemote', () => {
  it('lists branches then tags by name; an annotated tag takes its commit (the ^{} line)', () => {
    const output = [
      `${A}\trefs/heads/main`,
      `${B}\trefs/heads/feature/login`,
      `${A}\trefs/tags/v1`,
      `${C}\trefs/tags/v2`,
      `${B}\trefs/tags/v2^{}`,
      `${A}\trefs/heads/develop`,
      '',
    ].join('\n');
    expect(parseLsRemote(output)).toEqual([
      { name: 'develop', sha: A, kind: 'branch' },
      { name: 'feature/login', sha: B, kind: 'branch' },
      { name: 'main', sha: A, kind: 'branch' },
      { name: 'v1', sha: A, kind: 'tag' },
      { name: 'v2', sha: B, kind: 'tag' },
    ]);
  });

  it('takes the peeled commit whichever order the lines come in', () => {
    expect(parseLsRemote(`${B}\trefs/tags/v2^{}\n${C}\trefs/tags/v2\n`)).toEqual([
      { name: 'v2', sha: B, kind: 'tag' },
    ]);
  });

  it('skips HEAD, pull request refs, warnings and malformed lines; keeps sha-256 ids', () => {
    const sha256 = 'd'.repeat(64);
    const output = [
      `${A}\tHEAD`,
      `${A}\trefs/pull/7/head`,
      'warning: redirecting to https://example.test/app.git/',
      `${A.slice(0, 39)}\trefs/heads/short`,
      `${A} refs/heads/spaces`,
      `${sha256}\trefs/heads/main`,
    ].join('\r\n');
    expect(parseLsRemote(output)).toEqual([{ name: 'main', sha: sha256, kind: 'branch' }]);
  });

  it('is empty for an empty repository', () => {
    expect(parseLsRemote('')).toEqual([]);
  });
});

describe('listRemoteRefs', () => {
  it('refuses a URL that is not a git remote before running git', async () => {
    await expect(listRemoteRefs({ url: 'file:///etc', auth: { kind: 'none' } })).rejects.toThrow(
      "Git URL scheme 'file:' is not supported: use https, ssh or git.",
    );
  });
});
