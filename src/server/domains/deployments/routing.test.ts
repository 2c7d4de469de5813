import { describe, expect, it } from 'vitest';
import { desiredRoute, routable, routedHosts } from './routing';
import { testEngineSettings } from './testing/test-engine-settings';

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

describe('the route the database asks for', () => {
  const settings = testEngineSettings({ baseDomain: 'localhost' });
  const project = {
    id: 'p1',
    name: 'shop',
    port: 8080,
    healthPath: '/health',
    visibility: 'public' as const,
    slotPortA: 20001,
    slotPortB: 20002,
    domains: [],
    desiredState: 'running' as const,
    activeDeployment: { id: 'd2', slot: 'b' as const, status: 'healthy' as const },
  };

  it("sends traffic to the active deployment's slot only", () => {
    expect(desiredRoute(project, settings)).toMatchObject({
      state: 'running',
      upstream: '127.0.0.1:20002',
      activeDeploymentId: 'd2',
    });
    expect(
      desiredRoute({ ...project, activeDeployment: { id: 'd3', slot: 'a', status: 'unhealthy' } }, settings),
    ).toMatchObject({ state: 'running', upstream: '127.0.0.1:20001', activeDeploymentId: 'd3' });
  });

  it('is the stopped page when the project is stopped or nothing live is active', () => {
    for (const variant of [
      { ...project, desiredState: 'stopped' as const },
      { ...project, activeDeployment: null },
      { ...project, activeDeployment: { id: 'd2', slot: 'b' as const, status: 'superseded' as const } },
      { ...project, activeDeployment: { id: 'd2', slot: null, status: 'healthy' as const } },
    ]) {
      expect(desiredRoute(variant, settings)).toMatchObject({
        state: 'stopped',
        upstream: null,
        activeDeploymentId: null,
      });
    }
  });

  it('waits for slot ports in host mode, not in network mode', () => {
    expect(routable({ slotPortA: null, slotPortB: null }, settings)).toBe(false);
    expect(routable({ slotPortA: null, slotPortB: null }, { ...settings, upstreamMode: 'network' })).toBe(
      true,
    );
    expect(routable({ slotPortA: 1, slotPortB: 2 }, settings)).toBe(true);
  });
});
