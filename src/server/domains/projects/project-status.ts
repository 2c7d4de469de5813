import type { DeploymentStatus } from '@/generated/prisma/enums';

export type ProjectStatus = 'running' | 'deploying' | 'stopped' | 'failed';

const IN_PROGRESS: readonly DeploymentStatus[] = ['pending', 'building', 'pushing', 'pushed', 'deploying'];

/** Project status is derived from its deployments and desired state, never stored. */
export function deriveProjectStatus(input: {
  desiredState: 'running' | 'stopped';
  activeDeploymentStatus: DeploymentStatus | null;
  latestDeploymentStatus: DeploymentStatus | null;
}): ProjectStatus {
  if (input.latestDeploymentStatus && IN_PROGRESS.includes(input.latestDeploymentStatus)) return 'deploying';
  if (input.desiredState === 'stopped') return 'stopped';
  if (input.activeDeploymentStatus === 'healthy') return 'running';
  if (input.activeDeploymentStatus === 'unhealthy' || input.latestDeploymentStatus === 'failed')
    return 'failed';
  return 'stopped';
}
