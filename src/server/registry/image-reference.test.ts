import { describe, expect, it } from 'vitest';
import { parseImageReference, pinnedReference } from './image-reference';

describe('parseImageReference', () => {
  it('parses registry, repository, tag and digest', () => {
    expect(parseImageReference('registry.rise.dev/secret-app:20261122-0132-k3f9')).toEqual({
      registry: 'registry.rise.dev',
      repository: 'secret-app',
      tag: '20261122-0132-k3f9',
      digest: null,
    });
    expect(parseImageReference('127.0.0.1:5000/team/app@sha256:abc')).toEqual({
      registry: '127.0.0.1:5000',
      repository: 'team/app',
      tag: null,
      digest: 'sha256:abc',
    });
    expect(parseImageReference('localhost/app:v1').registry).toBe('localhost');
  });

  it('treats short names as registry-less', () => {
    expect(parseImageReference('rise-test/app:v1')).toEqual({
      registry: null,
      repository: 'rise-test/app',
      tag: 'v1',
      digest: null,
    });
    expect(parseImageReference('nginx')).toMatchObject({ registry: null, repository: 'nginx', tag: null });
  });

  it('pins by digest', () => {
    expect(pinnedReference(parseImageReference('127.0.0.1:5000/app:v1'), 'sha256:abc')).toBe(
      '127.0.0.1:5000/app@sha256:abc',
    );
  });
});
