import { describe, expect, it } from 'vitest';
import type { DeploymentView } from '@/server/domains/deployments/deployment.schema';
import { canExpire } from './format';

const deployment = (status: DeploymentView['status'], expiresAt: Date | null): DeploymentView => ({
  id: '20261202-1400-abcd',
  project: 'my-app',
  status,
  active: status === 'healthy',
  group: 'mr/26',
  url: 'https://my-app-mr--26.rise.example.com',
  expiresAt,
  image: null,
  imageDigest: null,
  slot: null,
  rolledBackFrom: null,
  terminationReason: null,
  error: null,
  createdBy: 'user:ada',
  trigger: 'cli',
  commit: null,
  createdAt: new Date('2026-12-02T14:00:00Z'),
  startedAt: null,
  healthyAt: null,
  finishedAt: null,
  crashes: null,
  envOverrides: [],
});

describe('canExpire', () => {
  const at = new Date('2026-12-09T14:00:00Z');

  it('is true for a queued, deploying or live deployment with an expiry', () => {
    for (const status of ['pending', 'building', 'deploying', 'healthy', 'unhealthy'] as const) {
      expect(canExpire(deployment(status, at))).toBe(true);
    }
  });

  it('is false without an expiry', () => {
    expect(canExpire(deployment('healthy', null))).toBe(false);
  });

  it('is false once the deployment ended, whatever its expiry says', () => {
    for (const status of ['stopped', 'expired', 'superseded', 'failed', 'cancelled'] as const) {
      expect(canExpire(deployment(status, at))).toBe(false);
    }
  });
});
