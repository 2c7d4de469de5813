import { describe, expect, it } from 'vitest';
import { deriveProjectStatus } from './project-status';

describe('deriveProjectStatus', () => {
  it('is stopped when never deployed', () => {
    expect(
      deriveProjectStatus({
        desiredState: 'stopped',
        activeDeploymentStatus: null,
        latestDeploymentStatus: null,
      }),
    ).toBe('stopped');
  });

  it('is deploying while the newest deployment is in progress, even with a healthy one active', () => {
    expect(
      deriveProjectStatus({
        desiredState: 'running',
        activeDeploymentStatus: 'healthy',
        latestDeploymentStatus: 'building',
      }),
    ).toBe('deploying');
  });

  it('is running when the active deployment is healthy', () => {
    expect(
      deriveProjectStatus({
        desiredState: 'running',
        activeDeploymentStatus: 'healthy',
        latestDeploymentStatus: 'healthy',
      }),
    ).toBe('running');
  });

  it('is failed when the latest deployment failed and nothing healthy runs', () => {
    expect(
      deriveProjectStatus({
        desiredState: 'running',
        activeDeploymentStatus: null,
        latestDeploymentStatus: 'failed',
      }),
    ).toBe('failed');
  });

  it('keeps running when a newer deployment failed but the previous one still serves', () => {
    expect(
      deriveProjectStatus({
        desiredState: 'running',
        activeDeploymentStatus: 'healthy',
        latestDeploymentStatus: 'failed',
      }),
    ).toBe('running');
  });

  it('is stopped when stopped on purpose', () => {
    expect(
      deriveProjectStatus({
        desiredState: 'stopped',
        activeDeploymentStatus: 'stopped',
        latestDeploymentStatus: 'stopped',
      }),
    ).toBe('stopped');
  });
});
