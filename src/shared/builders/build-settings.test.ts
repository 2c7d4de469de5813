import { describe, expect, it } from 'vitest';
import { DEFAULT_BASE_IMAGES } from './auto/generate';
import { describeBaseImages, resolveBaseImages } from './build-settings';

describe('resolveBaseImages', () => {
  it('takes .rise.toml over the server, the server over the built-in defaults, per setting', () => {
    const resolved = resolveBaseImages({
      riseToml: { node: 'toml/node:1', staticCommand: ['serve', '/www'] },
      server: { node: 'server/node:1', python: 'server/python:1', staticRoot: '/www' },
    });
    expect(resolved.images).toEqual({
      ...DEFAULT_BASE_IMAGES,
      node: 'toml/node:1',
      python: 'server/python:1',
      staticRoot: '/www',
      staticCommand: ['serve', '/www'],
    });
    expect(resolved.sources).toEqual({
      node: '.rise.toml',
      python: 'server',
      go: 'built-in',
      runtime: 'built-in',
      static: 'built-in',
      staticRoot: 'server',
      staticCommand: '.rise.toml',
    });
  });

  it('uses the built-in defaults when there is no server answer', () => {
    expect(resolveBaseImages({ server: null }).images).toEqual(DEFAULT_BASE_IMAGES);
  });

  it('describes each setting with its .rise.toml key and where it came from', () => {
    const lines = describeBaseImages(resolveBaseImages({ riseToml: { node: 'n:1' }, server: { go: 'g:1' } }));
    expect(lines).toContain('  node_image = n:1 (from .rise.toml)');
    expect(lines).toContain("  go_image = g:1 (the Rise server's default)");
    expect(lines).toContain('  python_image = python:3.12-slim (built-in default)');
    expect(lines).toContain(
      '  static_command = ["caddy","file-server","--root","/srv","--listen",":8080"] (built-in default)',
    );
  });
});
