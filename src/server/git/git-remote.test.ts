import { describe, expect, it } from 'vitest';
import { gitRemoteEndpoint } from './git-remote';

describe('gitRemoteEndpoint', () => {
  it.each([
    ['https://github.com/acme/app.git', { scheme: 'https', host: 'github.com', port: 443 }],
    ['http://127.0.0.1:8081/app.git', { scheme: 'http', host: '127.0.0.1', port: 8081 }],
    ['ssh://git@gitlab.example:2222/acme/app.git', { scheme: 'ssh', host: 'gitlab.example', port: 2222 }],
    ['git@github.com:acme/app.git', { scheme: 'ssh', host: 'github.com', port: 22 }],
    ['git://127.0.0.1:9418/app.git', { scheme: 'git', host: '127.0.0.1', port: 9418 }],
    ['https://[::1]:3000/app.git', { scheme: 'https', host: '::1', port: 3000 }],
  ])('%s connects to its host and port', (url, endpoint) => {
    expect(gitRemoteEndpoint(url)).toEqual(endpoint);
  });

  it('refuses credentials in an https URL, other schemes and non-URLs', () => {
    expect(() => gitRemoteEndpoint('https://user:secret@github.com/acme/app.git')).toThrow(
      'must not carry credentials',
    );
    expect(() => gitRemoteEndpoint('file:///etc/app.git')).toThrow("scheme 'file:' is not supported");
    expect(() => gitRemoteEndpoint('ext::sh -c id')).toThrow();
    expect(() => gitRemoteEndpoint('not a url')).toThrow('is not a git URL');
  });
});
