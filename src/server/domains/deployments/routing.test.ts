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

  it("balances over the active deployment's routed web replicas: their host ports, or their aliases", () => {
    const replicated = {
      ...project,
      replicaPorts: [
        { slot: 'b' as const, replica: 1, port: 20005 },
        { slot: 'b' as const, replica: 2, port: 20006 },
        { slot: 'a' as const, replica: 1, port: 20007 },
      ],
      activeDeployment: { id: 'd2', slot: 'b' as const, status: 'healthy' as const, webReplicas: 3 },
    };
    expect(desiredRoute(replicated, settings)).toMatchObject({
      upstream: '127.0.0.1:20002',
      replicaUpstreams: ['127.0.0.1:20005', '127.0.0.1:20006'],
    });
    expect(desiredRoute(replicated, { ...settings, upstreamMode: 'network' })).toMatchObject({
      upstream: 'rise-shop-b:8080',
      replicaUpstreams: ['rise-shop-b-1:8080', 'rise-shop-b-2:8080'],
    });
    // Only the replicas the deployment routes (set once they are healthy), never a spare port.
    const two = { ...replicated, activeDeployment: { ...replicated.activeDeployment, webReplicas: 2 } };
    expect(desiredRoute(two, settings).replicaUpstreams).toEqual(['127.0.0.1:20005']);
    expect(desiredRoute(project, settings).replicaUpstreams).toBeUndefined();
  });
});
