import { describe, expect, it } from 'vitest';
import { parseBasicAuth, parseScope, parseTokenRequest } from './token-service';

describe('registry token request parsing', () => {
  it('reads repeated scope parameters, service and account', () => {
    const params = new URLSearchParams();
    params.set('account', 'alice');
    params.set('service', 'rise-registry');
    params.append('scope', 'repository:project-b:push,pull');
    params.append('scope', 'repository:project-a:pull');
    expect(parseTokenRequest(params)).toEqual({
      account: 'alice',
      service: 'rise-registry',
      scopes: [
        { type: 'repository', name: 'project-b', actions: ['push', 'pull'] },
        { type: 'repository', name: 'project-a', actions: ['pull'] },
      ],
    });
  });

  it('keeps names with colons and slashes, ignores malformed scopes', () => {
    expect(parseScope('repository:host:5000/a/b:pull')).toEqual({
      type: 'repository',
      name: 'host:5000/a/b',
      actions: ['pull'],
    });
    expect(parseScope('registry:catalog:*')).toEqual({ type: 'registry', name: 'catalog', actions: ['*'] });
    expect(parseScope('nonsense')).toBeNull();
    expect(parseTokenRequest(new URLSearchParams('scope=bad')).scopes).toEqual([]);
  });

  it('decodes Basic credentials whose password contains colons', () => {
    const header = `Basic ${Buffer.from('alice:pa:ss').toString('base64')}`;
    expect(parseBasicAuth(header)).toEqual({ username: 'alice', password: 'pa:ss' });
    expect(parseBasicAuth('Bearer x')).toBeNull();
    expect(parseBasicAuth(null)).toBeNull();
  });
});
