import { describe, expect, it } from 'vitest';
import type { DeploymentView } from '@/server/domains/deployments/deployment.schema';
import { canExpire, canRollBackTo, commitSubject, refName, shortSha } from './format';

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
  imageRemoved: false,
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

describe('canRollBackTo', () => {
  const ran = {
    ...deployment('superseded', null),
    image: 'registry.rise.example.com/my-app:v1',
    imageDigest: `sha256:${'a'.repeat(64)}`,
    healthyAt: new Date('2026-12-02T14:01:00Z'),
  };

  it('is true for an earlier deployment that ran, with its image pinned', () => {
    expect(canRollBackTo(ran)).toBe(true);
  });

  it('is false once image retention removed its image', () => {
    expect(canRollBackTo({ ...ran, imageRemoved: true })).toBe(false);
  });

  it('is false for the active deployment and one that never ran', () => {
    expect(canRollBackTo({ ...ran, active: true })).toBe(false);
    expect(canRollBackTo({ ...ran, healthyAt: null })).toBe(false);
  });
});

describe('commit display', () => {
  it('shortSha: the first 7 digits', () => {
    expect(shortSha('0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c')).toBe('0d1a26e');
  });

  it('commitSubject: the first non-empty line, trimmed', () => {
    expect(commitSubject('Fix login\n\nThe session expired early.')).toBe('Fix login');
    expect(commitSubject('\n  Leading blank line  \nmore')).toBe('Leading blank line');
    expect(commitSubject('')).toBe('');
  });

  it('refName: branch and tag refs by name, other refs whole', () => {
    expect(refName('refs/heads/feature/login')).toBe('feature/login');
    expect(refName('refs/tags/v1.2')).toBe('v1.2');
    expect(refName('main')).toBe('main');
    expect(refName('refs/pull/7/head')).toBe('refs/pull/7/head');
  });
});
