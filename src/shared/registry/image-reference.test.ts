import { describe, expect, it } from 'vitest';
import {
  apiRepositoryOf,
  imageReferenceProblem,
  loginHostOf,
  normalizeRegistryHost,
  parseImageReference,
  parseImageReferenceOrId,
  pinnedReference,
  RegistryHostError,
  splitHostPort,
} from './image-reference';

const sha256 = `sha256:${'f'.repeat(64)}`;
const sha512 = `sha512:${'f'.repeat(128)}`;

describe('parseImageReference', () => {
  it('parses registry, repository, tag and digest', () => {
    expect(parseImageReference('registry.rise.dev/secret-app:20261122-0132-k3f9')).toEqual({
      registry: 'registry.rise.dev',
      repository: 'secret-app',
      tag: '20261122-0132-k3f9',
      digest: null,
    });
    expect(parseImageReference(`127.0.0.1:5000/team/app@${sha256}`)).toEqual({
      registry: '127.0.0.1:5000',
      repository: 'team/app',
      tag: null,
      digest: sha256,
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
    expect(apiRepositoryOf(parseImageReference('nginx'))).toBe('library/nginx');
    expect(apiRepositoryOf(parseImageReference('team/app'))).toBe('team/app');
  });

  it('pins by digest', () => {
    expect(pinnedReference(parseImageReference('127.0.0.1:5000/app:v1'), sha256)).toBe(
      `127.0.0.1:5000/app@${sha256}`,
    );
  });

  // The valid vectors of distribution/reference's reference_test.go (TestReferenceParse).
  it.each([
    ['test_com', { registry: null, repository: 'test_com', tag: null, digest: null }],
    ['test.com:tag', { registry: null, repository: 'test.com', tag: 'tag' }],
    ['test.com:5000', { registry: null, repository: 'test.com', tag: '5000' }],
    ['test.com/repo:tag', { registry: 'test.com', repository: 'repo', tag: 'tag' }],
    ['test:5000/repo', { registry: 'test:5000', repository: 'repo', tag: null }],
    ['test:5000/repo:tag', { registry: 'test:5000', repository: 'repo', tag: 'tag' }],
    [`test:5000/repo@${sha256}`, { registry: 'test:5000', repository: 'repo', digest: sha256 }],
    [`test:5000/repo:tag@${sha256}`, { registry: 'test:5000', tag: 'tag', digest: sha256 }],
    [`repo@${sha256}`, { registry: null, repository: 'repo', digest: sha256 }],
    ['lowercase:Uppercase', { repository: 'lowercase', tag: 'Uppercase' }],
    ['sub-dom1.foo.com/bar/baz/quux', { registry: 'sub-dom1.foo.com', repository: 'bar/baz/quux' }],
    ['sub-dom1.foo.com/bar/baz/quux:some-long-tag', { tag: 'some-long-tag' }],
    [
      'b.gcr.io/test.example.com/my-app:test.example.com',
      { registry: 'b.gcr.io', repository: 'test.example.com/my-app', tag: 'test.example.com' },
    ],
    ['xn--n3h.com/myimage:xn--n3h.com', { registry: 'xn--n3h.com', tag: 'xn--n3h.com' }],
    [`xn--7o8h.com/myimage:xn--7o8h.com@${sha512}`, { registry: 'xn--7o8h.com', digest: sha512 }],
    ['foo_bar.com:8080', { registry: null, repository: 'foo_bar.com', tag: '8080' }],
    ['foo/foo_bar.com:8080', { registry: null, repository: 'foo/foo_bar.com', tag: '8080' }],
    ['192.168.1.1/repo', { registry: '192.168.1.1', repository: 'repo' }],
    ['192.168.1.1:5/repo', { registry: '192.168.1.1:5' }],
    ['[2001:db8::1]/repo', { registry: '[2001:db8::1]', repository: 'repo' }],
    ['[2001:db8:1:2:3:4:5:6]/repo:tag', { registry: '[2001:db8:1:2:3:4:5:6]', tag: 'tag' }],
    ['[2001:db8::1]:5000/repo', { registry: '[2001:db8::1]:5000' }],
    ['[2001:db8::1]:5000/repo:tag', { registry: '[2001:db8::1]:5000', tag: 'tag' }],
    [`[2001:db8::1]:5000/repo@${sha256}`, { digest: sha256 }],
    ['[2001:db8::]:5000/repo', { registry: '[2001:db8::]:5000' }],
    ['[::1]:5000/repo', { registry: '[::1]:5000' }],
    ['a__b/c.d-e', { repository: 'a__b/c.d-e' }],
    ['a---b', { repository: 'a---b' }],
    [`${'a/'.repeat(127)}a:tag-puts-this-over-max`, { tag: 'tag-puts-this-over-max' }],
  ])('accepts %s', (reference, expected) => {
    expect(parseImageReference(reference)).toMatchObject(expected);
    expect(imageReferenceProblem(reference)).toBeNull();
  });

  // The invalid vectors of the same file, plus the attacks of issue 12; each names the wrong part.
  it.each([
    ['', /the reference is empty/],
    [':justtag', /the name is missing/],
    [`@${sha256}`, /the name is missing/],
    [`validname@invaliddigest:${'f'.repeat(64)}`, /digest algorithm 'invaliddigest' is not supported/],
    ['validname@sha256:abc', /digest 'sha256:abc' is not algorithm:hex/],
    [`validname@sha256:${'F'.repeat(64)}`, /64 lowercase hex digits/],
    ['Uppercase:tag', /path component 'Uppercase' must be lowercase/],
    ['test:5000/Uppercase/lowercase:tag', /path component 'Uppercase' must be lowercase/],
    [`${'a/'.repeat(128)}a:tag`, /the name is 257 characters long; at most 255/],
    ['aa/asdf$$^/aa', /path component 'asdf\$\$\^' must be lowercase letters and digits/],
    ['[fe80::1%eth0]:5000/repo', /registry host '\[fe80::1%eth0\]' is not a bracketed IPv6/],
    ['[2001:db8:3:4::192.0.2.33]:5000/repo', /is not a bracketed IPv6/],
    ['[2001:db8::1]', /tag .* must be/],
    ['[2001:db8::1]:5000', /tag .* must be/],
    ['[2001:db8::1]:tag', /tag .* must be/],
    [`${'a'.repeat(64)}:tag`, /cannot be 64 hex digits/],
    ['a/../../etc', /path component '\.\.' must be lowercase letters and digits/],
    ['../etc', /registry host '\.\.' is not a domain name/],
    ['a//b', /path component '' is empty/],
    ['a/b/', /tag|path component '' is empty/],
    ['app:.hidden', /tag '\.hidden' must be/],
    [`app:${'t'.repeat(129)}`, /tag 't{80}…' must be 1-128/],
    ['-bad.example.com/app', /path component '-bad\.example\.com'|registry host/],
    ['bad_host.example.com/app', /registry host 'bad_host\.example\.com' is not a domain name/],
    ['registry.example.com:99999/app', /registry port '99999' is not a port number/],
    ['registry.example.com:/app', /registry port '' is not a port number/],
    ['app@sha256', /digest 'sha256' is not algorithm:hex/],
    ['a b', /path component 'a b'/],
    ['a\nb', /path component/],
    [`x${'/x'.repeat(600)}`, /the reference is 1201 characters long/],
  ])('refuses %j', (reference, message) => {
    expect(() => parseImageReference(reference)).toThrow(message);
    expect(imageReferenceProblem(reference)).toMatch(message);
  });

  it('recognises image ids', () => {
    expect(parseImageReferenceOrId(`sha256:${'a'.repeat(64)}`)).toEqual({ id: `sha256:${'a'.repeat(64)}` });
    expect(parseImageReferenceOrId('a'.repeat(64))).toEqual({ id: `sha256:${'a'.repeat(64)}` });
    expect(() => parseImageReference(`sha256:${'a'.repeat(64)}`)).toThrow(/is an image id/);
    // A short id is grammatically a name: only the engine can tell (the worker checks it there).
    expect(parseImageReferenceOrId('abc123def456')).toMatchObject({
      registry: null,
      repository: 'abc123def456',
    });
  });

  it('splits host and port', () => {
    expect(splitHostPort('127.0.0.1:5000')).toEqual({ host: '127.0.0.1', port: 5000 });
    expect(splitHostPort('[::1]:5000')).toEqual({ host: '::1', port: 5000 });
    expect(splitHostPort('[::1]')).toEqual({ host: '::1', port: null });
    expect(splitHostPort('registry.example.com')).toEqual({ host: 'registry.example.com', port: null });
  });
});

describe('normalizeRegistryHost', () => {
  it('lowercases, and names Docker Hub docker.io whichever of its hosts is given', () => {
    expect(normalizeRegistryHost('Registry.Example.com:5000')).toBe('registry.example.com:5000');
    expect(normalizeRegistryHost(' ghcr.io ')).toBe('ghcr.io');
    expect(normalizeRegistryHost('INDEX.docker.io')).toBe('docker.io');
    expect(normalizeRegistryHost('registry-1.docker.io')).toBe('docker.io');
    expect(normalizeRegistryHost('localhost')).toBe('localhost');
    expect(normalizeRegistryHost('[FD00::1]:5000')).toBe('[fd00::1]:5000');
    expect(normalizeRegistryHost('127.0.0.1:5001')).toBe('127.0.0.1:5001');
  });

  it.each([
    ['', /is empty/],
    ['https://ghcr.io', /host\[:port\] only/],
    ['ghcr.io/team', /host\[:port\] only/],
    ['user@ghcr.io', /host\[:port\] only/],
    ['myregistry', /single word.*myregistry\.example\.com or myregistry:5000/],
    ['ghcr.io:99999', /port '99999'/],
    ['-bad-.example', /is not a domain name/],
    ['[fe80::1%eth0]', /bracketed IPv6/],
  ])('refuses %j, saying why', (host, reason) => {
    expect(() => normalizeRegistryHost(host)).toThrow(RegistryHostError);
    expect(() => normalizeRegistryHost(host)).toThrow(reason);
  });

  it('keys a reference the same way as a login', () => {
    expect(loginHostOf(parseImageReference('nginx'))).toBe('docker.io');
    expect(loginHostOf(parseImageReference('index.docker.io/library/nginx'))).toBe('docker.io');
    expect(loginHostOf(parseImageReference('Registry.Example.com:5000/app:v1'))).toBe(
      normalizeRegistryHost('registry.example.com:5000'),
    );
  });
});
