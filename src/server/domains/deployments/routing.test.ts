import { describe, expect, it } from 'vitest';
import { routedHosts } from './routing';

const platform = {
  riseHost: 'rise.example.com',
  registryHost: 'registry.example.com',
  baseDomain: 'apps.example.com',
};
const verified = new Date();

describe('routed hosts', () => {
  it('are the default host and the verified custom domains only', () => {
    const project = {
      name: 'shop',
      domains: [
        { hostname: 'www.shop.example.org', verifiedAt: verified },
        { hostname: 'pending.example.org', verifiedAt: null },
      ],
    };
    expect(routedHosts(project, 'apps.example.com', platform)).toEqual([
      'shop.apps.example.com',
      'www.shop.example.org',
    ]);
  });

  it("never include Rise's own names, even from a verified row of an older Rise", () => {
    const project = {
      name: 'evil',
      domains: [
        { hostname: 'rise.example.com', verifiedAt: verified },
        { hostname: 'registry.example.com', verifiedAt: verified },
        { hostname: 'other.apps.example.com', verifiedAt: verified },
      ],
    };
    expect(routedHosts(project, 'apps.example.com', platform)).toEqual(['evil.apps.example.com']);
  });
});
